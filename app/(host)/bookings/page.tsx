import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { HostBookingCard } from '@/components/host/host-booking-card';
import { WorkerBanner } from '@/components/host/worker-banner';
import { requireHost } from '@/lib/auth/session';
import { listHostBookings } from '@/lib/bookings/service';

type Search = Promise<{ scope?: string | string[] }>;

export async function generateMetadata() {
  const t = await getTranslations('booking.host');
  return { title: t('title') };
}

/** The host's bookings: upcoming / past tabs, each booking with its steps and actions. */
export default async function BookingsPage({ searchParams }: { searchParams: Search }) {
  const host = await requireHost();
  const scope = (await searchParams).scope === 'past' ? 'past' : 'upcoming';
  const bookings = await listHostBookings(host.id, { scope });
  const t = await getTranslations('booking.host');
  return (
    <div className="stack">
      <h1 className="page-title">{t('title')}</h1>
      <WorkerBanner userId={host.id} />
      <nav className="tabs" aria-label={t('tabsLabel')}>
        <Link href="/bookings" aria-current={scope === 'upcoming' ? 'page' : undefined} data-testid="tab-upcoming">
          {t('upcoming')}
        </Link>
        <Link href="/bookings?scope=past" aria-current={scope === 'past' ? 'page' : undefined} data-testid="tab-past">
          {t('past')}
        </Link>
      </nav>
      {bookings.length === 0 ? (
        <div className="card empty" data-testid="bookings-empty">
          {scope === 'upcoming' ? t('emptyUpcoming') : t('emptyPast')}
        </div>
      ) : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {bookings.map((booking) => (
            <HostBookingCard key={booking.uid} booking={booking} timeZone={host.timeZone} hour12={host.hour12} />
          ))}
        </ul>
      )}
      <p className="muted small">{t('zoneNote', { zone: host.timeZone })}</p>
    </div>
  );
}
