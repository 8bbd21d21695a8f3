import 'server-only';
import type { BookingQuestion } from '@/lib/booking-pages/schema';
import { manageUrlFor } from '@/lib/bookings/manage-token';
import type { BookingRow } from '@/lib/bookings/types';
import { buildIcs, type IcsEvent, type IcsMethod } from '@/lib/calendar/ics';
import { env } from '@/lib/env';
import { type BookingMailData, type BookingMailKind, renderBookingMail, type ZoomProblemCode } from './templates/booking';
import { sendMail } from './transport';

/**
 * Booking mails: renders the template for one recipient (their language and zone), builds the .ics
 * and hands it to the transport. Throws when the transport fails so the pipeline step retries.
 */

export type MailHost = { id: string; name: string | null; email: string; handle: string | null; timeZone: string; locale: 'ja' | 'en' };

export type BookingMailArgs = {
  kind: BookingMailKind;
  recipient: 'guest' | 'host';
  booking: BookingRow;
  host: MailHost;
  questions: BookingQuestion[];
  previous?: { start: Date; end: Date } | null;
  problem?: { code: ZoomProblemCode; detail?: string | null } | null;
  /** zoom_problem: all bookings the host's notice lists (the mail names each). */
  affected?: BookingRow[];
  idempotencyKey?: string;
};

const hostName = (host: MailHost) => host.name?.trim() || host.handle || host.email;

/** The event as the recipient's calendar should hold it. The guest copy never has the host's start link (we never store it). */
export function bookingIcsEvent(
  booking: BookingRow,
  host: MailHost,
  recipient: 'guest' | 'host',
  questions: BookingQuestion[] = [],
  options: { withManageUrl?: boolean } = {},
): IcsEvent {
  const joinUrl = booking.meetingStatus === 'created' ? booking.zoomJoinUrl : null;
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

export function bookingMailData(args: BookingMailArgs): BookingMailData {
  const { booking, host, recipient } = args;
  const appUrl = env().appUrl;
  return {
    kind: args.kind,
    recipient,
    locale: recipient === 'guest' ? booking.guestLocale : host.locale,
    timeZone: recipient === 'guest' ? booking.guestTimeZone : host.timeZone,
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
        ? { status: booking.meetingStatus, joinUrl: booking.meetingStatus === 'created' ? booking.zoomJoinUrl : null, password: booking.zoomPassword }
        : null,
    answers:
      recipient === 'host'
        ? Object.entries(booking.answers).map(([id, value]) => ({ label: args.questions.find((q) => q.id === id)?.label ?? id, value }))
        : undefined,
    manageUrl: recipient === 'guest' && booking.status === 'confirmed' ? manageUrlFor(booking.uid, booking.id) : null,
    bookingsUrl: `${appUrl}/bookings`,
    reconnectUrl: `${appUrl}/settings/integrations`,
    cancelReason: booking.cancelReason,
    cancelledBy: booking.cancelledBy,
    problem: args.problem ?? null,
    affected: args.affected?.map((b) => ({ title: b.title, guestName: b.guestName, start: b.startAt, end: b.endAt })),
    withIcs: args.kind !== 'zoom_problem',
  };
}

/** Sends one booking mail. Returns whether it carried the Zoom join link (the pipeline decides on a "link ready" mail from it). */
export async function sendBookingMail(args: BookingMailArgs): Promise<{ messageId: string; withLink: boolean }> {
  const data = bookingMailData(args);
  const rendered = renderBookingMail(data);
  const to = args.recipient === 'guest' ? args.booking.guestEmail : args.host.email;
  let ics: string | null = null;
  let method: IcsMethod = 'REQUEST';
  if (data.withIcs) {
    method = args.kind === 'cancelled' ? 'CANCEL' : 'REQUEST';
    ics = buildIcs(method, [bookingIcsEvent(args.booking, args.host, args.recipient, args.questions)]);
  }
  const result = await sendMail({
    to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    idempotencyKey: args.idempotencyKey,
    icalEvent: ics ? { method, filename: 'invite.ics', content: ics } : undefined,
    attachments: ics
      ? [{ filename: args.kind === 'cancelled' ? 'cancel.ics' : 'invite.ics', content: ics, contentType: `text/calendar; charset=utf-8; method=${method}` }]
      : undefined,
  });
  return { messageId: result.messageId, withLink: Boolean(data.meeting?.joinUrl) };
}
