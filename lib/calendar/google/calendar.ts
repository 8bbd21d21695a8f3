import 'server-only';
import { createHash } from 'node:crypto';
import type { calendar_v3 } from 'googleapis';
import { type GoogleSession, httpStatusOf, withGoogle } from './client';
import type { GoogleConnectionRow } from './queries';
import { isIntegrationError } from '@/lib/errors';
import { escapeHtml } from '@/lib/html';
import { invalidateBusyCache } from '@/lib/calendar/busy-cache';
import type { BusyInterval, CalendarEventInput, HostCalendar } from '@/lib/calendar/types';

/**
 * Google Calendar for one host through googleapis (calendar v3): the calendar list, busy times from
 * the chosen calendars, and the HostCalendar the booking pipeline writes events through.
 */

export type GoogleCalendarSummary = {
  id: string;
  summary: string;
  primary: boolean;
  /** owner/writer calendars can receive bookings; reader/freeBusyReader ones can only count as busy. */
  writable: boolean;
  accessRole: string;
  timeZone: string | null;
  backgroundColor: string | null;
};

function toSummary(entry: calendar_v3.Schema$CalendarListEntry): GoogleCalendarSummary | null {
  if (!entry.id) return null;
  const accessRole = entry.accessRole ?? 'reader';
  return {
    id: entry.id,
    summary: entry.summaryOverride ?? entry.summary ?? entry.id,
    primary: entry.primary === true,
    writable: accessRole === 'owner' || accessRole === 'writer',
    accessRole,
    timeZone: entry.timeZone ?? null,
    backgroundColor: entry.backgroundColor ?? null,
  };
}

/** Every calendar in the session's calendar list (primary first), following pages. */
export async function listCalendarsWith(session: Pick<GoogleSession, 'calendar' | 'call'>): Promise<GoogleCalendarSummary[]> {
  const out: GoogleCalendarSummary[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 10; page++) {
    const response = await session.calendar.calendarList.list({ maxResults: 250, pageToken, showHidden: false }, session.call);
    for (const entry of response.data.items ?? []) {
      const summary = toSummary(entry);
      if (summary && entry.deleted !== true) out.push(summary);
    }
    pageToken = response.data.nextPageToken ?? undefined;
    if (!pageToken) break;
  }
  return out.sort((a, b) => Number(b.primary) - Number(a.primary) || a.summary.localeCompare(b.summary));
}

export async function listGoogleCalendars(userId: string, options: { timeoutMs?: number } = {}): Promise<GoogleCalendarSummary[]> {
  return withGoogle(userId, 'calendarList.list', listCalendarsWith, options);
}

function mergeIntervals(intervals: BusyInterval[]): BusyInterval[] {
  const sorted = [...intervals].sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: BusyInterval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start.getTime() <= last.end.getTime()) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}

export type GoogleBusyResult = {
  busy: BusyInterval[];
  /** Calendars Google could not read (deleted, unshared): their busy times are missing. */
  failedCalendarIds: string[];
};

/**
 * Busy times of the host's chosen calendars in [from, to). With all-day events counting as busy this
 * is one freeBusy.query (Google already leaves out transparent/"free" and declined events). When
 * all-day events must not block, freeBusy cannot tell them apart, so the events are listed per
 * calendar and filtered here the same way (cancelled, transparent, declined and all-day ones skipped).
 */
export async function fetchGoogleBusy(
  connection: GoogleConnectionRow,
  from: Date,
  to: Date,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<GoogleBusyResult> {
  const calendarIds = connection.busyCalendarIds;
  if (calendarIds.length === 0 || to <= from) return { busy: [], failedCalendarIds: [] };
  return withGoogle(
    connection.userId,
    connection.allDayEventsBusy ? 'freeBusy.query' : 'events.list',
    async (session) => {
      if (connection.allDayEventsBusy) {
        const response = await session.calendar.freebusy.query(
          { requestBody: { timeMin: from.toISOString(), timeMax: to.toISOString(), items: calendarIds.map((id) => ({ id })) } },
          { ...session.call, signal: options.signal },
        );
        const busy: BusyInterval[] = [];
        const failed: string[] = [];
        for (const id of calendarIds) {
          const entry = response.data.calendars?.[id];
          if (!entry || (entry.errors && entry.errors.length > 0)) failed.push(id);
          for (const period of entry?.busy ?? []) {
            if (period.start && period.end) busy.push({ start: new Date(period.start), end: new Date(period.end) });
          }
        }
        return { busy: mergeIntervals(busy), failedCalendarIds: failed };
      }
      const results = await Promise.allSettled(calendarIds.map((id) => listBusyEvents(session, id, from, to, options.signal)));
      const busy: BusyInterval[] = [];
      const failed: string[] = [];
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') busy.push(...result.value);
        else if (httpStatusOf(result.reason) === 404) failed.push(calendarIds[index] ?? '');
        else throw result.reason;
      });
      return { busy: mergeIntervals(busy), failedCalendarIds: failed };
    },
    { timeoutMs: options.timeoutMs, connection },
  );
}

async function listBusyEvents(session: GoogleSession, calendarId: string, from: Date, to: Date, signal?: AbortSignal): Promise<BusyInterval[]> {
  const busy: BusyInterval[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 5; page++) {
    const response = await session.calendar.events.list(
      {
        calendarId,
        timeMin: from.toISOString(),
        timeMax: to.toISOString(),
        singleEvents: true,
        showDeleted: false,
        maxResults: 2500,
        pageToken,
        fields: 'items(status,transparency,start,end,attendees(self,responseStatus)),nextPageToken',
      },
      { ...session.call, signal },
    );
    for (const event of response.data.items ?? []) {
      if (event.status === 'cancelled' || event.transparency === 'transparent') continue;
      // All-day events carry `date` instead of `dateTime`: this path exists to leave them out.
      if (!event.start?.dateTime || !event.end?.dateTime) continue;
      if (event.attendees?.some((a) => a.self && a.responseStatus === 'declined')) continue;
      const start = new Date(event.start.dateTime);
      const end = new Date(event.end.dateTime);
      if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= from || start >= to) continue;
      busy.push({ start: start < from ? from : start, end: end > to ? to : end });
    }
    pageToken = response.data.nextPageToken ?? undefined;
    if (!pageToken) break;
  }
  return busy;
}

/**
 * Google event ids are chosen by Aki: base32hex derived from the booking uid. A create that timed
 * out but reached Google is then recognised on retry (409 duplicate) instead of making a second event.
 */
export function googleEventIdFor(bookingUid: string): string {
  return `aki${createHash('sha256').update(bookingUid).digest('hex').slice(0, 40)}`;
}

/**
 * The id stored on the booking names the calendar too, so moving/cancelling reaches the event even
 * after the host picked another target calendar: `g1.<base64url calendar id>.<event id>`.
 */
export function encodeGoogleEventRef(calendarId: string, eventId: string): string {
  return `g1.${Buffer.from(calendarId).toString('base64url')}.${eventId}`;
}

export function decodeGoogleEventRef(ref: string, fallbackCalendarId: string): { calendarId: string; eventId: string } {
  const match = /^g1\.([A-Za-z0-9_-]+)\.([a-v0-9]+)$/.exec(ref);
  if (!match?.[1] || !match[2]) return { calendarId: fallbackCalendarId, eventId: ref };
  return { calendarId: Buffer.from(match[1], 'base64url').toString('utf8'), eventId: match[2] };
}

/**
 * The event as Aki writes it. Google renders the description as (limited) HTML, so guest-supplied
 * text is escaped there (invariant 7); summary and location are plain text fields.
 */
export function googleEventBody(input: CalendarEventInput): calendar_v3.Schema$Event {
  const descriptionParts = [input.description.trim()];
  if (input.location && !input.description.includes(input.location)) descriptionParts.push(input.location);
  return {
    summary: input.title,
    description: escapeHtml(descriptionParts.filter(Boolean).join('\n\n')),
    location: input.location ?? '',
    start: { dateTime: input.start.toISOString(), timeZone: input.timeZone },
    end: { dateTime: input.end.toISOString(), timeZone: input.timeZone },
    attendees: [{ email: input.attendee.email, displayName: input.attendee.name, responseStatus: 'accepted' }],
    transparency: 'opaque',
    guestsCanInviteOthers: false,
    guestsCanModify: false,
    extendedProperties: { private: { akiBookingUid: input.bookingUid } },
  };
}

/** HostCalendar on Google: events go to the host's target calendar, never with Google's own invitation mail. */
export class GoogleHostCalendar implements HostCalendar {
  readonly provider = 'google' as const;

  constructor(private readonly userId: string) {}

  async createEvent(input: CalendarEventInput): Promise<{ eventId: string }> {
    const eventId = googleEventIdFor(input.bookingUid);
    const ref = await withGoogle(this.userId, 'events.insert', async (session) => {
      const calendarId = session.connection.targetCalendarId ?? 'primary';
      const body = googleEventBody(input);
      try {
        await session.calendar.events.insert({ calendarId, sendUpdates: 'none', requestBody: { ...body, id: eventId } }, session.call);
      } catch (error) {
        if (httpStatusOf(error) !== 409) throw error;
        // Our earlier attempt got through: bring that event up to date instead of creating another.
        await session.calendar.events.patch({ calendarId, eventId, sendUpdates: 'none', requestBody: { ...body, status: 'confirmed' } }, session.call);
      }
      return encodeGoogleEventRef(calendarId, eventId);
    });
    invalidateBusyCache(this.userId);
    return { eventId: ref };
  }

  async updateEvent(eventRef: string, input: CalendarEventInput): Promise<void> {
    await withGoogle(this.userId, 'events.patch', async (session) => {
      const { calendarId, eventId } = decodeGoogleEventRef(eventRef, session.connection.targetCalendarId ?? 'primary');
      await session.calendar.events.patch({ calendarId, eventId, sendUpdates: 'none', requestBody: googleEventBody(input) }, session.call);
    });
    invalidateBusyCache(this.userId);
  }

  async deleteEvent(eventRef: string): Promise<void> {
    try {
      await withGoogle(this.userId, 'events.delete', async (session) => {
        const { calendarId, eventId } = decodeGoogleEventRef(eventRef, session.connection.targetCalendarId ?? 'primary');
        await session.calendar.events.delete({ calendarId, eventId, sendUpdates: 'none' }, session.call);
      });
    } catch (error) {
      // 404 / 410: the event is already gone (the host deleted it, or our earlier attempt went through).
      if (!isIntegrationError(error, 'not_found')) throw error;
    }
    invalidateBusyCache(this.userId);
  }
}
