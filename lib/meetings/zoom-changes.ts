import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { BookingRow } from '@/lib/bookings/types';
import type { Db } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';

/**
 * `meeting.deleted` / `meeting.updated` for a booking's meeting. Changes Aki made itself are
 * recognised and ignored: Aki's cancel marks the booking cancelled before its zoom.delete runs, and
 * Aki's reschedule PATCHes the meeting to the booking's (already moved) start. A deletion or a time
 * change made in Zoom directly flags the booking (meetingChangedInZoom) and mails the host, who can
 * recreate the meeting (service.ts recreateZoomMeeting) or reschedule. The guest is not mailed; their
 * pages say the link is being replaced (lib/bookings/queries.ts).
 */

const idOf = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : null;

export type MeetingChange = 'deleted' | 'rescheduled' | 'cleared' | 'ignored';

/** What the event means for the booking (pure): a change to flag, the flag to clear, or nothing. */
export function meetingChangeOf(
  booking: Pick<BookingRow, 'status' | 'zoomMeetingId' | 'startAt' | 'meetingChangedInZoom'>,
  event: 'meeting.deleted' | 'meeting.updated',
  payload: Record<string, unknown>,
): MeetingChange {
  const object = (typeof payload.object === 'object' && payload.object !== null ? payload.object : {}) as Record<string, unknown>;
  // A cancelled booking's meeting is deleted by Aki itself; an old meeting's events are about nothing now.
  if (booking.status !== 'confirmed' || !booking.zoomMeetingId || idOf(object.id) !== booking.zoomMeetingId) return 'ignored';
  // A single occurrence of a recurring meeting is not what Aki booked.
  if (idOf(object.occurrence_id) !== null) return 'ignored';
  if (event === 'meeting.deleted') return booking.meetingChangedInZoom === 'deleted' ? 'ignored' : 'deleted';
  const start = typeof object.start_time === 'string' ? Date.parse(object.start_time) : Number.NaN;
  if (Number.isNaN(start)) return 'ignored'; // topic, agenda, settings…: the time still holds
  if (start === booking.startAt.getTime()) return booking.meetingChangedInZoom === 'rescheduled' ? 'cleared' : 'ignored';
  return booking.meetingChangedInZoom ? 'ignored' : 'rescheduled';
}

/**
 * Applies a `meeting.deleted` / `meeting.updated` event to the booking: flags it and queues the host's
 * mail (`mail.host.meeting_changed`, once per change), or clears a "rescheduled" flag when the meeting
 * was moved back to the booking's time. Re-reads the booking under its row lock (the event may be
 * processed while Aki itself cancels or moves the booking).
 */
export async function recordMeetingChangedInZoom(
  db: Db,
  booking: BookingRow,
  event: 'meeting.deleted' | 'meeting.updated',
  payload: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(bookings).where(eq(bookings.id, booking.id)).for('update');
    if (!current) return;
    const change = meetingChangeOf(current, event, payload);
    if (change === 'ignored') return;
    if (change === 'cleared') {
      await tx
        .update(bookings)
        .set({ meetingChangedInZoom: null, meetingChangedInZoomAt: null, updatedAt: now })
        .where(and(eq(bookings.id, current.id), eq(bookings.meetingChangedInZoom, 'rescheduled')));
      return;
    }
    const object = (payload.object ?? {}) as Record<string, unknown>;
    await tx.update(bookings).set({ meetingChangedInZoom: change, meetingChangedInZoomAt: now, updatedAt: now }).where(eq(bookings.id, current.id));
    await tx.insert(bookingSteps).values({
      bookingId: current.id,
      kind: 'mail.host.meeting_changed',
      runAt: now,
      payload: {
        change,
        meetingId: current.zoomMeetingId,
        ...(change === 'rescheduled' && typeof object.start_time === 'string' ? { zoomStart: new Date(object.start_time).toISOString() } : {}),
      },
      maxAttempts: 10,
      createdAt: now,
      updatedAt: now,
    });
  });
}
