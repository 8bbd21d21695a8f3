import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { users } from '@/lib/db/schema/hosts';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { meetingParticipants } from '@/lib/db/schema/meetings';
import { emitWebhookEvent } from '@/lib/webhooks/emit';
import { type AttendanceResult, computeAttendance, type RestObservation } from './attendance-core';

export { type AttendanceInput, type AttendanceResult, computeAttendance, type RestObservation } from './attendance-core';

/**
 * Writes the booking's attendance verdict (bookings.attendance{Status,Reason,Guest,ComputedAt}) and
 * each segment's role from the facts as they are now. The host's own verdict
 * (attendanceOverride*) is never touched. `rest`: what a REST read just saw; otherwise the last one
 * a meeting.sync step stored. Runs in `tx` when given (the caller's transaction), else in its own.
 */
export async function recomputeAttendance(db: DbOrTx, bookingId: string, now: Date, rest?: RestObservation | null): Promise<AttendanceResult | null> {
  const run = async (tx: DbOrTx) => {
    const [row] = await tx
      .select({ booking: bookings, hostEmail: users.email, zoomUserId: zoomConnections.zoomUserId, zoomEmail: zoomConnections.zoomEmail })
      .from(bookings)
      .innerJoin(users, eq(users.id, bookings.userId))
      .leftJoin(zoomConnections, eq(zoomConnections.userId, bookings.userId))
      .where(eq(bookings.id, bookingId))
      .limit(1);
    if (!row) return null;
    const { booking } = row;
    const segments = await tx.select().from(meetingParticipants).where(eq(meetingParticipants.bookingId, bookingId));
    const observation = rest === undefined ? await lastRestObservation(tx, bookingId) : rest;
    const result = computeAttendance({
      booking: {
        isZoom: booking.location.type === 'zoom',
        cancelled: booking.status === 'cancelled',
        meetingStatus: booking.meetingStatus,
        hasMeeting: booking.zoomMeetingId !== null,
        endAt: booking.endAt,
        meetingEndedAt: booking.meetingEndedAt,
        zoomRegistrantId: booking.zoomRegistrantId,
        guestEmail: booking.guestEmail,
        guestName: booking.guestName,
      },
      host: { zoomUserId: row.zoomUserId, emails: [row.zoomEmail, row.hostEmail].filter((e): e is string => Boolean(e)) },
      segments,
      rest: observation,
      previousReason: booking.attendanceReason,
      now,
    });
    await tx
      .update(bookings)
      .set({ attendanceStatus: result.status, attendanceReason: result.reason, attendanceGuest: result.guest, attendanceComputedAt: now, updatedAt: now })
      .where(eq(bookings.id, bookingId));
    if (booking.attendanceStatus !== result.status || !sameFacts(booking.attendanceGuest, result.guest)) await emitWebhookEvent(tx, booking, 'attendance.updated', now);
    for (const segment of segments) {
      const role = result.roles[segment.id] ?? 'other';
      if (segment.role !== role) await tx.update(meetingParticipants).set({ role, updatedAt: now }).where(eq(meetingParticipants.id, segment.id));
    }
    return result;
  };
  // In a transaction this is a savepoint: the verdict and the roles are written together either way.
  return (db as Db).transaction(run);
}

/** The guest facts as stored (jsonb, keys reordered) against as computed: equal whatever the key order. */
function sameFacts(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, canonical(v)]))
        : value;
  return JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));
}

/** The observation the latest meeting.sync run stored in its step payload (`rest`), or null. */
async function lastRestObservation(tx: DbOrTx, bookingId: string): Promise<RestObservation | null> {
  const [step] = await tx
    .select({ payload: bookingSteps.payload })
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, bookingId), eq(bookingSteps.kind, 'meeting.sync'), sql`${bookingSteps.payload} ? 'rest'`))
    .orderBy(desc(bookingSteps.updatedAt), desc(bookingSteps.id))
    .limit(1);
  return (step?.payload.rest as RestObservation | undefined) ?? null;
}
