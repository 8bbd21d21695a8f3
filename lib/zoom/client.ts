import { z } from 'zod';
import { env } from '@/lib/env';
import { apiErrorFrom, sendWire, type WireResponse } from './rest';
import { getZoomAccessToken } from './tokens';
import { ZoomError, type ZoomMeeting, type ZoomMeetingInput, ZoomMeetingNotFoundError, ZoomUnauthorizedError } from './types';

/**
 * The Zoom REST client used by the booking pipeline. Every function takes the host's user id,
 * gets (and if needed refreshes) the host's token, and maps failures to the errors in types.ts:
 * 401/124 → one refresh and one retry; 400/4711 → ZoomMissingScopeError; 429 →
 * ZoomRateLimitedError (Retry-After seconds or date); network/timeout/5xx → ZoomUnavailableError
 * (`ambiguous` on create: the meeting may exist — reconcile with findMeetingByAgenda).
 * Meeting ids are strings end to end.
 */

export type ZoomCallOptions = { timeoutMs?: number; signal?: AbortSignal };

const meetingSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  uuid: z.string(),
  join_url: z.string(),
  start_url: z.string().optional(),
  password: z.string().optional(),
  topic: z.string().default(''),
  start_time: z.string().default(''),
  duration: z.number().default(0),
  agenda: z.string().optional(),
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

function parse<T extends z.ZodType>(schema: T, response: WireResponse, operation: string): z.output<T> {
  const result = schema.safeParse(response.body);
  if (!result.success) throw new ZoomError(`Zoom ${operation}: unexpected response body`, true, response.status);
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
  };
}

/** UTC with a trailing Z and no milliseconds: Zoom's documented form. */
export function zoomStartTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const AGENDA_MAX = 2000;

function meetingBody(input: Partial<ZoomMeetingInput>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.topic !== undefined) body.topic = input.topic.slice(0, 200);
  if (input.start !== undefined) body.start_time = zoomStartTime(input.start);
  if (input.durationMinutes !== undefined) body.duration = input.durationMinutes;
  if (input.timeZone !== undefined) body.timezone = input.timeZone;
  if (input.agenda !== undefined) body.agenda = input.agenda.length > AGENDA_MAX ? `${input.agenda.slice(0, AGENDA_MAX - 1)}…` : input.agenda;
  return body;
}

type ApiCall = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  json?: unknown;
  operation: string;
  ambiguousOnFailure?: boolean;
};

/** One authenticated REST call; non-2xx answers become typed errors. */
async function callApi(token: string, call: ApiCall, options: ZoomCallOptions = {}): Promise<WireResponse> {
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

/** Runs `call` with the host's token; on 401 refreshes once (single-flight) and retries once. */
async function withHostToken<T>(userId: string, call: (token: string) => Promise<T>): Promise<T> {
  const token = await getZoomAccessToken(userId);
  try {
    return await call(token);
  } catch (error) {
    if (!(error instanceof ZoomUnauthorizedError)) throw error;
    const fresh = await getZoomAccessToken(userId, { rejected: token });
    return call(fresh);
  }
}

const meetingPath = (meetingId: string) => {
  if (!/^\d+$/.test(meetingId)) throw new ZoomError(`Invalid Zoom meeting id: ${meetingId}`, false);
  return `/meetings/${meetingId}`;
};

/** Creates a scheduled meeting for the host (POST /users/me/meetings → 201). */
export async function createMeeting(userId: string, input: ZoomMeetingInput, options?: ZoomCallOptions): Promise<ZoomMeeting> {
  return withHostToken(userId, async (token) => {
    const response = await callApi(
      token,
      { method: 'POST', path: '/users/me/meetings', json: { ...meetingBody(input), type: 2 }, operation: 'create meeting', ambiguousOnFailure: true },
      options,
    );
    return toMeeting(parse(meetingSchema, response, 'create meeting'));
  });
}

/** PATCHes only the given fields (204). Nothing to change → no request (the 100/day budget is precious). */
export async function updateMeeting(userId: string, meetingId: string, input: Partial<ZoomMeetingInput>, options?: ZoomCallOptions): Promise<void> {
  const body = meetingBody(input);
  if (Object.keys(body).length === 0) return;
  const path = meetingPath(meetingId);
  await withHostToken(userId, (token) => callApi(token, { method: 'PATCH', path, json: body, operation: 'update meeting' }, options));
}

/** The meeting with a fresh start_url (start links expire after 2 hours). */
export async function getMeeting(userId: string, meetingId: string, options?: ZoomCallOptions): Promise<ZoomMeeting> {
  const path = meetingPath(meetingId);
  return withHostToken(userId, async (token) => {
    const response = await callApi(token, { method: 'GET', path, operation: 'get meeting' }, options);
    return toMeeting(parse(meetingSchema, response, 'get meeting'));
  });
}

/** Deletes the meeting; one that is already gone (404/3001) counts as deleted. */
export async function deleteMeeting(userId: string, meetingId: string, options?: ZoomCallOptions): Promise<void> {
  const path = meetingPath(meetingId);
  try {
    await withHostToken(userId, (token) => callApi(token, { method: 'DELETE', path, operation: 'delete meeting' }, options));
  } catch (error) {
    if (error instanceof ZoomMeetingNotFoundError) return;
    throw error;
  }
}

const MAX_LIST_PAGES = 10;
const MAX_CANDIDATE_GETS = 50;

/**
 * Reconciliation after an ambiguous create: the host's scheduled meeting whose agenda contains
 * `marker` (e.g. `aki:<booking uid>`), or null. When list items carry no agenda, candidates
 * (filtered by `hint` topic/start when given) are fetched one by one.
 */
export async function findMeetingByAgenda(
  userId: string,
  marker: string,
  hint?: { topic?: string; start?: Date },
  options?: ZoomCallOptions,
): Promise<ZoomMeeting | null> {
  const candidates: string[] = [];
  let pageToken = '';
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const query = new URLSearchParams({ type: 'scheduled', page_size: '300' });
    if (pageToken) query.set('next_page_token', pageToken);
    const list = await withHostToken(userId, async (token) =>
      parse(listSchema, await callApi(token, { method: 'GET', path: `/users/me/meetings?${query}`, operation: 'list meetings' }, options), 'list meetings'),
    );
    for (const item of list.meetings) {
      if (item.agenda !== undefined) {
        if (item.agenda.includes(marker)) return getMeeting(userId, item.id, options);
        continue;
      }
      if (hint?.topic !== undefined && item.topic !== hint.topic) continue;
      if (hint?.start !== undefined && (!item.start_time || Date.parse(item.start_time) !== hint.start.getTime())) continue;
      candidates.push(item.id);
    }
    pageToken = list.next_page_token ?? '';
    if (!pageToken) break;
  }
  for (const id of candidates.slice(0, MAX_CANDIDATE_GETS)) {
    try {
      const meeting = await getMeeting(userId, id, options);
      if (meeting.agenda?.includes(marker)) return meeting;
    } catch (error) {
      if (!(error instanceof ZoomMeetingNotFoundError)) throw error;
    }
  }
  return null;
}

/** GET /users/me with a given access token (right after the code exchange, before anything is stored). */
export async function fetchZoomUser(accessToken: string, options?: ZoomCallOptions): Promise<ZoomUser> {
  const response = await callApi(accessToken, { method: 'GET', path: '/users/me', operation: 'get user' }, options);
  return parse(userSchema, response, 'get user');
}
