import type { ATTENDANCE_STATUSES, ATTENDANCE_VERDICTS, AttendanceGuestFacts } from '@/lib/db/schema/bookings';

/**
 * The meeting after the fact, as the host, the v1 API and the CSV export see it (no runtime code).
 * Facts come from Zoom (webhooks and the REST safety net, lib/meetings/facts.ts); the verdict is
 * derived from them (lib/meetings/attendance.ts); a host's own verdict is kept apart (`override`).
 */

export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export type AttendanceVerdict = (typeof ATTENDANCE_VERDICTS)[number];
export type AttendanceGuest = AttendanceGuestFacts;

/**
 * Why the verdict is what it is, when it needs saying (a closed list, translated in the UI):
 * paid_plan (Zoom lists participants only on paid plans), one_person_meeting (Zoom lists nobody for
 * a one-person meeting), not_started (Zoom has no record of the meeting being held),
 * not_zoom (the booking has no Zoom meeting: held outside Aki), missing_scope (the host's Zoom link
 * lacks the permission: reconnect), meeting_failed (no meeting was ever created), sync_failed
 * (Zoom could not be read; retried), no_data (neither webhooks nor REST reported anything yet).
 */
export type AttendanceReason =
  | 'paid_plan'
  | 'one_person_meeting'
  | 'not_started'
  | 'not_zoom'
  | 'missing_scope'
  | 'meeting_failed'
  | 'sync_failed'
  | 'no_data';

export type MeetingLifecycleStatus = 'created' | 'pending' | 'failed' | 'started' | 'ended' | 'deleted';

/** One join segment (a person who joined twice has two). */
export type ParticipantSegment = {
  name: string;
  email: string | null;
  joinAt: string | null;
  leaveAt: string | null;
  durationSeconds: number | null;
  role: 'host' | 'guest' | 'other';
};

export type RecordingFile = {
  fileType: string;
  recordingType: string | null;
  startedAt: string | null;
  endedAt: string | null;
  sizeBytes: number | null;
  playUrl: string | null;
};

/** The v1 API's additions to a booking (`GET /api/v1/bookings/{uid}`). */
export type BookingMeetingDetail = {
  meeting: {
    provider: 'zoom';
    id: string | null;
    joinUrl: string | null;
    status: MeetingLifecycleStatus;
    startedAt: string | null;
    endedAt: string | null;
  } | null;
  attendance: {
    status: AttendanceStatus;
    reason: AttendanceReason | string | null;
    guest: AttendanceGuest | null;
    participants: ParticipantSegment[];
    /** The host's correction, kept apart from the measured `status` (null: none). */
    override: { status: AttendanceVerdict; note: string | null; at: string } | null;
  };
  recordings: RecordingFile[];
};
