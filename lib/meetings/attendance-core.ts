import type { AttendanceGuestFacts } from '@/lib/db/schema/bookings';
import type { AttendanceReason, AttendanceStatus } from './types';

/**
 * The attendance verdict, derived from the facts (pure; recomputeAttendance in attendance.ts feeds
 * it from the database). No I/O, no clock: `now` is a parameter.
 */

export type Role = 'host' | 'guest' | 'other';

/** What the REST safety net saw at its last read (stored with the meeting.sync step that made it). */
export type RestObservation = {
  at: string;
  /** found: Zoom has the past meeting (it ended); not_started: still none long after the scheduled end. */
  pastMeeting: 'found' | 'not_found' | 'not_started';
  participantsCount: number | null;
  /** listed: the list was read (`listed` entries); otherwise why not. */
  participants: 'listed' | 'plan_required' | 'missing_scope' | 'not_read';
  listed: number;
};

export type SegmentInput = {
  id: number;
  name: string;
  email: string | null;
  zoomUserId: string | null;
  registrantId: string | null;
  joinAt: Date | null;
  leaveAt: Date | null;
};

export type AttendanceInput = {
  booking: {
    isZoom: boolean;
    cancelled: boolean;
    meetingStatus: 'none' | 'pending' | 'created' | 'failed';
    hasMeeting: boolean;
    endAt: Date;
    meetingEndedAt: Date | null;
    zoomRegistrantId: string | null;
    guestEmail: string;
    guestName: string;
  };
  /** The host as Zoom knows them: the linked Zoom user id and e-mail, and the Aki e-mail. */
  host: { zoomUserId: string | null; emails: string[] };
  segments: SegmentInput[];
  rest: RestObservation | null;
  /** The verdict's reason before this recompute (a missing scope stays until something better is known). */
  previousReason: string | null;
  now: Date;
};

export type MatchedBy = AttendanceGuestFacts['matchedBy'];

export type AttendanceResult = {
  status: AttendanceStatus;
  reason: AttendanceReason | null;
  guest: AttendanceGuestFacts | null;
  /** Role of each segment (by id). */
  roles: Record<number, Role>;
};

/** Trimmed, lower-cased, inner whitespace collapsed (NFKC first). Same as facts.ts normaliseName. */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

const lower = (value: string | null | undefined) => (value ? value.trim().toLowerCase() : '');

/** The role of one segment and, for the guest, how it was recognised. */
export function classify(segment: SegmentInput, input: Pick<AttendanceInput, 'booking' | 'host'>): { role: Role; matchedBy: MatchedBy } {
  const { host, booking } = input;
  const email = lower(segment.email);
  if ((host.zoomUserId && segment.zoomUserId === host.zoomUserId) || (email && host.emails.some((e) => lower(e) === email))) {
    return { role: 'host', matchedBy: null };
  }
  if (booking.zoomRegistrantId && segment.registrantId === booking.zoomRegistrantId) return { role: 'guest', matchedBy: 'registrant' };
  if (email && email === lower(booking.guestEmail)) return { role: 'guest', matchedBy: 'email' };
  const name = normaliseName(segment.name);
  if (name && name === normaliseName(booking.guestName)) return { role: 'guest', matchedBy: 'name' };
  return { role: 'other', matchedBy: null };
}

const MATCH_STRENGTH: Record<NonNullable<MatchedBy>, number> = { registrant: 3, email: 2, name: 1 };

/** Seconds covered by the closed segments, overlaps counted once. */
export function coveredSeconds(segments: readonly { joinAt: Date | null; leaveAt: Date | null }[]): number {
  const closed = segments
    .filter((s) => s.joinAt !== null && s.leaveAt !== null && s.leaveAt.getTime() > s.joinAt.getTime())
    .map((s) => [s.joinAt!.getTime(), s.leaveAt!.getTime()] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start = Number.NaN;
  let end = Number.NaN;
  for (const [from, to] of closed) {
    if (Number.isNaN(start)) {
      [start, end] = [from, to];
    } else if (from <= end) {
      end = Math.max(end, to);
    } else {
      total += end - start;
      [start, end] = [from, to];
    }
  }
  if (!Number.isNaN(start)) total += end - start;
  return Math.round(total / 1000);
}

export function guestFacts(segments: readonly (SegmentInput & { matchedBy: MatchedBy })[]): AttendanceGuestFacts {
  let matchedBy: MatchedBy = null;
  for (const s of segments) if (s.matchedBy && (!matchedBy || MATCH_STRENGTH[s.matchedBy] > MATCH_STRENGTH[matchedBy])) matchedBy = s.matchedBy;
  const joins = segments.map((s) => s.joinAt).filter((d): d is Date => d !== null);
  const first = joins.length > 0 ? new Date(Math.min(...joins.map((d) => d.getTime()))) : null;
  return { matchedBy, firstJoinAt: first ? first.toISOString() : null, totalSeconds: coveredSeconds(segments), joins: segments.length };
}

const NO_GUEST: AttendanceGuestFacts = { matchedBy: null, firstJoinAt: null, totalSeconds: 0, joins: 0 };

/**
 * The verdict:
 * - not a Zoom booking → unknown/not_zoom; no meeting ever made → unknown/meeting_failed;
 * - until the meeting ended (meeting.ended, or Zoom's past meeting read) → pending; Zoom still has no
 *   record of it long after the scheduled end → nobody/not_started;
 * - ended: host and guest present → attended; only the host → guest_no_show; only the guest →
 *   host_no_show; neither → nobody; with no segment at all, Zoom's quirks say why it cannot tell:
 *   free plan → unknown/paid_plan, an empty list for a one-person meeting → unknown/one_person_meeting
 *   (with the host known from webhooks: guest_no_show, same reason), missing scope → unknown/missing_scope,
 *   not read yet → unknown/no_data.
 */
export function computeAttendance(input: AttendanceInput): AttendanceResult {
  const { booking, rest, segments } = input;
  const classified = segments.map((s) => ({ ...s, ...classify(s, input) }));
  const roles: Record<number, Role> = Object.fromEntries(classified.map((s) => [s.id, s.role]));
  const verdict = (status: AttendanceStatus, reason: AttendanceReason | null, guest: AttendanceGuestFacts | null = null): AttendanceResult => ({
    status,
    reason,
    guest,
    roles,
  });

  if (!booking.isZoom) return verdict('unknown', 'not_zoom');
  if (!booking.hasMeeting) {
    if (booking.meetingStatus === 'failed' || (!booking.cancelled && input.now > booking.endAt)) return verdict('unknown', 'meeting_failed');
    return verdict('pending', null);
  }
  const guestSegments = classified.filter((s) => s.role === 'guest');
  const facts = guestSegments.length > 0 ? guestFacts(guestSegments) : NO_GUEST;
  const scopeMissing = rest?.participants === 'missing_scope' || (rest === null && input.previousReason === 'missing_scope');
  const ended = booking.meetingEndedAt !== null || rest?.pastMeeting === 'found';

  if (!ended) {
    if (segments.length === 0 && rest?.pastMeeting === 'not_started') return verdict('nobody', 'not_started', NO_GUEST);
    if (segments.length === 0 && scopeMissing) return verdict('unknown', 'missing_scope');
    return verdict('pending', null, guestSegments.length > 0 ? facts : null);
  }

  const onePerson = rest?.participants === 'listed' && rest.listed === 0 && rest.participantsCount === 1;
  if (segments.length === 0) {
    if (rest?.participants === 'plan_required') return verdict('unknown', 'paid_plan');
    if (onePerson) return verdict('unknown', 'one_person_meeting');
    if (scopeMissing) return verdict('unknown', 'missing_scope');
    if (rest?.participants === 'listed') return verdict('nobody', null, NO_GUEST);
    return verdict('unknown', 'no_data');
  }
  const hostPresent = classified.some((s) => s.role === 'host');
  const guestPresent = guestSegments.length > 0;
  const status: AttendanceStatus = hostPresent && guestPresent ? 'attended' : guestPresent ? 'host_no_show' : hostPresent ? 'guest_no_show' : 'nobody';
  return verdict(status, onePerson ? 'one_person_meeting' : null, facts);
}
