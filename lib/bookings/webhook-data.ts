import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { meetingParticipants } from '@/lib/db/schema/meetings';
import { getBookingMeetingDetail } from '@/lib/meetings/queries';
import { apiBookingDetail } from '@/lib/meetings/view';
import type { WebhookEventType } from '@/lib/webhooks/events';
import { apiGetBooking } from './service';
import type { BookingRow } from './types';

/**
 * An outgoing webhook's `data` (README "Outgoing webhooks"): the booking exactly as GET
 * /api/v1/bookings/{uid} returns it, so a receiver needs one parser for both. `attendance.updated`
 * adds every participant segment (name, email, join/leave, seconds) so a CRM connector need not ask Zoom.
 */
export async function webhookEventData(db: Db, booking: BookingRow, type: WebhookEventType): Promise<Record<string, unknown>> {
  const [item, page] = await Promise.all([apiGetBooking(booking.userId, booking.uid), getBookingMeetingDetail(db, booking.userId, booking.uid)]);
  const data: Record<string, unknown> = apiBookingDetail(item, page.detail);
  if (type !== 'attendance.updated') return data;
  const segments = await db
    .select({ name: meetingParticipants.name, email: meetingParticipants.email, joinAt: meetingParticipants.joinAt, leaveAt: meetingParticipants.leaveAt })
    .from(meetingParticipants)
    .where(eq(meetingParticipants.bookingId, booking.id))
    .orderBy(asc(meetingParticipants.joinAt), asc(meetingParticipants.id));
  return {
    ...data,
    participants: segments.map((s) => ({
      name: s.name,
      email: s.email,
      joinAt: s.joinAt?.toISOString() ?? null,
      leaveAt: s.leaveAt?.toISOString() ?? null,
      durationSeconds: s.joinAt && s.leaveAt ? Math.max(0, Math.round((s.leaveAt.getTime() - s.joinAt.getTime()) / 1000)) : null,
    })),
  };
}
