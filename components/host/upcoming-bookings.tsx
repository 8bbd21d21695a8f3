import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { defaultHour12, formatDateLabelOfInstant, formatTime, type UiLocale } from '@/components/booking/format';
import { listHostBookings } from '@/lib/bookings/service';

type Props = {
  userId: string;
  limit?: number;
  /** The host's zone (host.timeZone); times are shown in it. */
  timeZone: string;
  /** The host's clock (host.hour12); null: the language's habit. */
  hour12?: boolean | null;
};

/** Compact list of the next bookings for the dashboard. */
export async function UpcomingBookings({ userId, limit = 5, timeZone, hour12: chosenClock = null }: Props) {
  const t = await getTranslations('booking.host');
  const locale = (await getLocale()) as UiLocale;
  const hour12 = chosenClock ?? defaultHour12(locale);
  const bookings = (await listHostBookings(userId, { scope: 'upcoming' })).filter((b) => b.status === 'confirmed').slice(0, limit);
  if (bookings.length === 0) {
    return (
      <p className="muted" data-testid="upcoming-empty">
        {t('emptyUpcoming')}
      </p>
    );
  }
  return (
    <ul className="list" data-testid="upcoming-bookings">
      {bookings.map((b) => {
        const problem = b.meeting.status === 'failed' || b.calendar.status === 'failed' || b.mails.guest === 'failed' || b.mails.host === 'failed';
        return (
          <li key={b.uid} className="row-between" style={{ alignItems: 'flex-start' }}>
            <div style={{ minWidth: 0 }}>
              <div style={{ fontWeight: 600 }}>
                {formatDateLabelOfInstant(b.start, timeZone, locale)} {formatTime(b.start, timeZone, locale, hour12)}
              </div>
              <div className="small muted" style={{ overflowWrap: 'anywhere' }}>
                <Link href={`/bookings/${encodeURIComponent(b.uid)}`}>{b.guestName}</Link> · {b.title}
              </div>
            </div>
            <div className="row">
              {b.meeting.status === 'pending' ? <span className="badge warn">{t('meeting.pending')}</span> : null}
              {problem ? (
                <Link className="badge error" href="/bookings">
                  {t('needsAttention')}
                </Link>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
