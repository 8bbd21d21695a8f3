import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { ensurePendingStep, firstSyncAt, scheduleMeetingSync } from './steps';

const CONFIRMATIONS = {
  guest: ['mail.guest.confirmed', 'mail.guest.rescheduled'],
  host: ['mail.host.confirmed', 'mail.host.rescheduled'],
} as const;

/**
 * The meeting lifecycle's commands for the product (UI actions and the v1 API call these; the worker
 * does the work). Contracts fixed first so the UI and the pipeline could be built side by side.
 */

/**
 * Asks for a REST read of the meeting now ("Refresh from Zoom"): enqueues the booking's `meeting.sync`
 * step to run at `now` (one pending sync per booking: an existing one is moved to `now`). The caller
 * has already checked that the booking belongs to the signed-in host and has a Zoom meeting.
 * Returns false when the booking has no Zoom meeting to read.
 */
export async function requestMeetingSync(db: Db, bookingId: string, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [booking] = await tx.select({ zoomMeetingId: bookings.zoomMeetingId }).from(bookings).where(eq(bookings.id, bookingId)).for('update');
    if (!booking?.zoomMeetingId) return false;
    await scheduleMeetingSync(tx, bookingId, now, now, 'set');
    return true;
  });
}

/**
 * The Zoom meeting was deleted in Zoom: makes a new one for the booking (clears the dead meeting,
 * enqueues zoom.create; the guest gets the new link by mail when it is ready). Caller checked ownership.
 * Returns false when the booking's meeting was not deleted in Zoom (nothing to do).
 */
export async function recreateZoomMeeting(db: Db, bookingId: string, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [booking] = await tx
      .update(bookings)
      .set({
        meetingStatus: 'pending',
        zoomMeetingId: null,
        zoomJoinUrl: null,
        zoomPassword: null,
        zoomRegistrantId: null,
        guestJoinUrl: null,
        meetingChangedInZoom: null,
        meetingChangedInZoomAt: null,
        // The new meeting has not been held: its facts start over (segments of the old one stay listed).
        meetingUuid: null,
        meetingStartedAt: null,
        meetingEndedAt: null,
        attendanceStatus: 'pending',
        attendanceReason: null,
        attendanceGuest: null,
        updatedAt: now,
      })
      .where(and(eq(bookings.id, bookingId), eq(bookings.meetingChangedInZoom, 'deleted'), eq(bookings.status, 'confirmed')))
      .returning({ id: bookings.id, endAt: bookings.endAt });
    if (!booking) return false;
    // zoom.create stores the new meeting and queues the "Zoom link" mails for whoever already had a
    // confirmation (as for a link that came late), and the meeting's REST read if none is pending.
    await ensurePendingStep(tx, bookingId, 'zoom.create', now, now, 'earlier');
    // Whoever already has a mail with the dead link gets the new one: a "Zoom link" mail per side,
    // held back until zoom.create stores the meeting (it pulls pending link mails forward then).
    const sent = await tx
      .select({ kind: bookingSteps.kind })
      .from(bookingSteps)
      .where(and(eq(bookingSteps.bookingId, bookingId), inArray(bookingSteps.kind, [...CONFIRMATIONS.guest, ...CONFIRMATIONS.host]), eq(bookingSteps.status, 'done')));
    for (const side of ['guest', 'host'] as const) {
      if (!sent.some((s) => (CONFIRMATIONS[side] as readonly string[]).includes(s.kind))) continue;
      await ensurePendingStep(tx, bookingId, `mail.${side}.link_ready`, booking.endAt, now, 'keep', { meetingReplaced: true });
      await tx
        .update(bookingSteps)
        .set({ payload: sql`${bookingSteps.payload} || '{"meetingReplaced":true}'::jsonb`, updatedAt: now })
        .where(and(eq(bookingSteps.bookingId, bookingId), eq(bookingSteps.kind, `mail.${side}.link_ready`), eq(bookingSteps.status, 'pending')));
    }
    await scheduleMeetingSync(tx, bookingId, firstSyncAt(booking.endAt), now, 'keep');
    return true;
  });
}
