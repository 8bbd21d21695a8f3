import 'server-only';
import type { BookingQuestion } from '@/lib/booking-pages/schema';
import { buildIcs, type IcsEvent, type IcsMethod } from '@/lib/calendar/ics';
import type { CalendarEventInput } from '@/lib/calendar/types';
import { env } from '@/lib/env';
import type { BookingMailData, BookingMailKind, MailProblem } from '@/lib/mail/templates/booking';
import { renderBookingMail } from '@/lib/mail/templates/booking';
import { renderFollowUpMail } from '@/lib/mail/templates/follow-up';
import { renderMeetingChangedMail } from '@/lib/mail/templates/meeting-changed';
import { type RecordingMailFile, renderRecordingReadyMail } from '@/lib/mail/templates/recording-ready';
import { passcodeHint } from '@/lib/meetings/transcript';
import { type OutgoingMail, sendMail } from '@/lib/mail/transport';
import type { HostInfo } from './effects/context';
import { manageUrlFor } from './manage-token';
import type { BookingRow } from './types';

/**
 * Every "booking → something sent" conversion lives here: the booking mails' template data, the .ics
 * event (mails, the private feed, the guest's download), the event written to the host's calendar and
 * the host's problem notices. lib/mail renders plain data and knows nothing of booking rows.
 */

/** The problems a host is told about (host_notices.problem is `zoom.<code>`; mail.json has booking.problem.<code>). */
export const ZOOM_PROBLEM_CODES = ['revoked', 'not_connected', 'missing_scope', 'rate_limited', 'unavailable', 'failed', 'unverified'] as const;
export type ZoomProblemCode = (typeof ZOOM_PROBLEM_CODES)[number];

export const isZoomProblemCode = (value: unknown): value is ZoomProblemCode => ZOOM_PROBLEM_CODES.some((c) => c === value);

/** Reconnecting Zoom fixes these; the others pass (or need a look at Zoom), so the mail does not send the host to settings. */
const RECONNECT_FIXES: readonly ZoomProblemCode[] = ['revoked', 'not_connected', 'missing_scope', 'failed'];

export function hostProblem(code: ZoomProblemCode, detail?: string | null): MailProblem {
  return { code, detail: detail ?? null, reconnect: RECONNECT_FIXES.includes(code) };
}

export type BookingMailArgs = {
  kind: BookingMailKind;
  recipient: 'guest' | 'host';
  booking: BookingRow;
  host: HostInfo;
  questions: BookingQuestion[];
  previous?: { start: Date; end: Date } | null;
  problem?: { code: ZoomProblemCode; detail?: string | null } | null;
  /** zoom_problem: all bookings the host's notice lists (the mail names each). */
  affected?: BookingRow[];
  /** rescheduled: the host moved it (from Aki), with their optional note to the guest. */
  rescheduledBy?: 'host' | null;
  note?: string | null;
  /** cancelled, to a former host: the booking was given to this member instead (lib/teams/reassign.ts). */
  reassignedTo?: string | null;
  idempotencyKey?: string;
};

const hostName = (host: HostInfo) => host.name?.trim() || host.handle || host.email;

/** The guest joins with their personal registrant link when the page registers guests; the host keeps the meeting's link. */
export function joinUrlFor(booking: BookingRow, recipient: 'guest' | 'host'): string | null {
  return recipient === 'guest' ? (booking.guestJoinUrl ?? booking.zoomJoinUrl) : booking.zoomJoinUrl;
}

/** The event as the recipient's calendar should hold it. The guest copy never has the host's start link (we never store it). */
export function bookingIcsEvent(
  booking: BookingRow,
  host: HostInfo,
  recipient: 'guest' | 'host',
  questions: BookingQuestion[] = [],
  options: { withManageUrl?: boolean } = {},
): IcsEvent {
  const joinUrl = booking.meetingStatus === 'created' ? joinUrlFor(booking, recipient) : null;
  const loc = booking.location;
  const location =
    loc.type === 'zoom'
      ? (joinUrl ?? 'Zoom')
      : loc.type === 'phone'
        ? (loc.phone ?? 'Phone')
        : loc.type === 'in_person'
          ? loc.address
          : loc.url;
  const lines: string[] = [];
  if (recipient === 'guest') {
    lines.push(`${booking.title} — ${hostName(host)}`);
  } else {
    lines.push(`${booking.title} — ${booking.guestName} <${booking.guestEmail}>`);
    for (const [id, value] of Object.entries(booking.answers)) {
      const label = questions.find((q) => q.id === id)?.label ?? id;
      lines.push(`${label}: ${value}`);
    }
  }
  if (joinUrl) lines.push(`Zoom: ${joinUrl}`);
  if (joinUrl && booking.zoomPassword) lines.push(`Passcode: ${booking.zoomPassword}`);
  if (recipient === 'guest' && options.withManageUrl !== false && booking.status === 'confirmed') {
    lines.push(`Manage: ${manageUrlFor(booking.uid, booking.id)}`);
  }
  return {
    bookingUid: booking.uid,
    sequence: booking.sequence,
    status: booking.status,
    start: booking.startAt,
    end: booking.endAt,
    summary: recipient === 'guest' ? `${booking.title} (${hostName(host)})` : `${booking.title} (${booking.guestName})`,
    description: lines.join('\n'),
    location,
    url: joinUrl,
    organizer: { name: hostName(host), email: host.email },
    attendee: { name: booking.guestName, email: booking.guestEmail },
    created: booking.createdAt,
  };
}

/** The event written to the host's linked calendar: the host's .ics copy, in the host's zone. */
export function bookingCalendarEvent(booking: BookingRow, host: HostInfo, questions: BookingQuestion[] = []): CalendarEventInput {
  const ics = bookingIcsEvent(booking, host, 'host', questions);
  return {
    bookingUid: booking.uid,
    title: ics.summary,
    description: ics.description,
    start: booking.startAt,
    end: booking.endAt,
    timeZone: host.timeZone,
    location: ics.location ?? undefined,
    attendee: { name: booking.guestName, email: booking.guestEmail },
  };
}

export function bookingMailData(args: BookingMailArgs): BookingMailData {
  const { booking, host, recipient } = args;
  const appUrl = env().appUrl;
  return {
    kind: args.kind,
    recipient,
    locale: recipient === 'guest' ? booking.guestLocale : host.locale,
    timeZone: recipient === 'guest' ? booking.guestTimeZone : host.timeZone,
    // The clock the recipient chose (the guest on the page, the host in settings); else their language's habit.
    hour12: (recipient === 'guest' ? booking.guestHour12 : host.hour12) ?? undefined,
    title: booking.title,
    start: booking.startAt,
    end: booking.endAt,
    previousStart: args.previous?.start ?? null,
    previousEnd: args.previous?.end ?? null,
    hostName: hostName(host),
    hostEmail: host.email,
    guestName: booking.guestName,
    guestEmail: booking.guestEmail,
    guestTimeZone: booking.guestTimeZone,
    location: booking.location,
    meeting:
      booking.location.type === 'zoom'
        ? { status: booking.meetingStatus, joinUrl: booking.meetingStatus === 'created' ? joinUrlFor(booking, recipient) : null, password: booking.zoomPassword }
        : null,
    answers:
      recipient === 'host'
        ? Object.entries(booking.answers).map(([id, value]) => ({ label: args.questions.find((q) => q.id === id)?.label ?? id, value }))
        : undefined,
    manageUrl: recipient === 'guest' && booking.status === 'confirmed' ? manageUrlFor(booking.uid, booking.id) : null,
    bookingsUrl: `${appUrl}/bookings`,
    bookingUrl: recipient === 'host' ? `${appUrl}/bookings/${encodeURIComponent(booking.uid)}` : undefined,
    reconnectUrl: `${appUrl}/settings/integrations`,
    cancelReason: booking.cancelReason,
    cancelledBy: booking.cancelledBy,
    rescheduledBy: args.kind === 'rescheduled' ? (args.rescheduledBy ?? null) : null,
    note: args.kind === 'rescheduled' ? (args.note ?? null) : null,
    reassignedTo: args.kind === 'cancelled' ? (args.reassignedTo ?? null) : null,
    problem: args.problem ? hostProblem(args.problem.code, args.problem.detail) : null,
    affected: args.affected?.map((b) => ({ title: b.title, guestName: b.guestName, start: b.startAt, end: b.endAt })),
    // A reminder changes nothing in the calendar the earlier mails already filled.
    withIcs: args.kind !== 'zoom_problem' && args.kind !== 'reminder',
  };
}

/** The booking mail for one recipient (their language and zone), rendered, with its .ics. */
export function bookingMail(args: BookingMailArgs): { mail: OutgoingMail; withLink: boolean } {
  const data = bookingMailData(args);
  const rendered = renderBookingMail(data);
  const to = args.recipient === 'guest' ? args.booking.guestEmail : args.host.email;
  let ics: string | null = null;
  let method: IcsMethod = 'REQUEST';
  if (data.withIcs) {
    method = args.kind === 'cancelled' ? 'CANCEL' : 'REQUEST';
    ics = buildIcs(method, [bookingIcsEvent(args.booking, args.host, args.recipient, args.questions)]);
  }
  const mail: OutgoingMail = {
    to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    idempotencyKey: args.idempotencyKey,
    // One calendar: nodemailer puts it in the message twice on purpose — a text/calendar alternative
    // (the invitation card mail clients show) and its download, application/ics, under this name.
    icalEvent: ics ? { method, filename: args.kind === 'cancelled' ? 'cancel.ics' : 'invite.ics', content: ics } : undefined,
  };
  return { mail, withLink: Boolean(data.meeting?.joinUrl) };
}

/**
 * Sends one booking mail (the mail.* booking steps: they are the durable record and keep a recipient's
 * mails in order). Throws when the transport fails so the step retries. Returns whether it carried the
 * Zoom join link (the pipeline decides on a "link ready" mail from it).
 */
export async function sendBookingMail(args: BookingMailArgs): Promise<{ messageId: string; withLink: boolean }> {
  const { mail, withLink } = bookingMail(args);
  const result = await sendMail(mail);
  return { messageId: result.messageId, withLink };
}

// ---- after the meeting (lib/meetings): recording ready, meeting changed in Zoom ----------------------

/** The host's page of a booking in Aki (mails link to it). */
export const hostBookingUrl = (uid: string) => `${env().appUrl}/bookings/${encodeURIComponent(uid)}`;

/**
 * "The recording is ready" for the host (play links, a passcode hint, the booking link) or the guest
 * (play links and the passcode, which they need to play it). Download URLs never get here.
 */
export async function sendRecordingReadyMail(args: {
  recipient: 'guest' | 'host';
  booking: BookingRow;
  host: HostInfo;
  files: { fileType: string; playUrl: string | null }[];
  idempotencyKey?: string;
}): Promise<{ messageId: string }> {
  const { booking, host, recipient } = args;
  const files: RecordingMailFile[] = args.files.flatMap((f) => (f.playUrl && f.fileType !== 'TRANSCRIPT' ? [{ fileType: f.fileType, playUrl: f.playUrl }] : []));
  const rendered = renderRecordingReadyMail({
    recipient,
    locale: recipient === 'guest' ? booking.guestLocale : host.locale,
    timeZone: recipient === 'guest' ? booking.guestTimeZone : host.timeZone,
    hour12: (recipient === 'guest' ? booking.guestHour12 : host.hour12) ?? undefined,
    title: booking.title,
    start: booking.startAt,
    end: booking.endAt,
    hostName: hostName(host),
    guestName: booking.guestName,
    shareUrl: booking.recordingShareUrl,
    files,
    passcode: recipient === 'guest' ? booking.recordingPasscode : null,
    passcodeHint: recipient === 'host' ? passcodeHint(booking.recordingPasscode) : null,
    bookingUrl: recipient === 'host' ? hostBookingUrl(booking.uid) : null,
  });
  const to = recipient === 'guest' ? booking.guestEmail : host.email;
  return sendMail({ to, subject: rendered.subject, text: rendered.text, html: rendered.html, idempotencyKey: args.idempotencyKey });
}

/** The host's mail: the booking's Zoom meeting was deleted (or moved) in Zoom directly. */
export async function sendMeetingChangedMail(args: {
  booking: BookingRow;
  host: HostInfo;
  change: 'deleted' | 'rescheduled';
  zoomStart?: Date | null;
  idempotencyKey?: string;
}): Promise<{ messageId: string }> {
  const { booking, host } = args;
  const rendered = renderMeetingChangedMail({
    locale: host.locale,
    timeZone: host.timeZone,
    hour12: host.hour12 ?? undefined,
    change: args.change,
    title: booking.title,
    start: booking.startAt,
    end: booking.endAt,
    hostName: hostName(host),
    guestName: booking.guestName,
    zoomStart: args.zoomStart ?? null,
    bookingUrl: hostBookingUrl(booking.uid),
  });
  return sendMail({ to: host.email, subject: rendered.subject, text: rendered.text, html: rendered.html, idempotencyKey: args.idempotencyKey });
}

// ---- before and after the meeting: the guest's follow-up (reminders are booking mails of kind 'reminder') ----

/** The guest's mail after the meeting: thanks (message, shared recording, book again) or "sorry we missed you". */
export async function sendFollowUpMail(args: {
  kind: 'thanks' | 'sorry';
  booking: BookingRow;
  host: HostInfo;
  message: string;
  recording: { url: string; passcode: string | null } | null;
  bookAgainUrl: string | null;
  idempotencyKey?: string;
}): Promise<{ messageId: string }> {
  const { booking, host } = args;
  const rendered = renderFollowUpMail({
    kind: args.kind,
    locale: booking.guestLocale,
    timeZone: booking.guestTimeZone,
    hour12: booking.guestHour12 ?? undefined,
    title: booking.title,
    start: booking.startAt,
    end: booking.endAt,
    hostName: hostName(host),
    guestName: booking.guestName,
    message: args.message,
    recording: args.kind === 'thanks' ? args.recording : null,
    bookAgainUrl: args.bookAgainUrl,
  });
  return sendMail({ to: booking.guestEmail, subject: rendered.subject, text: rendered.text, html: rendered.html, idempotencyKey: args.idempotencyKey });
}
