import 'server-only';
import type { BookingRow } from '@/lib/bookings/types';
import type { Db } from '@/lib/db/client';

/**
 * `meeting.deleted` / `meeting.updated` for a booking's meeting (contract; the pipeline fills it in).
 * Changes Aki made itself (a cancel deletes, a reschedule patches) are recognised and ignored; a
 * deletion or a time change made in Zoom directly flags the booking (meetingChangedInZoom) and mails
 * the host, who can recreate the meeting (service.ts recreateZoomMeeting).
 */
export async function recordMeetingChangedInZoom(
  _db: Db,
  _booking: BookingRow,
  _event: 'meeting.deleted' | 'meeting.updated',
  _payload: Record<string, unknown>,
  _now: Date,
): Promise<void> {
  throw new Error('recordMeetingChangedInZoom: not implemented yet');
}
