import 'server-only';
import { z } from 'zod';
import { env } from '@/lib/env';
import { isIntegrationError } from '@/lib/errors';
import { apiErrorFrom, sendWire, type WireResponse, zoomError } from './rest';
import { zoomTimeZone } from './time-zones';
import type { ZoomCredentialSource, ZoomMeeting, ZoomMeetingInput, ZoomMeetingSettings } from './types';

/**
 * The Zoom REST client used by the booking pipeline. Every meeting operation takes a credential
 * source (types.ts ZoomCredentialSource: today the host's user-OAuth link) and maps failures to
 * IntegrationError (lib/errors.ts) reasons: 401/124 → one refresh and one retry; 400/4711 →
 * missing_scope; 429 → rate_limited / daily_limit (Retry-After seconds or date); network/timeout/5xx →
 * unavailable (`ambiguous` on create: the meeting may exist — reconcile with findMeetingByAgenda);
 * 3000/3002 on a started meeting → meeting_started, 3007 (ended) → meeting_ended.
 * Meeting ids are strings end to end.
 */

export type ZoomCallOptions = { timeoutMs?: number; signal?: AbortSignal };

const meetingSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  // Not in Zoom's documented create response (spec, Rivet): never required.
  uuid: z.string().optional(),
  join_url: z.string(),
  start_url: z.string().optional(),
  password: z.string().optional(),
  topic: z.string().default(''),
  start_time: z.string().default(''),
  duration: z.number().default(0),
  agenda: z.string().optional(),
  timezone: z.string().optional(),
  status: z.string().optional(),
  // Not every answer carries settings; a malformed one is ignored rather than failing the meeting.
  settings: z.unknown().optional(),
});

const listSchema = z.object({
  next_page_token: z.string().optional().nullable(),
  meetings: z
    .array(
      z.object({
        id: z.union([z.string(), z.number()]).transform(String),
        topic: z.string().optional(),
        start_time: z.string().optional(),
        agenda: z.string().optional(),
      }),
    )
    .default([]),
});

const userSchema = z.object({
  id: z.string(),
  email: z.string().nullable().optional(),
  account_id: z.string().nullable().optional(),
  timezone: z.string().nullable().optional(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  type: z.number().optional(),
});

export type ZoomUser = z.infer<typeof userSchema>;

export function parse<T extends z.ZodType>(schema: T, response: WireResponse, operation: string): z.output<T> {
  const result = schema.safeParse(response.body);
  if (!result.success) throw zoomError('unexpected_response', `Zoom ${operation}: unexpected response body`, { status: response.status });
  return result.data;
}

function toMeeting(body: z.output<typeof meetingSchema>): ZoomMeeting {
  return {
    id: body.id,
    uuid: body.uuid,
    joinUrl: body.join_url,
    startUrl: body.start_url,
    password: body.password,
    topic: body.topic,
    startTime: body.start_time,
    durationMinutes: body.duration,
    agenda: body.agenda,
    timeZone: body.timezone,
    status: body.status,
    settings: toSettings(settingsSchema.safeParse(body.settings).data),
    alternativeHosts: splitAlternativeHosts(settingsSchema.safeParse(body.settings).data?.alternative_hosts),
  };
}

const splitAlternativeHosts = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/[;,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);

/** UTC with a trailing Z and no milliseconds: Zoom's documented form. */
export function zoomStartTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const AGENDA_MAX = 2000;
const agendaAsSent = (agenda: string) => (agenda.length > AGENDA_MAX ? `${agenda.slice(0, AGENDA_MAX - 1)}…` : agenda);

function meetingBody(input: Partial<ZoomMeetingInput>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.topic !== undefined) body.topic = input.topic.slice(0, 200);
  if (input.start !== undefined) body.start_time = zoomStartTime(input.start);
  if (input.durationMinutes !== undefined) body.duration = input.durationMinutes;
  // Zoom accepts only its own zone list; the instant is start_time (UTC, Z) whatever the zone.
  if (input.timeZone !== undefined) body.timezone = zoomTimeZone(input.timeZone, input.start ?? new Date());
  if (input.agenda !== undefined) body.agenda = agendaAsSent(input.agenda);
  const settings = input.settings === undefined ? {} : settingsBody(input.settings);
  // Registration on, every registrant approved at once (the guest gets a personal join link).
  if (input.registration === true) settings.approval_type = 0;
  if (input.alternativeHosts !== undefined && input.alternativeHosts.length > 0) settings.alternative_hosts = input.alternativeHosts.join(';');
  if (Object.keys(settings).length > 0) body.settings = settings;
  if (input.password !== undefined) body.password = input.password;
  return body;
}

const SETTING_FIELDS = [
  ['waitingRoom', 'waiting_room'],
  ['joinBeforeHost', 'join_before_host'],
  ['muteUponEntry', 'mute_upon_entry'],
  ['hostVideo', 'host_video'],
  ['participantVideo', 'participant_video'],
  ['autoRecording', 'auto_recording'],
] as const satisfies readonly (readonly [keyof ZoomMeetingSettings, string])[];

function settingsBody(settings: ZoomMeetingSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [ours, zooms] of SETTING_FIELDS) if (settings[ours] !== undefined) out[zooms] = settings[ours];
  return out;
}

const settingsSchema = z
  .object({
    waiting_room: z.boolean().optional(),
    join_before_host: z.boolean().optional(),
    mute_upon_entry: z.boolean().optional(),
    host_video: z.boolean().optional(),
    participant_video: z.boolean().optional(),
    auto_recording: z.string().optional(),
    alternative_hosts: z.string().optional(),
  })
  .passthrough();

function toSettings(body: z.output<typeof settingsSchema> | undefined): ZoomMeetingSettings | undefined {
  if (!body) return undefined;
  const out: ZoomMeetingSettings = {};
  for (const [ours, zooms] of SETTING_FIELDS) {
    const value = body[zooms];
    if (ours === 'autoRecording') {
      if (value === 'none' || value === 'cloud' || value === 'local') out.autoRecording = value;
    } else if (typeof value === 'boolean') out[ours] = value;
  }
  return out;
}

type ApiCall = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  json?: unknown;
  operation: string;
  ambiguousOnFailure?: boolean;
};

/** One authenticated REST call; non-2xx answers become typed errors. */
export async function callApi(token: string, call: ApiCall, options: ZoomCallOptions = {}): Promise<WireResponse> {
  const response = await sendWire({
    method: call.method,
    url: `${env().zoom.apiUrl}${call.path}`,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(call.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: call.json !== undefined ? JSON.stringify(call.json) : undefined,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    ambiguousOnFailure: call.ambiguousOnFailure,
  });
  if (response.status >= 200 && response.status < 300) return response;
  throw apiErrorFrom(response, { operation: call.operation, ambiguousOnFailure: call.ambiguousOnFailure });
}

/** Runs `call` with the source's token; on 401 refreshes once (single-flight) and retries once. */
export async function withToken<T>(source: ZoomCredentialSource, call: (token: string) => Promise<T>): Promise<T> {
  const token = await source.accessToken();
  try {
    return await call(token);
  } catch (error) {
    if (!isIntegrationError(error, 'unauthorized')) throw error;
    const fresh = await source.onUnauthorized(token);
    try {
      return await call(fresh);
    } catch (again) {
      // An organisation's app whose brand-new token is refused too: retrying will not help, an admin must look.
      if (source.kind === 'server_to_server' && isIntegrationError(again, 'unauthorized')) {
        throw zoomError('revoked', `Zoom refused a fresh token of the organisation's Server-to-Server app (${again.message}); is the app still activated?`, {
          status: again.status,
          providerCode: again.providerCode,
          providerMessage: again.providerMessage,
          revokedReason: 'app_deactivated',
          retryable: false,
        });
      }
      throw again;
    }
  }
}

export const meetingPath = (meetingId: string) => {
  if (!/^\d+$/.test(meetingId)) throw zoomError('invalid_request', `Invalid Zoom meeting id: ${meetingId}`);
  return `/meetings/${meetingId}`;
};

const userPath = (source: ZoomCredentialSource) => `/users/${encodeURIComponent(source.zoomUser)}`;

/** Creates a scheduled meeting for the host (POST /users/me/meetings → 201). */
export async function createMeeting(source: ZoomCredentialSource, input: ZoomMeetingInput, options?: ZoomCallOptions): Promise<ZoomMeeting> {
  return withToken(source, async (token) => {
    const response = await callApi(
      token,
      { method: 'POST', path: `${userPath(source)}/meetings`, json: { ...meetingBody(input), type: 2 }, operation: 'create meeting', ambiguousOnFailure: true },
      options,
    );
    return toMeeting(parse(meetingSchema, response, 'create meeting'));
  });
}

/** Zoom's answer when it will not take someone as an alternative host (400, the message names them). */
const ALTERNATIVE_HOST_REFUSED = 1114;

export type AlternativeHostsOutcome = {
  /** As Zoom reports them on the meeting. */
  added: string[];
  /** Those Zoom refused, each with Zoom's own message. */
  refused: { email: string; reason: string }[];
};

/**
 * Creates the meeting with `alternativeHosts` where Zoom takes them. Zoom refuses a whole create when one
 * alternative host is not allowed (not a Licensed user of the host's account, or the host is Basic: 400
 * code 1114 naming them); that one is dropped with Zoom's message and the create is sent again, so the
 * meeting is always made. A 400 made nothing, so sending again cannot make a second meeting.
 */
export async function createMeetingWithAlternativeHosts(
  source: ZoomCredentialSource,
  input: ZoomMeetingInput,
  alternativeHosts: string[],
  options?: ZoomCallOptions,
): Promise<{ meeting: ZoomMeeting; alternativeHosts: AlternativeHostsOutcome }> {
  let remaining = [...alternativeHosts];
  const refused: AlternativeHostsOutcome['refused'] = [];
  for (;;) {
    try {
      const meeting = await createMeeting(source, { ...input, alternativeHosts: remaining }, options);
      return { meeting, alternativeHosts: { added: meeting.alternativeHosts, refused } };
    } catch (error) {
      if (remaining.length === 0 || !isIntegrationError(error, 'invalid_request') || error.providerCode !== ALTERNATIVE_HOST_REFUSED) throw error;
      const reason = error.providerMessage ?? error.message;
      const named = remaining.find((email) => reason.toLowerCase().includes(email.toLowerCase()));
      // A message that names nobody we sent: none of them can be told apart, so all go.
      const dropped = named ? [named] : remaining;
      for (const email of dropped) refused.push({ email, reason });
      remaining = remaining.filter((email) => !dropped.includes(email));
    }
  }
}

/** PATCHes only the given fields (204). Nothing to change → no request (the 100/day budget is precious). */
export async function updateMeeting(source: ZoomCredentialSource, meetingId: string, input: Partial<ZoomMeetingInput>, options?: ZoomCallOptions): Promise<void> {
  const body = meetingBody(input);
  if (Object.keys(body).length === 0) return;
  const path = meetingPath(meetingId);
  await withToken(source, (token) => callApi(token, { method: 'PATCH', path, json: body, operation: 'update meeting' }, options));
}

/** The meeting with a fresh start_url (start links expire after 2 hours). */
export async function getMeeting(source: ZoomCredentialSource, meetingId: string, options?: ZoomCallOptions): Promise<ZoomMeeting> {
  const path = meetingPath(meetingId);
  return withToken(source, async (token) => {
    const response = await callApi(token, { method: 'GET', path, operation: 'get meeting' }, options);
    return toMeeting(parse(meetingSchema, response, 'get meeting'));
  });
}

/** Deletes the meeting; one that is already gone (404/3001) counts as deleted. */
export async function deleteMeeting(source: ZoomCredentialSource, meetingId: string, options?: ZoomCallOptions): Promise<void> {
  const path = meetingPath(meetingId);
  try {
    await withToken(source, (token) => callApi(token, { method: 'DELETE', path, operation: 'delete meeting' }, options));
  } catch (error) {
    if (isIntegrationError(error, 'not_found')) return;
    throw error;
  }
}

const MAX_LIST_PAGES = 10;
const MAX_CANDIDATE_GETS = 50;
/** Zoom truncates `agenda` to 250 characters in list items. */
const LIST_AGENDA_MAX = 250;
const DAY_MS = 86_400_000;

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Reconciliation after an ambiguous create: the host's meeting whose agenda contains `marker`
 * (e.g. `aki:<booking uid>`), or null when Zoom's list PROVES there is none. With `near` (the
 * booking's start) the list is narrowed to the day before to the day after (`from`/`to`,
 * `timezone=UTC`); every page is read (page_size 300, next_page_token). Items whose agenda is
 * missing or cut at 250 characters are fetched one by one. When the list cannot prove absence
 * (more pages or candidates than we read) it throws lookup_incomplete — creating then
 * could make a second meeting. Errors on the way propagate (nothing is concluded from a half list).
 */
export async function findMeetingByAgenda(
  source: ZoomCredentialSource,
  marker: string,
  hint?: { topic?: string; start?: Date },
  options?: ZoomCallOptions,
): Promise<ZoomMeeting | null> {
  const candidates: string[] = [];
  let pageToken = '';
  let complete = false;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const query = new URLSearchParams({ type: 'scheduled', page_size: '300' });
    if (hint?.start) {
      query.set('from', utcDate(hint.start.getTime() - DAY_MS));
      query.set('to', utcDate(hint.start.getTime() + DAY_MS));
      query.set('timezone', 'UTC');
    }
    if (pageToken) query.set('next_page_token', pageToken);
    const list = await withToken(source, async (token) =>
      parse(listSchema, await callApi(token, { method: 'GET', path: `${userPath(source)}/meetings?${query}`, operation: 'list meetings' }, options), 'list meetings'),
    );
    for (const item of list.meetings) {
      if (item.agenda !== undefined) {
        if (item.agenda.includes(marker)) return getMeeting(source, item.id, options);
        if (item.agenda.length < LIST_AGENDA_MAX - 1) continue; // the whole agenda: not ours
      }
      if (hint?.topic !== undefined && item.topic !== undefined && item.topic !== hint.topic) continue;
      candidates.push(item.id);
    }
    pageToken = list.next_page_token ?? '';
    if (!pageToken) {
      complete = true;
      break;
    }
  }
  if (!complete) throw zoomError('lookup_incomplete', `Zoom lists more than ${MAX_LIST_PAGES * 300} meetings near this booking; could not check them all for ${marker}`);
  if (candidates.length > MAX_CANDIDATE_GETS) {
    throw zoomError('lookup_incomplete', `${candidates.length} Zoom meetings near this booking would need checking one by one for ${marker}`);
  }
  for (const id of candidates) {
    try {
      const meeting = await getMeeting(source, id, options);
      if (meeting.agenda?.includes(marker)) return meeting;
    } catch (error) {
      if (!isIntegrationError(error, 'not_found')) throw error;
    }
  }
  return null;
}

/**
 * Brings the meeting to `desired`: reads it (a GET does not count toward the 100 create/update
 * per day), then PATCHes only the fields that differ — nothing at all when none does. Returns the
 * meeting as it now is and the Zoom fields that were sent.
 */
export async function syncMeeting(
  source: ZoomCredentialSource,
  meetingId: string,
  desired: ZoomMeetingInput,
  options?: ZoomCallOptions,
): Promise<{ meeting: ZoomMeeting; patched: string[] }> {
  const current = await getMeeting(source, meetingId, options);
  const changes: Partial<ZoomMeetingInput> = {};
  if (Date.parse(current.startTime) !== desired.start.getTime()) changes.start = desired.start;
  if (current.durationMinutes !== desired.durationMinutes) changes.durationMinutes = desired.durationMinutes;
  if (current.topic !== desired.topic.slice(0, 200)) changes.topic = desired.topic;
  if (current.agenda !== undefined && current.agenda !== agendaAsSent(desired.agenda)) changes.agenda = desired.agenda;
  if (current.timeZone !== undefined && current.timeZone !== zoomTimeZone(desired.timeZone, desired.start)) {
    changes.timeZone = desired.timeZone;
    changes.start = desired.start; // the zone is picked for this start
  }
  const body = meetingBody(changes);
  const patched = Object.keys(body);
  if (patched.length === 0) return { meeting: current, patched };
  await updateMeeting(source, meetingId, changes, options);
  return {
    meeting: {
      ...current,
      startTime: typeof body.start_time === 'string' ? body.start_time : current.startTime,
      durationMinutes: changes.durationMinutes ?? current.durationMinutes,
      topic: typeof body.topic === 'string' ? body.topic : current.topic,
      agenda: typeof body.agenda === 'string' ? body.agenda : current.agenda,
      timeZone: typeof body.timezone === 'string' ? body.timezone : current.timeZone,
    },
    patched,
  };
}

/** GET /users/me with a given access token (right after the code exchange, before anything is stored). */
export async function fetchZoomUser(accessToken: string, options?: ZoomCallOptions): Promise<ZoomUser> {
  const response = await callApi(accessToken, { method: 'GET', path: '/users/me', operation: 'get user' }, options);
  return parse(userSchema, response, 'get user');
}

/**
 * The path segment of a past meeting: a numeric meeting id as is, a meeting UUID URL-encoded — twice
 * when it starts with '/' or contains '//' (Zoom decodes such UUIDs once more on its side).
 */
export function pastMeetingSegment(meetingIdOrUuid: string): string {
  if (!meetingIdOrUuid) throw zoomError('invalid_request', 'Empty Zoom meeting id');
  if (/^\d+$/.test(meetingIdOrUuid)) return meetingIdOrUuid;
  const once = encodeURIComponent(meetingIdOrUuid);
  return meetingIdOrUuid.startsWith('/') || meetingIdOrUuid.includes('//') ? encodeURIComponent(once) : once;
}

const idString = z.union([z.string(), z.number(), z.bigint()]).transform(String);

const pastMeetingSchema = z.object({
  id: idString.optional(),
  uuid: z.string().optional(),
  host_id: z.string().optional(),
  start_time: z.string().nullable().optional(),
  end_time: z.string().nullable().optional(),
  duration: z.number().nullable().optional(),
  total_minutes: z.number().nullable().optional(),
  participants_count: z.number().nullable().optional(),
});

/** A meeting that took place (GET /past_meetings/{id}): the last instance for a numeric id. */
export type ZoomPastMeeting = {
  id: string | null;
  uuid: string | null;
  hostId: string | null;
  startTime: string | null;
  endTime: string | null;
  durationMinutes: number | null;
  participantsCount: number | null;
};

/**
 * GET /past_meetings/{meetingIdOrUuid}. Zoom answers 404/3001 until the meeting has ended (and for a
 * meeting never held): not_found. Ids come back as strings (int64-safe).
 */
export async function getPastMeeting(source: ZoomCredentialSource, meetingIdOrUuid: string, options?: ZoomCallOptions): Promise<ZoomPastMeeting> {
  const path = `/past_meetings/${pastMeetingSegment(meetingIdOrUuid)}`;
  return withToken(source, async (token) => {
    const body = parse(pastMeetingSchema, await callApi(token, { method: 'GET', path, operation: 'get past meeting' }, options), 'get past meeting');
    return {
      id: body.id ?? null,
      uuid: body.uuid ?? null,
      hostId: body.host_id ?? null,
      startTime: body.start_time ?? null,
      endTime: body.end_time ?? null,
      durationMinutes: body.duration ?? null,
      participantsCount: body.participants_count ?? null,
    };
  });
}

const participantSchema = z.object({
  id: idString.nullable().optional(),
  name: z.string().nullable().optional(),
  user_id: idString.nullable().optional(),
  registrant_id: z.string().nullable().optional(),
  user_email: z.string().nullable().optional(),
  join_time: z.string().nullable().optional(),
  leave_time: z.string().nullable().optional(),
  duration: z.number().nullable().optional(),
  status: z.string().nullable().optional(),
});

const participantsPageSchema = z.object({
  next_page_token: z.string().nullable().optional(),
  participants: z.array(participantSchema).nullable().optional(),
});

/** One entry of GET /past_meetings/{id}/participants: one join segment (a rejoin is a second entry). */
export type ZoomPastParticipant = {
  /** Zoom user id of a signed-in participant ('' or absent for guests). */
  id: string | null;
  name: string;
  /** The participant's id within the meeting (not stable across rejoins on every plan). */
  userId: string | null;
  registrantId: string | null;
  email: string | null;
  joinTime: string | null;
  leaveTime: string | null;
  durationSeconds: number | null;
};

const MAX_PARTICIPANT_PAGES = 50;
const blankToNull = (value: string | null | undefined) => (value === undefined || value === null || value.trim() === '' ? null : value);

/**
 * Every entry of GET /past_meetings/{id}/participants (page_size 300, following next_page_token).
 * Zoom quirks left to the caller: an empty list for a one-person meeting; 400/200 on a free plan
 * (plan_required); 404/3001 before the meeting ended (not_found).
 */
export async function listPastParticipants(source: ZoomCredentialSource, meetingIdOrUuid: string, options?: ZoomCallOptions): Promise<ZoomPastParticipant[]> {
  const base = `/past_meetings/${pastMeetingSegment(meetingIdOrUuid)}/participants`;
  const out: ZoomPastParticipant[] = [];
  let pageToken = '';
  for (let page = 0; page < MAX_PARTICIPANT_PAGES; page++) {
    const query = new URLSearchParams({ page_size: '300' });
    if (pageToken) query.set('next_page_token', pageToken);
    const body = await withToken(source, async (token) =>
      parse(participantsPageSchema, await callApi(token, { method: 'GET', path: `${base}?${query}`, operation: 'list past participants' }, options), 'list past participants'),
    );
    for (const p of body.participants ?? []) {
      out.push({
        id: blankToNull(p.id),
        name: p.name ?? '',
        userId: blankToNull(p.user_id),
        registrantId: blankToNull(p.registrant_id),
        email: blankToNull(p.user_email),
        joinTime: blankToNull(p.join_time),
        leaveTime: blankToNull(p.leave_time),
        durationSeconds: p.duration ?? null,
      });
    }
    pageToken = body.next_page_token ?? '';
    if (!pageToken) return out;
  }
  throw zoomError('lookup_incomplete', `Zoom lists more than ${MAX_PARTICIPANT_PAGES * 300} participants; the list was not read to the end`);
}
