import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { HostBookingCard } from '@/components/host/host-booking-card';
import { WorkerBanner } from '@/components/host/worker-banner';
import { requireHost } from '@/lib/auth/session';
import { localDayRangeUtc } from '@/lib/availability/time-zone';
import { listPagesForHost } from '@/lib/booking-pages/queries';
import { bookingSearchSchema } from '@/lib/bookings/schema';
import { type HostBookingSearch, listHostBookings } from '@/lib/bookings/service';
import { getDb } from '@/lib/db/client';
import { listAttendance, parseAttendanceFilter } from '@/lib/meetings/queries';

type Search = Promise<{ scope?: string | string[]; attendance?: string | string[]; q?: string | string[]; page?: string | string[]; from?: string | string[]; to?: string | string[] }>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

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
  const scope = noShows || search.scope === 'past' ? 'past' : search.scope === 'cancelled' ? 'cancelled' : 'upcoming';
  const now = new Date();
  // Search: words, one page, a date range of start dates in the host's zone.
  const query = bookingSearchSchema.parse({ q: first(search.q), page: first(search.page), from: first(search.from), to: first(search.to) });
  const filters: HostBookingSearch = {
    text: query.q || undefined,
    pageId: query.page,
    from: query.from ? localDayRangeUtc(query.from, host.timeZone).start : undefined,
    to: query.to ? localDayRangeUtc(query.to, host.timeZone).end : undefined,
  };
  const searching = Boolean(filters.text || filters.pageId || filters.from || filters.to);
  const [all, attendance, pages] = await Promise.all([
    listHostBookings(host.id, { scope, search: filters }, now),
    scope === 'past' ? listAttendance(await getDb(), host.id, { scope, attendance: noShows ? 'no_show' : null }, now) : Promise.resolve(null),
    listPagesForHost(host.id),
  ]);
  const bookings = noShows ? all.filter((b) => attendance?.has(b.uid)) : all;
  // The host's Reschedule offers the slots of the booking's page while it is published (as the guest's does).
  const rescheduleTarget = (pageId: string | undefined) => {
    const page = pageId ? pages.find((p) => p.id === pageId && p.published) : undefined;
    return page && host.handle ? { handle: host.handle, slug: page.slug, bookingWindowDays: page.bookingWindowDays } : null;
  };
  const [t, tm] = await Promise.all([getTranslations('booking.host'), getTranslations('meetings.list')]);
  // The file holds what the tab shows, searched the same way.
  const exportQuery = new URLSearchParams(scope === 'cancelled' ? { status: 'cancelled' } : { scope, status: 'confirmed' });
  if (noShows) exportQuery.set('attendance', 'no_show');
  if (query.q) exportQuery.set('q', query.q);
  if (query.page) exportQuery.set('page', query.page);
  if (query.from) exportQuery.set('from', query.from);
  if (query.to) exportQuery.set('to', query.to);
  const exportHref = `/bookings/export.csv?${exportQuery}`;
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
        <Link href="/bookings?scope=cancelled" aria-current={scope === 'cancelled' ? 'page' : undefined} data-testid="tab-cancelled">
          {t('cancelledTab')}
        </Link>
      </nav>
      <search>
      <form method="get" action="/bookings" className="row small" data-testid="bookings-search">
        {scope !== 'upcoming' ? <input type="hidden" name="scope" value={scope} /> : null}
        {noShows ? <input type="hidden" name="attendance" value="no_show" /> : null}
        <input type="search" name="q" defaultValue={query.q ?? ''} placeholder={t('search.placeholder')} aria-label={t('search.placeholder')} maxLength={100} style={{ flex: '1 1 12rem', width: 'auto' }} />
        <select name="page" defaultValue={query.page ?? ''} aria-label={t('search.page')} style={{ width: 'auto', maxWidth: '100%' }}>
          <option value="">{t('search.allPages')}</option>
          {pages.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
        <label className="row" style={{ gap: 4 }}>
          {t('search.from')}
          <input type="date" name="from" defaultValue={query.from ?? ''} style={{ width: 'auto' }} />
        </label>
        <label className="row" style={{ gap: 4 }}>
          {t('search.to')}
          <input type="date" name="to" defaultValue={query.to ?? ''} style={{ width: 'auto' }} />
        </label>
        <button type="submit" className="btn small">
          {t('search.apply')}
        </button>
        {searching ? (
          <Link className="btn ghost small" href={scope === 'upcoming' ? '/bookings' : `/bookings?scope=${scope}${noShows ? '&attendance=no_show' : ''}`}>
            {t('search.clear')}
          </Link>
        ) : null}
      </form>
      </search>
      {bookings.length === 0 ? (
        <div className="card empty" data-testid="bookings-empty">
          {searching ? t('search.none') : noShows ? tm('emptyNoShows') : scope === 'upcoming' ? t('emptyUpcoming') : scope === 'cancelled' ? t('emptyCancelled') : t('emptyPast')}
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
                reschedule={rescheduleTarget(booking.page?.id)}
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
