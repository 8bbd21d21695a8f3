import 'server-only';
import { and, desc, eq } from 'drizzle-orm';
import { getHostCalendar, invalidateCalendarBusy } from '@/lib/calendar/host-calendar';
import type { CalendarEventInput } from '@/lib/calendar/types';
import { bookingSteps } from '@/lib/db/schema/bookings';
import { recreateCalendarEvent, setCalendarEventId } from '@/lib/bookings/mutations';
import { bookingCalendarEvent } from '@/lib/bookings/notifications';
import { isIntegrationError } from '@/lib/errors';
import type { StepContext, StepHandler, StepOutcome } from './context';
import { failureOutcome } from './outcomes';

/** A calendar failure's step outcome (outcomes.ts). A revoked Google link tells the host itself (markGoogleRevoked). */
const calendarFailure = (ctx: StepContext, error: unknown): StepOutcome => failureOutcome(ctx, error).outcome;

/**
 * calendar.create / calendar.update / calendar.delete through the calendar interface. With no
 * calendar linked the step is `skipped` (the .ics in the mails and the private feed are the calendar).
 */

/** How long the calendar write waits for the Zoom link (so the event carries it); after that it is written without and updated later. */
const WAIT_FOR_ZOOM_MS = 30_000;

function eventInput(ctx: StepContext): CalendarEventInput {
  return bookingCalendarEvent(ctx.booking, ctx.host, ctx.page?.questions ?? []);
}

async function latestKindStatus(ctx: StepContext, kind: string) {
  const [row] = await ctx.db
    .select({ status: bookingSteps.status })
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, ctx.booking.id), eq(bookingSteps.kind, kind)))
    .orderBy(desc(bookingSteps.id))
    .limit(1);
  return row?.status ?? null;
}

export const calendarCreate: StepHandler = {
  async run(ctx) {
    const { booking, now } = ctx;
    if (booking.status !== 'confirmed') return { type: 'skipped', reason: 'booking cancelled' };
    if (booking.calendarEventId) return { type: 'done', payload: { eventId: booking.calendarEventId } };
    const calendar = await getHostCalendar(booking.userId);
    if (!calendar) return { type: 'skipped', reason: 'no calendar linked' };
    if (booking.meetingStatus === 'pending' && now.getTime() - booking.createdAt.getTime() < WAIT_FOR_ZOOM_MS) {
      const zoom = await latestKindStatus(ctx, 'zoom.create');
      if (zoom === 'running') return { type: 'defer', delayMs: 1_000, reason: 'waiting for the Zoom link' };
    }
    try {
      const { eventId } = await calendar.createEvent(eventInput(ctx));
      await setCalendarEventId(ctx.db, booking.id, eventId, now);
      invalidateCalendarBusy(booking.userId);
      return { type: 'done', payload: { eventId, provider: calendar.provider } };
    } catch (error) {
      return calendarFailure(ctx, error);
    }
  },
};

export const calendarUpdate: StepHandler = {
  async run(ctx) {
    const { booking } = ctx;
    if (booking.status !== 'confirmed') return { type: 'skipped', reason: 'booking cancelled' };
    if (!booking.calendarEventId) {
      const create = await latestKindStatus(ctx, 'calendar.create');
      if (create === 'pending' || create === 'running') return { type: 'defer', delayMs: 3_000, reason: 'waiting for calendar.create' };
      return { type: 'skipped', reason: 'no calendar event' };
    }
    const calendar = await getHostCalendar(booking.userId);
    if (!calendar) return { type: 'skipped', reason: 'no calendar linked' };
    try {
      await calendar.updateEvent(booking.calendarEventId, eventInput(ctx));
      invalidateCalendarBusy(booking.userId);
      return { type: 'done', payload: { eventId: booking.calendarEventId } };
    } catch (error) {
      if (isIntegrationError(error, 'not_found')) {
        // The host deleted the event: write a new one.
        const { now } = ctx;
        const gone = booking.calendarEventId;
        await recreateCalendarEvent(ctx.db, booking.id, now);
        return { type: 'done', payload: { eventId: gone, recreated: true } };
      }
      return calendarFailure(ctx, error);
    }
  },
};

export const calendarDelete: StepHandler = {
  async run(ctx) {
    const { booking } = ctx;
    if (!booking.calendarEventId) {
      const create = await latestKindStatus(ctx, 'calendar.create');
      if (create === 'running') return { type: 'defer', delayMs: 3_000, reason: 'waiting for calendar.create' };
      return { type: 'skipped', reason: 'no calendar event' };
    }
    const calendar = await getHostCalendar(booking.userId);
    if (!calendar) return { type: 'skipped', reason: 'no calendar linked' };
    try {
      await calendar.deleteEvent(booking.calendarEventId);
      invalidateCalendarBusy(booking.userId);
      return { type: 'done', payload: { eventId: booking.calendarEventId } };
    } catch (error) {
      if (isIntegrationError(error, 'not_found')) return { type: 'done', payload: { eventId: booking.calendarEventId, alreadyGone: true } };
      return calendarFailure(ctx, error);
    }
  },
};
