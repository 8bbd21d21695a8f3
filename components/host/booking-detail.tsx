import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { defaultHour12, formatDateLabelOfInstant, formatInstantDate, formatTime, safeHref, type UiLocale, zoneLabel } from '@/components/booking/format';
import { CancelledBy, GuestAnswers } from './booking-guest-details';
import type { HostBookingView } from '@/lib/bookings/types';
import type { MeetingDetailPage } from '@/lib/meetings/queries';
import type { ParticipantSegment } from '@/lib/meetings/types';
import { minutesOf, type TimelineEvent } from '@/lib/meetings/view';
import { AttendanceBadge } from './attendance-badge';
import { AttendanceOverrideForm } from './attendance-override';
import { BookingActions } from './booking-actions';
import type { RescheduleTarget } from './host-reschedule';
import { MeetingActions } from './meeting-actions';
import { TranscriptSearch } from './transcript-search';

type Props = {
  view: HostBookingView;
  meeting: MeetingDetailPage;
  /** The host's zone: every time on the page is shown in it. */
  timeZone: string;
  /** The host's clock (Settings → Profile); null: the language's habit. */
  hour12?: boolean | null;
  /** The guest's manage link (reschedule/cancel page), for a confirmed booking that has not started. */
  manageUrl: string | null;
  now: Date;
  /** The booking's page, when the host can move the booking to another of its slots. */
  reschedule?: RescheduleTarget | null;
};

const KNOWN_REASONS = ['paid_plan', 'one_person_meeting', 'not_started', 'not_zoom', 'missing_scope', 'meeting_failed', 'sync_failed', 'no_data', 'team_member'];

const formatBytes = (bytes: number | null, locale: UiLocale) => {
  if (bytes === null) return '—';
  const nf = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US', { maximumFractionDigits: 1 });
  if (bytes >= 1024 * 1024) return `${nf.format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${nf.format(bytes / 1024)} KB`;
  return `${nf.format(bytes)} B`;
};

const isAppliedEvent = (step: { kind: string; status: string }) => step.kind === 'meeting.event' && step.status === 'done';

/** The host's page of one booking (/bookings/{uid}): when, who, steps, timeline, attendance, recordings, actions. */
export function BookingDetail({ view, meeting, timeZone, hour12: chosenClock = null, manageUrl, now, reschedule = null }: Props) {
  const t = useTranslations('meetings');
  const tb = useTranslations('booking.host');
  const locale = useLocale() as UiLocale;
  const hour12 = chosenClock ?? defaultHour12(locale);
  const appliedEvents = view.steps.filter(isAppliedEvent).length;
  const when = (iso: string | null) => (iso ? `${formatDateLabelOfInstant(iso, timeZone, locale)} ${formatTime(iso, timeZone, locale, hour12)}` : '—');
  const time = (iso: string | null) => (iso ? formatTime(iso, timeZone, locale, hour12) : '—');
  const minutes = (seconds: number | null) => (seconds === null ? '—' : t('attendance.minutes', { minutes: minutesOf(seconds) ?? 0 }));
  const cancelled = view.status === 'cancelled';
  const started = new Date(view.start).getTime() <= now.getTime();
  const { detail } = meeting;
  const attendance = detail.attendance;
  const override = attendance.override;
  const guest = attendance.guest;
  const known = (p: ParticipantSegment) => p.role !== 'other';
  const others = attendance.participants.filter((p) => !known(p));
  const reason = attendance.reason;
  // A meeting deleted in Zoom cannot be started or joined any more (until it is recreated).
  const deletedInZoom = meeting.changedInZoom?.change === 'deleted';
  const joinUrl = deletedInZoom ? null : safeHref(view.meeting.joinUrl);
  const canStart = view.canStart && !deletedInZoom;
  // A member's share of a collective booking: the meeting and the time are the hosting booking's.
  const memberPart = view.team?.part === 'member';
  const transcripts = meeting.recordings.filter((r) => r.transcriptStatus !== 'none');
  const files = meeting.recordings.filter((r) => r.transcriptStatus === 'none');

  const tr = useTranslations('meetings.reminders');
  const reminderName = (r: HostBookingView['reminders'][number]) => {
    if (r.kind === 'followup.guest') return tr('followUp');
    const m = r.minutesBefore ?? 0;
    const offset = m % 1440 === 0 ? tr('days', { count: m / 1440 }) : m % 60 === 0 ? tr('hours', { count: m / 60 }) : tr('minutes', { count: m });
    return tr(r.kind === 'reminder.host' ? 'toHost' : 'toGuest', { offset });
  };

  const timelineText = (e: TimelineEvent) => {
    switch (e.kind) {
      case 'joined':
      case 'left':
        return `${t(`timeline.${e.kind}`, { name: e.name || '?' })} (${t(`timeline.role.${e.role ?? 'other'}`)})`;
      case 'ended':
        return e.durationSeconds !== undefined ? t('timeline.endedAfter', { minutes: minutesOf(e.durationSeconds) ?? 0 }) : t('timeline.ended');
      case 'changed_in_zoom':
        return t(`timeline.changed_in_zoom.${e.change ?? 'deleted'}`);
      default:
        return t(`timeline.${e.kind}`);
    }
  };

  const participantRows = (list: ParticipantSegment[], testId: string) => (
    <div style={{ overflowX: 'auto' }}>
      <table className="table small" data-testid={testId}>
        <thead>
          <tr>
            <th>{t('attendance.col.name')}</th>
            <th>{t('attendance.col.role')}</th>
            <th>{t('attendance.col.joined')}</th>
            <th>{t('attendance.col.left')}</th>
            <th>{t('attendance.col.duration')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((p, i) => (
            <tr key={i} data-testid="participant-row" data-role={p.role}>
              <td style={{ overflowWrap: 'anywhere' }}>
                {p.name || '—'}
                {p.email ? <div className="muted">{p.email}</div> : null}
              </td>
              <td>{t(`timeline.role.${p.role}`)}</td>
              <td style={{ whiteSpace: 'nowrap' }}>{time(p.joinAt)}</td>
              <td style={{ whiteSpace: 'nowrap' }}>{time(p.leaveAt)}</td>
              <td style={{ whiteSpace: 'nowrap' }}>{minutes(p.durationSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <div className="stack-lg" data-testid="booking-detail" data-uid={view.uid}>
      <div className="stack" style={{ gap: 6 }}>
        <Link href="/bookings" className="small">
          ← {t('detail.back')}
        </Link>
        <div className="row-between" style={{ alignItems: 'flex-start' }}>
          <h1 className="page-title" style={{ margin: 0, overflowWrap: 'anywhere' }} data-testid="booking-title">
            {view.title}
          </h1>
          <span className={`badge ${cancelled ? 'error' : 'ok'}`} data-testid="booking-status">
            {cancelled ? tb('status.cancelled') : tb('status.confirmed')}
          </span>
        </div>
        <div style={{ fontWeight: 600, textDecoration: cancelled ? 'line-through' : undefined }} data-testid="booking-when">
          {formatInstantDate(view.start, timeZone, locale)} · {formatTime(view.start, timeZone, locale, hour12)} – {formatTime(view.end, timeZone, locale, hour12)}
        </div>
        <div className="small muted">
          {t(`detail.location.${view.location.type}`)} · {t('detail.zoneNote', { zone: zoneLabel(timeZone, locale) })}
        </div>
      </div>

      {meeting.changedInZoom ? (
        <div className="notice warn stack" style={{ gap: 8 }} role="alert" data-testid="changed-in-zoom">
          <span>{meeting.changedInZoom.change === 'deleted' ? t('detail.deletedInZoom') : t('detail.rescheduledInZoom')}</span>
        </div>
      ) : null}

      <section className="card stack">
        <h2>{t('detail.actionsTitle')}</h2>
        {memberPart && !cancelled ? (
          <p className="small muted" style={{ margin: 0 }} data-testid="member-part">
            {t('list.memberPart')}
          </p>
        ) : null}
        {!cancelled && (memberPart ? view.canRetry : canStart || view.canRetry || !started) ? (
          <BookingActions
            uid={view.uid}
            canStart={canStart}
            canRetry={view.canRetry}
            canCancel={!started && !memberPart}
            reschedule={reschedule && !started && !memberPart ? { target: reschedule, start: view.start, end: view.end, timeZone, hour12 } : null}
          />
        ) : null}
        {cancelled && view.canRetry ? <BookingActions uid={view.uid} canStart={false} canRetry canCancel={false} /> : null}
        {memberPart ? null : (
          <MeetingActions
            uid={view.uid}
            isZoom={meeting.isZoom}
            canRefresh={meeting.isZoom && detail.meeting?.id != null}
            canRecreate={deletedInZoom && !cancelled}
          />
        )}
        {manageUrl ? (
          <p className="small" style={{ margin: 0 }}>
            <a href={manageUrl} target="_blank" rel="noopener noreferrer" data-testid="reschedule-link">
              {t('detail.reschedule')}
            </a>{' '}
            <span className="muted">— {t('detail.rescheduleHint')}</span>
          </p>
        ) : null}
        {joinUrl && !cancelled ? (
          <p className="small" style={{ margin: 0, overflowWrap: 'anywhere' }}>
            {tb('joinLink')}:{' '}
            <a href={joinUrl} target="_blank" rel="noopener noreferrer">
              {joinUrl}
            </a>
          </p>
        ) : null}
        {view.alternativeHosts && !cancelled ? <AlternativeHosts hosts={view.alternativeHosts} /> : null}
        {meeting.syncedAt ? (
          <p className="small muted" style={{ margin: 0 }}>
            {t('detail.syncedAt', { time: when(meeting.syncedAt) })}
          </p>
        ) : null}
      </section>

      <section className="card stack">
        <h2>{t('detail.guestTitle')}</h2>
        <div style={{ overflowWrap: 'anywhere' }}>
          <strong data-testid="detail-guest-name">{view.guestName}</strong> ·{' '}
          <a href={`mailto:${encodeURIComponent(view.guestEmail).replace(/%40/g, '@')}`}>{view.guestEmail}</a>
        </div>
        <div className="small muted">{t('detail.guestZone', { zone: zoneLabel(view.guestTimeZone, locale) })}</div>
        <GuestAnswers answers={view.answers} />
        <CancelledBy booking={view} byHost={tb('cancelledByHost')} byGuest={tb('cancelledByGuest')} />
      </section>

      <section className="card stack" data-testid="timeline">
        <h2>{t('detail.timelineTitle')}</h2>
        <ol className="small" style={{ margin: 0, padding: 0, listStyle: 'none', display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '6px 12px' }}>
          {meeting.timeline.map((e, i) => (
            <li key={i} style={{ display: 'contents' }} data-testid="timeline-event" data-kind={e.kind}>
              <time dateTime={e.at} className="muted" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                {when(e.at)}
              </time>
              <span style={{ overflowWrap: 'anywhere', fontWeight: e.kind === 'joined' || e.kind === 'left' ? 400 : 600 }}>{timelineText(e)}</span>
            </li>
          ))}
        </ol>
      </section>

      <section className="card stack" data-testid="attendance">
        <div className="row-between">
          <h2 style={{ margin: 0 }}>{t('detail.attendanceTitle')}</h2>
          <AttendanceBadge status={meeting.effectiveAttendance} corrected={override !== null} />
        </div>
        <div className="stack" style={{ gap: 4 }}>
          <div className="small">
            <span className="muted">{t('attendance.measured')}:</span>{' '}
            <strong data-testid="attendance-measured" data-state={attendance.status}>
              {t(`attendance.status.${attendance.status}`)}
            </strong>
            {meeting.attendanceComputedAt ? <span className="muted"> ({t('attendance.computedAt', { time: when(meeting.attendanceComputedAt) })})</span> : null}
          </div>
          {reason ? (
            <p className="small" style={{ margin: 0 }} data-testid="attendance-reason" data-reason={reason}>
              {KNOWN_REASONS.includes(reason) ? t(`attendance.reason.${reason}`) : t('attendance.reason.other', { reason })}
            </p>
          ) : null}
          {override ? (
            <p className="notice info small" style={{ margin: 0 }} data-testid="attendance-override">
              {t('attendance.override.correctedByYou', { verdict: t(`attendance.status.${override.status}`) })}{' '}
              <span className="muted">{t('attendance.override.at', { time: when(override.at) })}</span>
              {override.note ? <span style={{ display: 'block', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{override.note}</span> : null}
            </p>
          ) : null}
        </div>

        {guest ? (
          <dl className="small" style={{ margin: 0, display: 'grid', gridTemplateColumns: 'minmax(0, max-content) 1fr', gap: '2px 12px' }} data-testid="attendance-guest">
            <dt className="muted">{t('attendance.firstJoin')}</dt>
            <dd style={{ margin: 0 }}>{when(guest.firstJoinAt)}</dd>
            <dt className="muted">{t('attendance.totalTime')}</dt>
            <dd style={{ margin: 0 }} data-testid="attendance-total">
              {minutes(guest.totalSeconds)}
            </dd>
            <dt className="muted">{t('attendance.joins')}</dt>
            <dd style={{ margin: 0 }} data-testid="attendance-joins">
              {guest.joins}
            </dd>
            <dt className="muted">{' '}</dt>
            <dd style={{ margin: 0 }} data-testid="attendance-matched-by">
              {t(`attendance.matchedBy.${guest.matchedBy ?? 'none'}`)}
            </dd>
          </dl>
        ) : null}

        <h3 style={{ margin: '8px 0 0' }}>{t('attendance.participantsTitle')}</h3>
        {attendance.participants.length > 0 ? participantRows(attendance.participants, 'participants') : <p className="small muted">{t('attendance.noParticipants')}</p>}
        {others.length > 0 ? (
          <div className="stack" style={{ gap: 4 }} data-testid="unmatched">
            <h3 style={{ margin: '8px 0 0' }}>{t('attendance.unmatchedTitle')}</h3>
            <ul className="small" style={{ margin: 0, paddingLeft: 18 }}>
              {[...new Map(others.map((p) => [`${p.name}|${p.email ?? ''}`, p])).values()].map((p) => (
                <li key={`${p.name}|${p.email ?? ''}`} style={{ overflowWrap: 'anywhere' }}>
                  {p.name || '—'}
                  {p.email ? ` <${p.email}>` : ''}
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        <details open={override !== null} className="stack">
          <summary className="small" style={{ fontWeight: 600 }}>
            {t('attendance.override.title')}
          </summary>
          <div style={{ marginTop: 8 }}>
            <AttendanceOverrideForm uid={view.uid} current={override?.status ?? null} note={override?.note ?? null} />
          </div>
        </details>
      </section>

      <section className="card stack" data-testid="recordings">
        <h2>{t('detail.recordingsTitle')}</h2>
        {files.length === 0 ? (
          <p className="small muted" style={{ margin: 0 }}>
            {t('recordings.empty')}
          </p>
        ) : (
          <div style={{ overflowX: 'auto' }}>
            <table className="table small">
              <thead>
                <tr>
                  <th>{t('recordings.type')}</th>
                  <th>{t('recordings.duration')}</th>
                  <th>{t('recordings.size')}</th>
                  <th>{t('recordings.play')}</th>
                </tr>
              </thead>
              <tbody>
                {files.map((r) => {
                  const play = safeHref(r.playUrl);
                  return (
                    <tr key={r.id} data-testid="recording-row">
                      <td>
                        {r.fileType}
                        {r.recordingType ? <div className="muted">{r.recordingType.replaceAll('_', ' ')}</div> : null}
                      </td>
                      <td>{minutes(r.durationSeconds)}</td>
                      <td>{formatBytes(r.sizeBytes, locale)}</td>
                      <td>
                        {play ? (
                          <a href={play} target="_blank" rel="noopener noreferrer">
                            {t('recordings.play')}
                          </a>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {meeting.recording.shareUrl || meeting.recording.passcodeHint ? (
          <p className="small" style={{ margin: 0, overflowWrap: 'anywhere' }}>
            {safeHref(meeting.recording.shareUrl) ? (
              <a href={safeHref(meeting.recording.shareUrl)!} target="_blank" rel="noopener noreferrer">
                {t('recordings.share')}
              </a>
            ) : null}
            {meeting.recording.passcodeHint ? (
              <span className="muted" data-testid="recording-passcode">
                {' '}
                {t('recordings.passcode', { hint: meeting.recording.passcodeHint })}
              </span>
            ) : null}
          </p>
        ) : null}
        {transcripts.map((r) => (
          <div key={r.id} className="stack" style={{ gap: 8 }} data-testid="transcript">
            <h3 style={{ margin: '8px 0 0' }}>{t('detail.transcriptTitle')}</h3>
            {r.transcriptStatus === 'fetched' && r.transcriptText ? (
              <TranscriptSearch text={r.transcriptText} />
            ) : (
              <p className="small muted" style={{ margin: 0 }}>
                {r.transcriptStatus === 'pending'
                  ? t('recordings.transcriptPending')
                  : r.transcriptStatus === 'too_large'
                    ? t('recordings.transcriptTooLarge')
                    : r.transcriptStatus === 'failed'
                      ? t('recordings.transcriptFailed')
                      : t('transcript.empty')}
              </p>
            )}
          </div>
        ))}
      </section>

      {view.reminders.length > 0 ? (
        <section className="card stack" data-testid="detail-reminders">
          <h2>{tr('title')}</h2>
          <ul className="stack" style={{ listStyle: 'none', margin: 0, padding: 0, gap: 6 }}>
            {view.reminders.map((r) => (
              <li key={r.id} className="row small" data-testid="reminder-item" data-status={r.status}>
                <span>{reminderName(r)}</span>
                <span className={`badge ${r.status === 'sent' ? 'ok' : r.status === 'failed' ? 'error' : r.status === 'scheduled' ? 'warn' : ''}`}>{tr(`status.${r.status}`)}</span>
                <span className="muted">
                  {r.status === 'scheduled' ? tr('scheduledFor', { when: when(r.at) }) : when(r.at)}
                  {r.status === 'skipped' && r.reason ? ` — ${tr.has(`skipped.${r.reason}`) ? tr(`skipped.${r.reason}`) : r.reason}` : ''}
                  {r.status === 'failed' && r.reason ? ` — ${r.reason}` : ''}
                  {r.status === 'sent' && r.mail ? ` — ${tr(`mail.${r.mail}`)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {view.steps.length > 0 ? (
        <section className="card stack">
          <h2>{t('detail.stepsTitle')}</h2>
          {/* Every Zoom webhook is a step; the ones applied are one row, so the list stays readable. */}
          <div style={{ overflowX: 'auto' }}>
            <table className="table small" data-testid="detail-steps">
              <thead>
                <tr>
                  <th>{tb('steps.kind')}</th>
                  <th>{tb('steps.status')}</th>
                  <th>{tb('steps.attempts')}</th>
                  <th>{tb('steps.error')}</th>
                </tr>
              </thead>
              <tbody>
                {appliedEvents > 0 ? (
                  <tr data-testid="applied-events">
                    <td className="mono">meeting.event × {appliedEvents}</td>
                    <td>done</td>
                    <td>—</td>
                    <td />
                  </tr>
                ) : null}
                {view.steps
                  .filter((s) => !isAppliedEvent(s))
                  .map((s) => (
                  <tr key={s.id}>
                    <td className="mono" style={{ overflowWrap: 'anywhere' }}>
                      {s.kind}
                    </td>
                    <td>{s.status}</td>
                    <td>{s.attempts}</td>
                    <td style={{ overflowWrap: 'anywhere' }}>{s.lastError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}

/** A collective booking's other members as Zoom alternative hosts: who Zoom took, who it refused and why. */
function AlternativeHosts({ hosts }: { hosts: NonNullable<HostBookingView['alternativeHosts']> }) {
  const t = useTranslations('meetings');
  return (
    <div className="small stack" style={{ gap: 4, overflowWrap: 'anywhere' }} data-testid="alternative-hosts">
      {hosts.added.length > 0 ? <p style={{ margin: 0 }}>{t('detail.alternativeHosts', { emails: hosts.added.join(', ') })}</p> : null}
      {hosts.refused.map((r) => (
        <p key={r.email} className="muted" style={{ margin: 0 }}>
          {t('detail.alternativeHostRefused', { email: r.email, reason: r.reason })}
        </p>
      ))}
      {hosts.withoutZoom.length > 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          {t('detail.alternativeHostsWithoutZoom', { names: hosts.withoutZoom.join(', ') })}
        </p>
      ) : null}
    </div>
  );
}
