import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { HostBookingCard } from '@/components/host/host-booking-card';
import { WorkerBanner } from '@/components/host/worker-banner';
import { requireHost } from '@/lib/auth/session';
import { listHostBookings } from '@/lib/bookings/service';
import { getDb } from '@/lib/db/client';
import { listAttendance, parseAttendanceFilter } from '@/lib/meetings/queries';

type Search = Promise<{ scope?: string | string[]; attendance?: string | string[] }>;

export async function generateMetadata() {
  const t = await getTranslations('booking.host');
  return { title: t('title') };
}

/**
 * The host's bookings: upcoming / past tabs, each booking with its steps and actions and a link to its
 * page; past bookings carry their attendance badge, and `?attendance=no_show` keeps the no-shows
 * (the host's correction wins).
 */
export default async function BookingsPage({ searchParams }: { searchParams: Search }) {
  const host = await requireHost();
  const search = await searchParams;
  const noShows = parseAttendanceFilter(search.attendance) === 'no_show';
  // No-shows are past by nature.
  const scope = noShows || search.scope === 'past' ? 'past' : 'upcoming';
  const now = new Date();
  const [all, attendance] = await Promise.all([
    listHostBookings(host.id, { scope }, now),
    scope === 'past' ? listAttendance(await getDb(), host.id, { scope, attendance: noShows ? 'no_show' : null }, now) : Promise.resolve(null),
  ]);
  const bookings = noShows ? all.filter((b) => attendance?.has(b.uid)) : all;
  const [t, tm] = await Promise.all([getTranslations('booking.host'), getTranslations('meetings.list')]);
  const exportHref = `/bookings/export.csv?scope=${scope}${noShows ? '&attendance=no_show' : ''}`;
  return (
    <div className="stack">
      <div className="row-between">
        <h1 className="page-title" style={{ margin: 0 }}>
          {t('title')}
        </h1>
        <a className="btn small" href={exportHref} download data-testid="bookings-export">
          {tm('export')}
        </a>
      </div>
      <WorkerBanner userId={host.id} />
      <nav className="tabs" aria-label={t('tabsLabel')}>
        <Link href="/bookings" aria-current={scope === 'upcoming' ? 'page' : undefined} data-testid="tab-upcoming">
          {t('upcoming')}
        </Link>
        <Link href="/bookings?scope=past" aria-current={scope === 'past' && !noShows ? 'page' : undefined} data-testid="tab-past">
          {t('past')}
        </Link>
        <Link href="/bookings?scope=past&attendance=no_show" aria-current={noShows ? 'page' : undefined} data-testid="tab-no-shows">
          {tm('noShows')}
        </Link>
      </nav>
      {bookings.length === 0 ? (
        <div className="card empty" data-testid="bookings-empty">
          {noShows ? tm('emptyNoShows') : scope === 'upcoming' ? t('emptyUpcoming') : t('emptyPast')}
        </div>
      ) : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {bookings.map((booking) => {
            const a = attendance?.get(booking.uid);
            return (
              <HostBookingCard
                key={booking.uid}
                booking={booking}
                timeZone={host.timeZone}
                hour12={host.hour12}
                attendance={a ? { status: a.effective, corrected: a.override !== null } : null}
              />
            );
          })}
        </ul>
      )}
      <p className="muted small">{t('zoneNote', { zone: host.timeZone })}</p>
    </div>
  );
}
