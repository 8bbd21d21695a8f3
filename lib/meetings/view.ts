import type { AttendanceStatus, AttendanceVerdict, MeetingLifecycleStatus, ParticipantSegment } from './types';

/**
 * Pure helpers of the host's view of a meeting after the fact (no I/O, no server-only: the pages, the
 * v1 API and the CSV export share them): the lifecycle status, the verdict that counts (the host's
 * correction wins), the attendance rate, the timeline and the recording passcode hint.
 */

/** v1 `meeting.status`: deleted in Zoom, else ended, started, else Aki's own meeting status. */
export function meetingLifecycleStatus(row: {
  meetingStatus: 'none' | 'pending' | 'created' | 'failed';
  meetingChangedInZoom: 'deleted' | 'rescheduled' | null;
  meetingStartedAt: Date | null;
  meetingEndedAt: Date | null;
}): MeetingLifecycleStatus | null {
  if (row.meetingChangedInZoom === 'deleted') return 'deleted';
  if (row.meetingEndedAt) return 'ended';
  if (row.meetingStartedAt) return 'started';
  if (row.meetingStatus === 'none') return null;
  return row.meetingStatus;
}

/** The verdict that counts: the host's correction when set, else the measured one. */
export const effectiveAttendance = (status: AttendanceStatus, override: AttendanceVerdict | null): AttendanceStatus => override ?? status;

/** Final verdicts (a rate counts them); `pending` and `unknown` are not. */
export const isFinalVerdict = (status: AttendanceStatus): status is AttendanceVerdict =>
  status === 'attended' || status === 'guest_no_show' || status === 'host_no_show' || status === 'nobody';

export const isNoShow = (status: AttendanceStatus) => status === 'guest_no_show' || status === 'host_no_show';

/** Attended ÷ bookings with a final verdict (null when none has one). */
export function attendanceRate(verdicts: AttendanceStatus[]): { attended: number; decided: number; rate: number | null } {
  const decided = verdicts.filter(isFinalVerdict);
  const attended = decided.filter((v) => v === 'attended').length;
  return { attended, decided: decided.length, rate: decided.length === 0 ? null : attended / decided.length };
}

/** What the host sees of the recording passcode: its first two characters, the rest hidden. */
export const passcodeHint = (passcode: string | null | undefined): string | null => (passcode ? `${[...passcode].slice(0, 2).join('')}•••` : null);

export const segmentSeconds = (joinAt: Date | null, leaveAt: Date | null): number | null =>
  joinAt && leaveAt ? Math.max(0, Math.round((leaveAt.getTime() - joinAt.getTime()) / 1000)) : null;

export type TimelineKind =
  | 'booked'
  | 'meeting_created'
  | 'started'
  | 'joined'
  | 'left'
  | 'ended'
  | 'recording_ready'
  | 'changed_in_zoom'
  | 'cancelled';

export type TimelineEvent = {
  at: string;
  kind: TimelineKind;
  /** joined/left: who. */
  name?: string;
  role?: ParticipantSegment['role'];
  /** ended: the actual duration. */
  durationSeconds?: number;
  /** changed_in_zoom: what changed. */
  change?: 'deleted' | 'rescheduled';
};

export type TimelineFacts = {
  createdAt: Date;
  meetingCreatedAt: Date | null;
  meetingStartedAt: Date | null;
  meetingEndedAt: Date | null;
  segments: { name: string; role: ParticipantSegment['role']; joinAt: Date | null; leaveAt: Date | null }[];
  firstRecordingAt: Date | null;
  changedInZoom: 'deleted' | 'rescheduled' | null;
  changedInZoomAt: Date | null;
  cancelledAt: Date | null;
};

/** The order of events at the same instant: the story's order (a join before its leave, a start before joins). */
const ORDER: Record<TimelineKind, number> = {
  booked: 0,
  meeting_created: 1,
  started: 2,
  joined: 3,
  left: 4,
  ended: 5,
  recording_ready: 6,
  changed_in_zoom: 7,
  cancelled: 8,
};

/** The booking's story, oldest first (every join segment gives a join and, when known, a leave). */
export function buildTimeline(facts: TimelineFacts): TimelineEvent[] {
  const events: TimelineEvent[] = [{ at: facts.createdAt.toISOString(), kind: 'booked' }];
  if (facts.meetingCreatedAt) events.push({ at: facts.meetingCreatedAt.toISOString(), kind: 'meeting_created' });
  if (facts.meetingStartedAt) events.push({ at: facts.meetingStartedAt.toISOString(), kind: 'started' });
  for (const s of facts.segments) {
    if (s.joinAt) events.push({ at: s.joinAt.toISOString(), kind: 'joined', name: s.name, role: s.role });
    if (s.leaveAt) events.push({ at: s.leaveAt.toISOString(), kind: 'left', name: s.name, role: s.role });
  }
  if (facts.meetingEndedAt) {
    const ended: TimelineEvent = { at: facts.meetingEndedAt.toISOString(), kind: 'ended' };
    const seconds = segmentSeconds(facts.meetingStartedAt, facts.meetingEndedAt);
    if (seconds !== null) ended.durationSeconds = seconds;
    events.push(ended);
  }
  if (facts.firstRecordingAt) events.push({ at: facts.firstRecordingAt.toISOString(), kind: 'recording_ready' });
  if (facts.changedInZoom && facts.changedInZoomAt) events.push({ at: facts.changedInZoomAt.toISOString(), kind: 'changed_in_zoom', change: facts.changedInZoom });
  if (facts.cancelledAt) events.push({ at: facts.cancelledAt.toISOString(), kind: 'cancelled' });
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.at.localeCompare(b.event.at) || ORDER[a.event.kind] - ORDER[b.event.kind] || a.index - b.index)
    .map(({ event }) => event);
}

/** Minutes, rounded, for display and CSV (null stays null). */
export const minutesOf = (seconds: number | null | undefined): number | null => (seconds === null || seconds === undefined ? null : Math.round(seconds / 60));

/** `GET /api/v1/bookings/{uid}`: the list item's fields, with `meeting` widened to the v1 meeting and `attendance`, `recordings` added. */
export function apiBookingDetail<
  Item extends { meeting: { status: string; joinUrl: string | null; reason: string | null; needsReconnect: boolean } },
  Detail extends {
    meeting: { provider: 'zoom'; id: string | null; joinUrl: string | null; status: MeetingLifecycleStatus; startedAt: string | null; endedAt: string | null } | null;
    attendance: unknown;
    recordings: unknown[];
  },
>(item: Item, detail: Detail) {
  const meeting = detail.meeting ? { ...detail.meeting, reason: item.meeting.reason, needsReconnect: item.meeting.needsReconnect } : null;
  return { ...item, meeting, attendance: detail.attendance, recordings: detail.recordings };
}
