import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { defaultHour12, formatInstantDate, formatTime, safeHref, type UiLocale, zoneLabel } from '@/components/booking/format';
import { CancelledBy, GuestAnswers } from './booking-guest-details';
import type { HostBookingView } from '@/lib/bookings/types';
import type { AttendanceStatus } from '@/lib/meetings/types';
import { AttendanceBadge } from './attendance-badge';
import { BookingActions } from './booking-actions';
import type { RescheduleTarget } from './host-reschedule';

type Badge = 'ok' | 'warn' | 'error' | '';

const MEETING_BADGE: Record<HostBookingView['meeting']['status'], Badge> = { created: 'ok', pending: 'warn', failed: 'error', none: '' };
const CALENDAR_BADGE: Record<HostBookingView['calendar']['status'], Badge> = { written: 'ok', pending: 'warn', failed: 'error', skipped: '', none: '' };
const MAIL_BADGE: Record<HostBookingView['mails']['guest'], Badge> = { sent: 'ok', pending: 'warn', failed: 'error', none: '' };

/** One booking in the host's list: when, who, answers, the state of each follow-up step, and the actions. */
export function HostBookingCard({
  booking,
  timeZone,
  hour12: chosenClock = null,
  attendance,
  reschedule = null,
}: {
  booking: HostBookingView;
  /** The booking's page, when the host can move the booking to another of its slots. */
  reschedule?: RescheduleTarget | null;
  timeZone: string;
  /** The host's clock (Settings → Profile); null: the language's habit. */
  hour12?: boolean | null;
  /** Past bookings: the verdict that counts, and whether it is the host's correction. */
  attendance?: { status: AttendanceStatus; corrected: boolean } | null;
}) {
  const t = useTranslations('booking.host');
  const tm = useTranslations('meetings.list');
  const locale = useLocale() as UiLocale;
  // The host's clock from their settings; else the language's habit.
  const hour12 = chosenClock ?? defaultHour12(locale);
  const cancelled = booking.status === 'cancelled';
  const started = new Date(booking.start).getTime() <= Date.now();
  // A member's share of a collective booking moves and is cancelled only with the booking that hosts it.
  const memberPart = booking.team?.part === 'member';
  const joinUrl = safeHref(booking.meeting.joinUrl);
  const guestZoneDiffers = booking.guestTimeZone !== timeZone;
  // The guest's time alone would mislead when it falls on another date for them ("8:00 PM" of the day before).
  const guestDate = formatInstantDate(booking.start, booking.guestTimeZone, locale);
  const guestTime = formatTime(booking.start, booking.guestTimeZone, locale, hour12);
  const guestWhen = guestDate === formatInstantDate(booking.start, timeZone, locale) ? guestTime : `${guestDate} ${guestTime}`;

  return (
    <li className="card stack" data-testid="host-booking" data-uid={booking.uid} data-status={booking.status}>
      <div className="row-between" style={{ alignItems: 'flex-start' }}>
        <div>
          <div style={{ fontWeight: 700, textDecoration: cancelled ? 'line-through' : undefined }} data-testid="host-booking-when">
            {formatInstantDate(booking.start, timeZone, locale)} · {formatTime(booking.start, timeZone, locale, hour12)} –{' '}
            {formatTime(booking.end, timeZone, locale, hour12)}
          </div>
          <div style={{ overflowWrap: 'anywhere' }}>
            <Link href={`/bookings/${encodeURIComponent(booking.uid)}`} data-testid="host-booking-link">
              {booking.title}
            </Link>
          </div>
        </div>
        <div className="row" style={{ justifyContent: 'flex-end' }}>
          {attendance && !cancelled ? <AttendanceBadge status={attendance.status} corrected={attendance.corrected} /> : null}
          <span className={`badge ${cancelled ? 'error' : 'ok'}`}>{cancelled ? t('status.cancelled') : t('status.confirmed')}</span>
          <Link className="btn ghost small" href={`/bookings/${encodeURIComponent(booking.uid)}`} data-testid="host-booking-details">
            {tm('details')}
          </Link>
        </div>
      </div>

      <div className="small" style={{ overflowWrap: 'anywhere' }}>
        <strong data-testid="host-booking-guest">{booking.guestName}</strong> ·{' '}
        <a href={`mailto:${encodeURIComponent(booking.guestEmail).replace(/%40/g, '@')}`}>{booking.guestEmail}</a>
        {guestZoneDiffers ? (
          <span className="muted">
            {' '}
            · <span data-testid="host-booking-guest-when">{t('guestLocal', { time: guestWhen, zone: zoneLabel(booking.guestTimeZone, locale) })}</span>
          </span>
        ) : null}
      </div>

      <GuestAnswers answers={booking.answers} />

      <CancelledBy booking={booking} byHost={t('cancelledByHost')} byGuest={t('cancelledByGuest')} />

      {booking.cancellation ? (
        <div className="row small" data-testid="cancellation-steps">
          <span className="visually-hidden">{t('stepsLabel')}:</span>
          {(['meeting', 'calendar', 'guestMail'] as const).map((part) => {
            const state = booking.cancellation![part];
            if (state === 'none') return null;
            const badge = state === 'failed' ? 'error' : state === 'pending' ? 'warn' : 'ok';
            return (
              <span key={part} className={`badge ${badge}`} data-testid={`cancel-${part}`} data-state={state}>
                {t(`cancellation.${part}.${state}`)}
              </span>
            );
          })}
        </div>
      ) : null}

      {cancelled ? null : (
      <div className="row small">
        <span className="visually-hidden">{t('stepsLabel')}:</span>
        {booking.meeting.status !== 'none' ? (
          <span className={`badge ${MEETING_BADGE[booking.meeting.status]}`} data-testid="step-meeting" data-state={booking.meeting.status}>
            {t(`meeting.${booking.meeting.status}`)}
          </span>
        ) : null}
        {booking.calendar.status !== 'none' ? (
          <span className={`badge ${CALENDAR_BADGE[booking.calendar.status]}`} data-testid="step-calendar" data-state={booking.calendar.status}>
            {t(`calendar.${booking.calendar.status}`)}
          </span>
        ) : null}
        {booking.mails.guest !== 'none' ? (
          <span className={`badge ${MAIL_BADGE[booking.mails.guest]}`} data-testid="step-mail-guest" data-state={booking.mails.guest}>
            {t(`mail.guest.${booking.mails.guest}`)}
          </span>
        ) : null}
        {booking.mails.host !== 'none' ? (
          <span className={`badge ${MAIL_BADGE[booking.mails.host]}`} data-testid="step-mail-host" data-state={booking.mails.host}>
            {t(`mail.host.${booking.mails.host}`)}
          </span>
        ) : null}
      </div>
      )}

      {booking.meeting.reason && booking.meeting.status !== 'created' ? (
        <p className="small field-error" style={{ margin: 0 }} data-testid="meeting-reason">
          {t('meetingReason', { reason: booking.meeting.reason })}
        </p>
      ) : null}
      {booking.calendar.reason && booking.calendar.status === 'failed' ? (
        <p className="small field-error" style={{ margin: 0 }}>
          {t('calendarReason', { reason: booking.calendar.reason })}
        </p>
      ) : null}
      {booking.meeting.needsReconnect && !cancelled ? (
        <div className="notice warn small">
          {t('reconnect')} <Link href="/settings/integrations">{t('reconnectLink')}</Link>
        </div>
      ) : null}

      {joinUrl && !cancelled ? (
        <p className="small" style={{ margin: 0, overflowWrap: 'anywhere' }}>
          {t('joinLink')}:{' '}
          <a href={joinUrl} target="_blank" rel="noopener noreferrer">
            {joinUrl}
          </a>
        </p>
      ) : null}

      {booking.steps.length > 0 ? (
        <details className="small">
          <summary className="muted">{t('stepLog', { count: booking.steps.length })}</summary>
          <table className="table" style={{ marginTop: 6 }}>
            <thead>
              <tr>
                <th>{t('steps.kind')}</th>
                <th>{t('steps.status')}</th>
                <th>{t('steps.attempts')}</th>
                <th>{t('steps.error')}</th>
              </tr>
            </thead>
            <tbody>
              {booking.steps.map((s) => (
                <tr key={s.id}>
                  <td className="mono">{s.kind}</td>
                  <td>{s.status}</td>
                  <td>{s.attempts}</td>
                  <td style={{ overflowWrap: 'anywhere' }} className={stepFinished(s.status) && s.lastError ? 'muted' : undefined}>
                    {/* A finished step's error belongs to an earlier attempt (rows written before errors were cleared on success). */}
                    {s.lastError ? (stepFinished(s.status) ? t('steps.earlierError', { error: s.lastError }) : s.lastError) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}

      {memberPart && !cancelled ? (
        <p className="small muted" style={{ margin: 0 }} data-testid="member-part">
          {tm('memberPart')}
        </p>
      ) : null}
      {!cancelled && (!memberPart || booking.canRetry) ? (
        <BookingActions
          uid={booking.uid}
          canStart={booking.canStart}
          canRetry={booking.canRetry}
          canCancel={!started && !memberPart}
          reschedule={reschedule && !started && !memberPart ? { target: reschedule, start: booking.start, end: booking.end, timeZone, hour12 } : null}
        />
      ) : null}
      {cancelled && booking.canRetry ? <BookingActions uid={booking.uid} canStart={false} canRetry canCancel={false} /> : null}
    </li>
  );
}

const stepFinished = (status: string) => status === 'done' || status === 'skipped';
