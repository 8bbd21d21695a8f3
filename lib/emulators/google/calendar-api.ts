import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isKnownTimeZone } from '@/lib/availability/time-zone';
import { apiError, type EmulatorContext, instantOf, isDate, json, parseRfc3339, readBody } from './http';
import { type Authenticated, authenticate } from './oauth';
import {
  type EmuCalendar,
  type EmuEvent,
  type EventDateTime,
  newEventId,
  SCOPE_CALENDAR,
  SCOPE_CALENDAR_EVENTS,
  SCOPE_CALENDAR_EVENTS_READONLY,
  SCOPE_CALENDAR_READONLY,
  SCOPE_FREEBUSY,
} from './state';

/**
 * The Calendar v3 subset Aki uses: calendarList.list/get, freeBusy.query, events.list/get/insert/
 * patch/update/delete. Recurring events are not emulated (every event is a single event).
 */

const READ_LIST = [SCOPE_CALENDAR, SCOPE_CALENDAR_READONLY];
const READ_EVENTS = [SCOPE_CALENDAR, SCOPE_CALENDAR_READONLY, SCOPE_CALENDAR_EVENTS, SCOPE_CALENDAR_EVENTS_READONLY];
const READ_FREEBUSY = [...READ_EVENTS, SCOPE_FREEBUSY];
const WRITE_EVENTS = [SCOPE_CALENDAR, SCOPE_CALENDAR_EVENTS];

const EVENT_ID = /^[a-v0-9]{5,1024}$/;

const insufficientScopes = () =>
  apiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', {}, {});

function unauthenticated(kind: 'missing' | 'invalid'): Response {
  if (kind === 'missing') {
    return apiError(
      401,
      'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      'required',
      { location: 'Authorization', locationType: 'header' },
      { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
    );
  }
  return apiError(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    'authError',
    { location: 'Authorization', locationType: 'header' },
    { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  );
}

const etag = (value: unknown) => `"${createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 16)}"`;

function calendarFor(ctx: EmulatorContext, auth: Authenticated, id: string): EmuCalendar | undefined {
  if (id === 'primary') return ctx.state.calendars.find((c) => c.userId === auth.user.id && c.primary);
  return ctx.state.calendars.find((c) => c.id === id && c.userId === auth.user.id);
}

function calendarListEntry(calendar: EmuCalendar) {
  return {
    kind: 'calendar#calendarListEntry',
    etag: etag(calendar),
    id: calendar.id,
    summary: calendar.summary,
    timeZone: calendar.timeZone,
    colorId: calendar.primary ? '14' : '4',
    backgroundColor: calendar.backgroundColor,
    foregroundColor: '#000000',
    selected: true,
    accessRole: calendar.accessRole,
    defaultReminders: calendar.primary ? [{ method: 'popup', minutes: 10 }] : [],
    ...(calendar.primary ? { primary: true } : {}),
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  };
}

export function eventResource(event: EmuEvent) {
  return {
    kind: 'calendar#event',
    etag: event.etag,
    id: event.id,
    status: event.status,
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${event.id} ${event.calendarId}`).toString('base64url')}`,
    created: event.created,
    updated: event.updated,
    ...(event.summary !== undefined ? { summary: event.summary } : {}),
    ...(event.description !== undefined ? { description: event.description } : {}),
    ...(event.location !== undefined ? { location: event.location } : {}),
    creator: event.creator,
    organizer: event.organizer,
    start: event.start,
    end: event.end,
    ...(event.transparency === 'transparent' ? { transparency: 'transparent' } : {}),
    iCalUID: event.iCalUID,
    sequence: event.sequence,
    ...(event.attendees.length > 0 ? { attendees: event.attendees } : {}),
    ...(event.extendedProperties ? { extendedProperties: event.extendedProperties } : {}),
    reminders: { useDefault: true },
    eventType: 'default',
  };
}

const dateTimeSchema = z.object({
  dateTime: z.string().optional(),
  date: z.string().optional(),
  timeZone: z.string().optional(),
});
const attendeeSchema = z.object({
  email: z.string(),
  displayName: z.string().optional(),
  responseStatus: z.string().optional(),
  optional: z.boolean().optional(),
});
const eventBodySchema = z.object({
  id: z.string().optional(),
  status: z.enum(['confirmed', 'tentative', 'cancelled']).optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  start: dateTimeSchema.optional(),
  end: dateTimeSchema.optional(),
  transparency: z.enum(['opaque', 'transparent']).optional(),
  attendees: z.array(attendeeSchema).optional(),
  extendedProperties: z
    .object({ private: z.record(z.string(), z.string()).optional(), shared: z.record(z.string(), z.string()).optional() })
    .optional(),
});
type EventBody = z.infer<typeof eventBodySchema>;

/** Validates start/end like Google ("Missing end time.", "The specified time range is empty."). */
function checkTimes(start: EventDateTime | undefined, end: EventDateTime | undefined, calendar: EmuCalendar): Response | null {
  if (!start || (!start.dateTime && !start.date)) return apiError(400, 'Missing start time.', 'required');
  if (!end || (!end.dateTime && !end.date)) return apiError(400, 'Missing end time.', 'required');
  for (const value of [start, end]) {
    if (value.date && !isDate(value.date)) return apiError(400, 'Invalid start time.', 'invalid');
    if (value.timeZone && !isKnownTimeZone(value.timeZone)) return apiError(400, `Invalid time zone definition for start time.`, 'timeZoneUnknown');
  }
  if (Boolean(start.date) !== Boolean(end.date)) return apiError(400, 'Start and end times must either both be date or both be dateTime.', 'invalid');
  const from = instantOf(start, calendar);
  const to = instantOf(end, calendar);
  if (!from || !to) return apiError(400, 'Bad Request', 'badRequest');
  if (to < from || (to.getTime() === from.getTime() && start.date)) return apiError(400, 'The specified time range is empty.', 'timeRangeEmpty');
  return null;
}

function attendeesOf(body: EventBody): EmuEvent['attendees'] | undefined {
  return body.attendees?.map((a) => ({
    email: a.email,
    ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
    responseStatus: a.responseStatus ?? 'needsAction',
  }));
}

/** Creates an event in a calendar (used by events.insert and by the control API). */
export function createEvent(ctx: EmulatorContext, calendar: EmuCalendar, body: EventBody, sendUpdates: string, ownerEmail: string): EmuEvent {
  const now = ctx.now().toISOString();
  const id = body.id ?? newEventId();
  const event: EmuEvent = {
    id,
    calendarId: calendar.id,
    status: body.status ?? 'confirmed',
    summary: body.summary,
    description: body.description,
    location: body.location,
    start: body.start ?? {},
    end: body.end ?? {},
    transparency: body.transparency ?? 'opaque',
    attendees: attendeesOf(body) ?? [],
    extendedProperties: body.extendedProperties,
    organizer: { email: calendar.id === ownerEmail ? ownerEmail : calendar.id, self: true },
    creator: { email: ownerEmail },
    iCalUID: `${id}@google.com`,
    sequence: 0,
    created: now,
    updated: now,
    etag: '',
    lastSendUpdates: sendUpdates,
  };
  event.etag = etag([event.id, event.updated, event.sequence]);
  ctx.state.events.push(event);
  return event;
}

function applyPatch(ctx: EmulatorContext, event: EmuEvent, body: EventBody, sendUpdates: string): void {
  const timesChanged =
    (body.start && JSON.stringify({ ...event.start, ...body.start }) !== JSON.stringify(event.start)) ||
    (body.end && JSON.stringify({ ...event.end, ...body.end }) !== JSON.stringify(event.end));
  if (body.status !== undefined) event.status = body.status;
  if (body.summary !== undefined) event.summary = body.summary;
  if (body.description !== undefined) event.description = body.description;
  if (body.location !== undefined) event.location = body.location;
  // A date or a dateTime replaces the other form, like Google's patch does.
  if (body.start) event.start = body.start.date || body.start.dateTime ? { ...body.start } : { ...event.start, ...body.start };
  if (body.end) event.end = body.end.date || body.end.dateTime ? { ...body.end } : { ...event.end, ...body.end };
  if (body.transparency !== undefined) event.transparency = body.transparency;
  const attendees = attendeesOf(body);
  if (attendees) event.attendees = attendees;
  if (body.extendedProperties) {
    event.extendedProperties = {
      private: { ...event.extendedProperties?.private, ...body.extendedProperties.private },
      shared: { ...event.extendedProperties?.shared, ...body.extendedProperties.shared },
    };
  }
  if (timesChanged) event.sequence += 1;
  event.updated = ctx.now().toISOString();
  event.etag = etag([event.id, event.updated, event.sequence]);
  event.lastSendUpdates = sendUpdates;
}

/** Busy intervals of one calendar, merged and clipped to the range, like freeBusy.query. */
export function busyOf(ctx: EmulatorContext, calendar: EmuCalendar, from: Date, to: Date): { start: string; end: string }[] {
  const intervals: [number, number][] = [];
  for (const event of ctx.state.events) {
    if (event.calendarId !== calendar.id || event.status === 'cancelled' || event.transparency === 'transparent') continue;
    // Declined invitations do not make the owner busy.
    if (event.attendees.some((a) => a.self && a.responseStatus === 'declined')) continue;
    const start = instantOf(event.start, calendar);
    const end = instantOf(event.end, calendar);
    if (!start || !end || end <= from || start >= to) continue;
    intervals.push([Math.max(start.getTime(), from.getTime()), Math.min(end.getTime(), to.getTime())]);
  }
  intervals.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const interval of intervals) {
    const last = merged.at(-1);
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([...interval]);
  }
  return merged.map(([s, e]) => ({ start: new Date(s).toISOString().replace('.000Z', 'Z'), end: new Date(e).toISOString().replace('.000Z', 'Z') }));
}

const freeBusySchema = z.object({
  timeMin: z.string().optional(),
  timeMax: z.string().optional(),
  timeZone: z.string().optional(),
  items: z.array(z.object({ id: z.string() })).optional(),
});

function hasScope(auth: Authenticated, allowed: string[]): boolean {
  return auth.grant.scopes.some((s) => allowed.includes(s));
}

/** Routes `/calendar/v3/...`; `rest` is the path after `/calendar/v3`. */
export async function handleCalendarApi(ctx: EmulatorContext, request: Request, rest: string): Promise<Response> {
  const auth = authenticate(ctx, request);
  if (auth === 'missing' || auth === 'invalid') return unauthenticated(auth);
  const url = new URL(request.url);
  const segments = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method;

  // calendarList
  if (segments[0] === 'users' && segments[1] === 'me' && segments[2] === 'calendarList') {
    if (!hasScope(auth, READ_LIST)) return insufficientScopes();
    const calendars = ctx.state.calendars.filter((c) => c.userId === auth.user.id);
    if (segments.length === 3 && method === 'GET') {
      return json({
        kind: 'calendar#calendarList',
        etag: etag(calendars.map((c) => c.id)),
        nextSyncToken: `emu-${calendars.length}`,
        items: calendars.map(calendarListEntry),
      });
    }
    if (segments.length === 4 && method === 'GET') {
      const calendar = calendarFor(ctx, auth, segments[3] ?? '');
      return calendar ? json(calendarListEntry(calendar)) : apiError(404, 'Not Found', 'notFound');
    }
    return apiError(404, 'Not Found', 'notFound');
  }

  // freeBusy.query
  if (segments.length === 1 && segments[0] === 'freeBusy') {
    if (method !== 'POST') return apiError(404, 'Not Found', 'notFound');
    if (!hasScope(auth, READ_FREEBUSY)) return insufficientScopes();
    const parsed = freeBusySchema.safeParse(await readBody(request));
    if (!parsed.success) return apiError(400, 'Parse Error', 'parseError');
    if (!parsed.data.timeMin) return apiError(400, 'Missing timeMin parameter.', 'required');
    if (!parsed.data.timeMax) return apiError(400, 'Missing timeMax parameter.', 'required');
    const from = parseRfc3339(parsed.data.timeMin);
    const to = parseRfc3339(parsed.data.timeMax);
    if (!from || !to) return apiError(400, 'Bad Request', 'badRequest');
    if (to <= from) return apiError(400, 'The specified time range is empty.', 'timeRangeEmpty');
    const items = parsed.data.items ?? [];
    if (items.length > 50) return apiError(400, 'Too many calendars requested.', 'tooManyCalendarsRequested');
    const calendars: Record<string, { busy: { start: string; end: string }[]; errors?: { domain: string; reason: string }[] }> = {};
    for (const item of items) {
      const calendar = calendarFor(ctx, auth, item.id);
      calendars[item.id] = calendar ? { busy: busyOf(ctx, calendar, from, to) } : { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
    }
    return json({ kind: 'calendar#freeBusy', timeMin: from.toISOString(), timeMax: to.toISOString(), calendars });
  }

  // events
  if (segments[0] === 'calendars' && segments[2] === 'events' && segments.length >= 3 && segments.length <= 4) {
    const calendar = calendarFor(ctx, auth, segments[1] ?? '');
    if (!calendar) return apiError(404, 'Not Found', 'notFound');
    const eventId = segments[3];
    const sendUpdates = url.searchParams.get('sendUpdates') ?? (url.searchParams.get('sendNotifications') === 'true' ? 'all' : 'none');
    if (sendUpdates !== 'all' && sendUpdates !== 'externalOnly' && sendUpdates !== 'none') {
      return apiError(400, `Invalid value for: ${sendUpdates} is not a valid value`, 'invalidParameter', { location: 'sendUpdates', locationType: 'parameter' });
    }
    const isWrite = method !== 'GET';
    if (!hasScope(auth, isWrite ? WRITE_EVENTS : READ_EVENTS)) return insufficientScopes();
    if (isWrite && calendar.accessRole === 'reader') return apiError(403, 'Forbidden', 'requiredAccessLevel');

    if (!eventId) {
      if (method === 'GET') return listEvents(ctx, calendar, url.searchParams);
      if (method !== 'POST') return apiError(404, 'Not Found', 'notFound');
      const parsed = eventBodySchema.safeParse(await readBody(request));
      if (!parsed.success) return apiError(400, 'Parse Error', 'parseError');
      const body = parsed.data;
      if (body.id !== undefined && !EVENT_ID.test(body.id)) return apiError(400, 'Invalid resource id value.', 'invalid');
      const invalid = checkTimes(body.start, body.end, calendar);
      if (invalid) return invalid;
      if (body.id !== undefined && ctx.state.events.some((e) => e.calendarId === calendar.id && e.id === body.id)) {
        return apiError(409, 'The requested identifier already exists.', 'duplicate');
      }
      return json(eventResource(createEvent(ctx, calendar, body, sendUpdates, auth.user.email)));
    }

    const event = ctx.state.events.find((e) => e.calendarId === calendar.id && e.id === eventId);
    if (!event) return apiError(404, 'Not Found', 'notFound');
    if (method === 'GET') return json(eventResource(event));
    if (method === 'DELETE') {
      if (event.status === 'cancelled') return apiError(410, 'Resource has been deleted', 'deleted');
      event.status = 'cancelled';
      event.updated = ctx.now().toISOString();
      event.sequence += 1;
      event.etag = etag([event.id, event.updated, event.sequence]);
      event.lastSendUpdates = sendUpdates;
      return new Response(null, { status: 204 });
    }
    if (method === 'PATCH' || method === 'PUT') {
      const parsed = eventBodySchema.safeParse(await readBody(request));
      if (!parsed.success) return apiError(400, 'Parse Error', 'parseError');
      const body = parsed.data;
      if (method === 'PUT') {
        const invalid = checkTimes(body.start, body.end, calendar);
        if (invalid) return invalid;
      } else {
        const invalid = checkTimes(
          body.start ? (body.start.date || body.start.dateTime ? body.start : { ...event.start, ...body.start }) : event.start,
          body.end ? (body.end.date || body.end.dateTime ? body.end : { ...event.end, ...body.end }) : event.end,
          calendar,
        );
        if (invalid) return invalid;
      }
      if (method === 'PUT') {
        event.summary = undefined;
        event.description = undefined;
        event.location = undefined;
        event.attendees = [];
        event.transparency = 'opaque';
      }
      applyPatch(ctx, event, body, sendUpdates);
      return json(eventResource(event));
    }
    return apiError(404, 'Not Found', 'notFound');
  }

  return apiError(404, 'Not Found', 'notFound');
}

function listEvents(ctx: EmulatorContext, calendar: EmuCalendar, params: URLSearchParams): Response {
  const timeMinRaw = params.get('timeMin');
  const timeMaxRaw = params.get('timeMax');
  const timeMin = timeMinRaw ? parseRfc3339(timeMinRaw) : null;
  const timeMax = timeMaxRaw ? parseRfc3339(timeMaxRaw) : null;
  if ((timeMinRaw && !timeMin) || (timeMaxRaw && !timeMax)) return apiError(400, 'Bad Request', 'badRequest');
  const orderBy = params.get('orderBy');
  if (orderBy === 'startTime' && params.get('singleEvents') !== 'true') {
    return apiError(400, 'The requested ordering is not available for the particular query.', 'invalid');
  }
  const maxResults = Math.min(Math.max(Number(params.get('maxResults') ?? 250) || 250, 1), 2500);
  const offset = Number(params.get('pageToken') ?? 0) || 0;
  const showDeleted = params.get('showDeleted') === 'true';
  const matching = ctx.state.events
    .filter((e) => e.calendarId === calendar.id && (showDeleted || e.status !== 'cancelled'))
    .map((e) => ({ event: e, start: instantOf(e.start, calendar), end: instantOf(e.end, calendar) }))
    .filter(({ start, end }) => start && end && (!timeMin || end > timeMin) && (!timeMax || start < timeMax));
  if (orderBy === 'startTime') matching.sort((a, b) => (a.start?.getTime() ?? 0) - (b.start?.getTime() ?? 0));
  else if (orderBy === 'updated') matching.sort((a, b) => a.event.updated.localeCompare(b.event.updated));
  const page = matching.slice(offset, offset + maxResults);
  const next = offset + maxResults < matching.length ? String(offset + maxResults) : undefined;
  return json({
    kind: 'calendar#events',
    etag: etag(page.map((p) => p.event.etag)),
    summary: calendar.summary,
    description: '',
    updated: ctx.now().toISOString(),
    timeZone: calendar.timeZone,
    accessRole: calendar.accessRole,
    defaultReminders: [],
    ...(next ? { nextPageToken: next } : {}),
    items: page.map((p) => eventResource(p.event)),
  });
}
