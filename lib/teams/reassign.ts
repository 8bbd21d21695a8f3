import 'server-only';
import { and, eq } from 'drizzle-orm';
import { invalidateHostSlots } from '@/lib/booking-pages/queries';
import { kickWorker } from '@/lib/bookings/effects/worker';
import { reassignBookingRow } from '@/lib/bookings/mutations';
import { getBookingByUid, toPublicBooking } from '@/lib/bookings/queries';
import type { BookingRow, PublicBooking } from '@/lib/bookings/types';
import { getCalendarBusy } from '@/lib/calendar/host-calendar';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { organisationMembers } from '@/lib/db/schema/organisations';
import { AppError } from '@/lib/errors';
import { canManage } from '@/lib/organisations/schema';
import { forgetCachedTeamSlots } from './slots';

/**
 * An owner or admin of the page's organisation gives a round-robin team booking to another member of
 * the page (`toUserId`). The meeting moves to the new member's Zoom, the event to their calendar;
 * the guest and both members are mailed. Another organisation's booking is not_found; a member (role)
 * is forbidden; a member who is not free is 409 slot_unavailable.
 */
export async function reassignTeamBooking(callerId: string, uid: string, toUserId: string, now: Date = new Date()): Promise<BookingRow> {
  const db = await getDb();
  const booking = typeof uid === 'string' ? await getBookingByUid(uid, db) : null;
  if (!booking) throw new AppError('not_found', 'Booking not found');
  const [target] = await db.select({ id: users.id, name: users.name, handle: users.handle }).from(users).where(eq(users.id, String(toUserId))).limit(1);
  if (!target) throw new AppError('invalid_input', 'Please check the highlighted fields', { fields: { to: 'not_a_member' } });
  // The new member's calendar around the booking, read before the transaction (no network call under a lock).
  const { busy } = await getCalendarBusy(target.id, booking.blockedStartAt, booking.blockedEndAt);
  const result = await reassignBookingRow(db, {
    bookingId: booking.id,
    toUserId: target.id,
    now,
    calendarBusy: busy,
    authorize: async (tx, page) => {
      const [caller] = await tx
        .select({ role: organisationMembers.role, name: users.name })
        .from(organisationMembers)
        .innerJoin(users, eq(users.id, organisationMembers.userId))
        .where(and(eq(organisationMembers.userId, callerId), eq(organisationMembers.organisationId, page.organisationId ?? '')))
        .limit(1);
      // Another organisation's booking (or a personal page's) looks like an unknown one.
      if (!caller || !page.organisationId) throw new AppError('not_found', 'Booking not found');
      if (!canManage(caller.role)) throw new AppError('forbidden', 'Only owners and admins can do this');
      return { note: target.name ?? target.handle ?? '' };
    },
  });
  if (result.changed) {
    invalidateHostSlots(result.formerUserId);
    invalidateHostSlots(target.id);
    forgetCachedTeamSlots();
    kickWorker();
  }
  return result.booking;
}

/** POST /api/v1/bookings/{uid}/reassign {"to"} → 200 {booking} (the v1 public booking object with `hosts`). */
export async function apiReassignTeamBooking(callerId: string, uid: string, body: unknown): Promise<{ booking: PublicBooking & { hosts: { handle: string | null; name: string | null }[] } }> {
  const to = body && typeof body === 'object' ? (body as { to?: unknown }).to : undefined;
  if (typeof to !== 'string' || to.trim() === '') throw new AppError('invalid_input', 'Please check the highlighted fields', { fields: { to: 'required' } });
  const db = await getDb();
  const [target] = await db.select({ id: users.id }).from(users).where(eq(users.handle, to.trim().toLowerCase())).limit(1);
  if (!target) throw new AppError('invalid_input', 'Please check the highlighted fields', { fields: { to: 'not_a_member' } });
  const booking = await reassignTeamBooking(callerId, uid, target.id);
  const [host] = await db.select({ handle: users.handle, name: users.name }).from(users).where(eq(users.id, booking.userId)).limit(1);
  return { booking: { ...toPublicBooking(booking), hosts: host ? [host] : [] } };
}
