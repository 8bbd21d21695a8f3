import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { ScheduleSummary } from '@/components/host/schedule-summary';
import { hostHour12 } from '@/components/host/wall-clock';
import { requireHost } from '@/lib/auth/session';
import { listSchedules } from '@/lib/booking-pages/schedules';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('availability');
  return { title: t('title') };
}

/** The host's shared availability schedules: each with its hours, the pages using it, and an edit link. */
export default async function AvailabilityPage() {
  const host = await requireHost();
  const [t, schedules] = await Promise.all([getTranslations('availability'), listSchedules(host.id)]);
  const hour12 = hostHour12(host.hour12, host.locale);
  return (
    <div className="stack">
      <div className="row-between">
        <h1 className="page-title" style={{ margin: 0 }}>
          {t('title')}
        </h1>
        <Link className="btn primary" href="/availability/new">
          {t('new')}
        </Link>
      </div>
      <p className="muted" style={{ margin: 0 }}>
        {t('intro')}
      </p>
      {schedules.length === 0 ? (
        <div className="empty" data-testid="schedule-list-empty">
          <p>{t('empty')}</p>
        </div>
      ) : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="schedule-list">
          {schedules.map((schedule) => (
            <li key={schedule.id} className="card stack" data-testid="schedule-item">
              <div className="row-between">
                <h2 style={{ margin: 0 }}>
                  <Link href={`/availability/${schedule.id}`}>{schedule.name}</Link>
                </h2>
                <Link className="btn small" href={`/availability/${schedule.id}`}>
                  {t('edit')}
                </Link>
              </div>
              <p className="muted small" style={{ margin: 0 }}>
                {t('usedBy', { count: schedule.pages.length })}
                {schedule.pages.length > 0 ? `: ${schedule.pages.map((p) => p.title).join(', ')}` : ''}
              </p>
              <ScheduleSummary schedule={schedule} hour12={hour12} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
