import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

/**
 * RFC 5545 calendar data for bookings (ical-generator does the escaping and line folding):
 * - mails carry METHOD:REQUEST (new / rescheduled / link added) or METHOD:CANCEL, with a stable UID
 *   per booking and the booking's SEQUENCE, so calendar apps update the same event;
 * - the host's private feed is METHOD:PUBLISH.
 * Guest text (name, answers) only ever goes into property values, which ical-generator escapes.
 */

export type IcsEvent = {
  /** The booking uid; the iCalendar UID is derived from it and never changes. */
  bookingUid: string;
  sequence: number;
  status: 'confirmed' | 'cancelled';
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location?: string | null;
  url?: string | null;
  organizer: { name: string; email: string };
  attendee?: { name: string; email: string } | null;
  created?: Date;
  stamp?: Date;
};

export type IcsMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

/** The iCalendar UID of a booking: stable across reschedules and cancellation. */
export const icsUid = (bookingUid: string) => `${bookingUid}@aki`;

const METHODS: Record<IcsMethod, ICalCalendarMethod> = {
  REQUEST: ICalCalendarMethod.REQUEST,
  CANCEL: ICalCalendarMethod.CANCEL,
  PUBLISH: ICalCalendarMethod.PUBLISH,
};

/** Mail addresses go into mailto: URIs; anything odd is refused rather than written raw. */
const safeEmail = (email: string) => (/^[^\s"<>;:,\\]+@[^\s"<>;:,\\]+$/.test(email) ? email : 'invalid@invalid.invalid');
/** Parameter values (CN) cannot contain DQUOTE or control characters at all (RFC 5545 §3.2): drop them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const safeParam = (value: string) => value.replace(/["\u0000-\u001f\u007f]/g, '').slice(0, 200);

export function buildIcs(method: IcsMethod, events: IcsEvent[], options: { name?: string; stamp?: Date } = {}): string {
  const calendar = ical({
    prodId: { company: 'Aki', product: 'Aki booking', language: 'EN' },
    method: METHODS[method],
    name: options.name ?? null,
  });
  for (const event of events) {
    const cancelled = method === 'CANCEL' || event.status === 'cancelled';
    calendar.createEvent({
      id: icsUid(event.bookingUid),
      sequence: event.sequence,
      start: event.start,
      end: event.end,
      stamp: event.stamp ?? options.stamp ?? new Date(),
      created: event.created ?? null,
      summary: event.summary,
      description: event.description,
      location: event.location ?? null,
      url: event.url ?? null,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      organizer: { name: safeParam(event.organizer.name) || 'Aki', email: safeEmail(event.organizer.email) },
      attendees: event.attendee
        ? [
            {
              name: safeParam(event.attendee.name),
              email: safeEmail(event.attendee.email),
              role: ICalAttendeeRole.REQ,
              status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
              rsvp: false,
            },
          ]
        : [],
    });
  }
  // RFC 5545 §3.1: every content line ends with CRLF, the last one too.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
