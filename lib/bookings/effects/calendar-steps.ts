import { and, desc, eq } from 'drizzle-orm';
import { isCalendarError } from '@/lib/calendar/errors';
import { getHostCalendar, invalidateCalendarBusy } from '@/lib/calendar/host-calendar';
import type { CalendarEventInput } from '@/lib/calendar/types';
import { bookingSteps } from '@/lib/db/schema/bookings';
import { bookingIcsEvent } from '@/lib/mail/send';
import { recreateCalendarEvent, setCalendarEventId } from '@/lib/bookings/mutations';
import { errorMessage, type StepContext, type StepHandler, type StepOutcome } from './context';

/** A revoked / disconnected calendar: retried slowly until the host reconnects (wakeCalendarSteps pulls it forward). */
export const CALENDAR_WAIT_MS = 15 * 60_000;

/** Maps a calendar failure to the step outcome (lib/calendar/errors.ts). */
function calendarFailure(error: unknown): StepOutcome {
  const message = errorMessage(error);
  if (!isCalendarError(error)) return { type: 'retry', error: message };
  if (error.revoked || error.reason === 'not_connected') return { type: 'wait', error: message, delayMs: CALENDAR_WAIT_MS };
  if (error.reason === 'rate_limited') return { type: 'retry', error: message, delayMs: error.retryAfterMs };
  return error.retryable ? { type: 'retry', error: message } : { type: 'fail', error: message };
}

/**
 * calendar.create / calendar.update / calendar.delete through the calendar interface. With no
 * calendar linked the step is `skipped` (the .ics in the mails and the private feed are the calendar).
 */

/** How long the calendar write waits for the Zoom link (so the event carries it); after that it is written without and updated later. */
const WAIT_FOR_ZOOM_MS = 30_000;

function eventInput(ctx: StepContext): CalendarEventInput {
  const { booking, host } = ctx;
  const ics = bookingIcsEvent(booking, host, 'host', ctx.page?.questions ?? []);
  return {
    bookingUid: booking.uid,
    title: ics.summary,
    description: ics.description,
    start: booking.startAt,
    end: booking.endAt,
    timeZone: host.timeZone,
    location: ics.location ?? undefined,
    attendee: { name: booking.guestName, email: booking.guestEmail },
  };
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
      return calendarFailure(error);
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
      if (isCalendarError(error) && error.reason === 'not_found') {
        // The host deleted the event: write a new one.
        const { now } = ctx;
        const gone = booking.calendarEventId;
        await recreateCalendarEvent(ctx.db, booking.id, now);
        return { type: 'done', payload: { eventId: gone, recreated: true } };
      }
      return calendarFailure(error);
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
      if (isCalendarError(error) && error.reason === 'not_found') return { type: 'done', payload: { eventId: booking.calendarEventId, alreadyGone: true } };
      return calendarFailure(error);
    }
  },
};
