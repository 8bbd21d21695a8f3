import { createHash, randomBytes, randomInt } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import { isKnownTimeZone, localDateOf } from '@/lib/availability/time-zone';
import { isZoomTimeZone } from '@/lib/zoom/time-zone-list';
import { apiError, b64url, HttpError, isoSeconds, origin, rateHeaders, trackingId, utcDay, type ZoomContext } from './http';
import { jsonResponse } from './json';
import { type ApiContext, mintToken, requireScope, SCOPES } from './oauth';
import { generatePasscode, PASSCODE_CHARACTERS, passcodeProblems } from './passcode';
import type { EmulatorMeeting, EmulatorUser } from './state';
import { actsFor, meetingSecurityOf, requireActiveHost, resolveUser, userStatus } from './users';

/**
 * Zoom's meeting endpoints: `POST|GET /v2/users/{userId}/meetings` and `GET|PATCH|DELETE
 * /v2/meetings/{meetingId}`, with the per-host daily create+update budget and 64-bit meeting ids.
 */

const TWO_POW_53 = 9_007_199_254_740_993n;

/** Zoom semantics: `...Z` is UTC; without a zone it is a wall time in `timezone` (or the host's zone). */
function parseStartTime(value: string, timezone: string): number | null {
  if (/Z$/i.test(value) || /[+-]\d{2}:\d{2}$/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  return new TZDate(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), timezone).getTime();
}

/**
 * The per-host create+update budget. When exhausted: 429 code 429 with the message only — real
 * Zoom sends no Retry-After and no X-RateLimit-Type for this limit (it resets at 00:00 UTC).
 */
function takeDailyBudget(emu: ZoomContext, user: EmulatorUser, category: 'Light' | 'Medium'): Record<string, string> {
  const key = `${user.id}:${utcDay(emu.now())}`;
  const used = emu.state.dailyCounts[key] ?? 0;
  const limit = emu.state.config.dailyMeetingLimit;
  if (used >= limit) {
    throw new HttpError(apiError(429, 429, emu.state.config.dailyLimitMessage.replace('{limit}', String(limit))));
  }
  emu.state.dailyCounts[key] = used + 1;
  return {
    'X-RateLimit-Category': category,
    'X-RateLimit-Type': 'Daily-limit',
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(limit - used - 1),
  };
}

function meetingJson(emu: ZoomContext, meeting: EmulatorMeeting, request: Request, user: EmulatorUser) {
  const webBase = origin(emu, request);
  const pwd = b64url(createHash('sha256').update(meeting.password + meeting.uuid).digest()).slice(0, 32);
  return {
    uuid: meeting.uuid,
    id: meeting.id,
    host_id: meeting.hostId,
    host_email: user.email,
    assistant_id: '',
    topic: meeting.topic,
    type: meeting.type,
    // Zoom's GET knows "waiting" and "started"; an ended scheduled meeting reads as waiting again.
    status: meeting.status === 'started' ? 'started' : 'waiting',
    start_time: meeting.startTime,
    duration: meeting.duration,
    timezone: meeting.timezone,
    agenda: meeting.agenda,
    created_at: meeting.createdAt,
    // A new ZAK on every read: start links expire after 2 hours in real Zoom.
    start_url: `${webBase}/s/${meeting.id}?zak=${mintToken(emu, 'access', user, 7200)}`,
    join_url: meetingSecurityOf(user).embed_password_in_join_link && meeting.password ? `${webBase}/j/${meeting.id}?pwd=${pwd}` : `${webBase}/j/${meeting.id}`,
    password: meeting.password,
    h323_password: meeting.password.replace(/\D/g, '').padEnd(6, '0').slice(0, 6),
    pstn_password: meeting.password.replace(/\D/g, '').padEnd(6, '0').slice(0, 6),
    encrypted_password: pwd,
    pre_schedule: false,
    settings: meeting.settings,
    creation_source: 'open_api',
  };
}

/**
 * The meeting a `/v2/meetings/{id}` path names and its host. A user token reaches its own meetings (another
 * host's: 404/3001 to read, 400/3003 to change); an account token reaches every meeting of its account's users.
 */
export function findMeeting(emu: ZoomContext, ctx: ApiContext, rawId: string, action: 'read' | 'write'): EmulatorMeeting {
  return findMeetingAndHost(emu, ctx, rawId, action).meeting;
}

export function findMeetingAndHost(emu: ZoomContext, ctx: ApiContext, rawId: string, action: 'read' | 'write'): { meeting: EmulatorMeeting; host: EmulatorUser } {
  let decoded = rawId;
  try {
    decoded = decodeURIComponent(decodeURIComponent(rawId));
  } catch {
    // keep the raw value
  }
  const meeting = /^\d+$/.test(decoded)
    ? emu.state.meetings.find((m) => m.id.toString() === decoded && m.deletedAt === null)
    : emu.state.meetings.find((m) => m.uuid === decoded && m.deletedAt === null);
  const host = meeting ? actsFor(emu, ctx, meeting.hostId) : null;
  if (!meeting || (!host && (action === 'read' || !ctx.user))) {
    throw new HttpError(apiError(404, 3001, `Meeting ${decoded} is not found or has expired.`));
  }
  if (!host) throw new HttpError(apiError(400, 3003, 'You are not the meeting host.'));
  return { meeting, host };
}

type MeetingFields = Partial<Pick<EmulatorMeeting, 'topic' | 'type' | 'startTime' | 'duration' | 'timezone' | 'agenda' | 'password' | 'settings'>>;

async function readMeetingBody(request: Request, user: EmulatorUser, existing?: EmulatorMeeting): Promise<{ fields: MeetingFields; raw: Record<string, unknown> }> {
  let body: Record<string, unknown>;
  try {
    const text = await request.text();
    // A body shorter than its Content-Length was cut off: a real server never acts on such a request. Seen
    // under `next dev`: a create whose client gave up while the route compiled arrived as '' and made a
    // meeting with Zoom's defaults and no agenda marker, which the retry could not find (an orphan).
    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    if (Buffer.byteLength(text) < declared) throw new Error('body cut off');
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
  } catch {
    throw new HttpError(apiError(400, 300, 'Request Body should be a valid JSON object.'));
  }
  const errors: { field: string; message: string }[] = [];
  const out: MeetingFields = {};
  if (body.topic !== undefined) {
    if (typeof body.topic !== 'string' || body.topic.length > 200) errors.push({ field: 'topic', message: 'Invalid field.' });
    else out.topic = body.topic;
  }
  if (body.type !== undefined) {
    if (![1, 2, 3, 8].includes(body.type as number)) errors.push({ field: 'type', message: 'Invalid field.' });
    else out.type = body.type as number;
  }
  if (body.duration !== undefined) {
    if (typeof body.duration !== 'number' || !Number.isInteger(body.duration) || body.duration < 0) errors.push({ field: 'duration', message: 'Invalid field.' });
    else out.duration = body.duration;
  }
  if (body.timezone !== undefined) {
    // Zoom accepts only the ids of its own time zone list.
    if (typeof body.timezone !== 'string' || !isZoomTimeZone(body.timezone)) errors.push({ field: 'timezone', message: 'Invalid field.' });
    else out.timezone = body.timezone;
  }
  if (body.agenda !== undefined) {
    if (typeof body.agenda !== 'string' || body.agenda.length > 2000) errors.push({ field: 'agenda', message: 'Invalid field.' });
    else out.agenda = body.agenda;
  }
  if (body.password !== undefined) {
    if (typeof body.password !== 'string' || !PASSCODE_CHARACTERS.test(body.password)) errors.push({ field: 'password', message: 'Invalid field.' });
    else out.password = body.password;
  }
  if (body.settings !== undefined) {
    if (typeof body.settings !== 'object' || body.settings === null || Array.isArray(body.settings)) errors.push({ field: 'settings', message: 'Invalid field.' });
    else {
      const settings = body.settings as Record<string, unknown>;
      for (const [key, allowed] of Object.entries(SETTING_VALUES)) {
        if (settings[key] !== undefined && !allowed.includes(settings[key] as never)) errors.push({ field: `settings.${key}`, message: 'Invalid field.' });
      }
      out.settings = { ...(existing?.settings ?? {}), ...settings };
    }
  }
  if (body.start_time !== undefined) {
    const zone = out.timezone ?? existing?.timezone ?? user.timezone;
    const ms = typeof body.start_time === 'string' ? parseStartTime(body.start_time, zone) : null;
    if (ms === null) errors.push({ field: 'start_time', message: 'Invalid field.' });
    else out.startTime = isoSeconds(ms);
  }
  if (errors.length > 0) {
    throw new HttpError(jsonResponse({ code: 300, message: 'Validation Failed.', errors }, 400, { 'x-zm-trackingid': trackingId() }));
  }
  // The host's meeting security policy (Zoom: 300 "Invalid field." naming password).
  if (out.password !== undefined) {
    const problems = passcodeProblems(out.password, meetingSecurityOf(user));
    if (problems.length > 0) {
      throw new HttpError(
        jsonResponse({ code: 300, message: 'Invalid field.', errors: problems.map((message) => ({ field: 'password', message })) }, 400, { 'x-zm-trackingid': trackingId() }),
      );
    }
  }
  return { fields: out, raw: body };
}

/** Values Zoom accepts for the meeting settings Aki sends (others are stored as sent). */
const SETTING_VALUES: Record<string, readonly unknown[]> = {
  waiting_room: [true, false],
  join_before_host: [true, false],
  mute_upon_entry: [true, false],
  host_video: [true, false],
  participant_video: [true, false],
  auto_recording: ['local', 'cloud', 'none'],
  approval_type: [0, 1, 2],
  jbh_time: [0, 5, 10, 15],
  audio: ['both', 'telephony', 'voip', 'thirdParty'],
};

/**
 * `settings.alternative_hosts` (emails or user ids, `;` or `,` separated). Zoom accepts only active Licensed
 * users of the host's own account, never the host, and only for a Licensed host; it refuses the first
 * one that is not with 400 code 1114 naming it (the wording here is modelled on what clients report;
 * Zoom's exact text varies). Returns the normalised list (emails, `;`-joined) to store.
 */
function alternativeHostsOf(emu: ZoomContext, host: EmulatorUser, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new HttpError(jsonResponse({ code: 300, message: 'Validation Failed.', errors: [{ field: 'settings.alternative_hosts', message: 'Invalid field.' }] }, 400, { 'x-zm-trackingid': trackingId() }));
  }
  const entries = value
    .split(/[;,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  const emails: string[] = [];
  for (const entry of entries) {
    const user = emu.state.users.find((u) => u.id === entry || u.email.toLowerCase() === entry.toLowerCase());
    const allowed = host.type === 2 && user && user.id !== host.id && user.accountId === host.accountId && user.type === 2 && userStatus(user) === 'active';
    if (!allowed) {
      const why =
        host.type !== 2
          ? 'alternative hosts need a Licensed host'
          : user?.id === host.id
            ? 'the host cannot be their own alternative host'
            : 'only a Licensed user in the same account can be an alternative host';
      throw new HttpError(apiError(400, 1114, `Unable to assign '${entry}' as an alternative host: ${why}.`));
    }
    if (!emails.includes(user.email)) emails.push(user.email);
  }
  return emails.join(';');
}

function newMeetingId(emu: ZoomContext): bigint {
  // Deliberately above 2^53 so a client that parses ids as JS numbers loses digits and fails.
  let id: bigint;
  do id = TWO_POW_53 + BigInt(randomInt(1, 2 ** 47)) * 1000n + BigInt(randomInt(0, 1000));
  while (emu.state.meetings.some((m) => m.id === id));
  return id;
}

/** No passcode sent: Zoom generates one following the host's policy when it requires one ('' otherwise). */
function newPassword(user: EmulatorUser): string {
  const security = meetingSecurityOf(user);
  return security.require_password_for_scheduled_meeting ? generatePasscode(security) : '';
}

type ApiAnswer = { response: Response; body?: unknown };

/** `/v2/users/{userId}/meetings`: create (POST) or list (GET); null for other methods. */
export async function userMeetings(emu: ZoomContext, ctx: ApiContext, request: Request, rawUserId: string): Promise<ApiAnswer | null> {
  const method = request.method;
  const host = resolveUser(emu, ctx, rawUserId);
  if (method === 'POST') {
    requireScope(ctx, SCOPES.createMeeting);
    requireActiveHost(host);
    const { fields, raw } = await readMeetingBody(request, host);
    const alternativeHosts = alternativeHostsOf(emu, host, fields.settings?.alternative_hosts);
    const headers = takeDailyBudget(emu, host, 'Medium');
    const meeting: EmulatorMeeting = {
      id: newMeetingId(emu),
      uuid: randomBytes(16).toString('base64'),
      hostId: host.id,
      topic: fields.topic ?? 'Zoom meeting',
      type: fields.type ?? 2,
      startTime: fields.startTime ?? isoSeconds(emu.now()),
      duration: fields.duration ?? 60,
      timezone: fields.timezone ?? host.timezone,
      agenda: fields.agenda ?? '',
      password: fields.password ?? newPassword(host),
      createdAt: isoSeconds(emu.now()),
      settings: {
        host_video: false,
        participant_video: false,
        join_before_host: false,
        mute_upon_entry: false,
        waiting_room: meetingSecurityOf(host).waiting_room,
        approval_type: 2,
        audio: 'both',
        auto_recording: 'none',
        ...(fields.settings ?? {}),
        alternative_hosts: alternativeHosts ?? '',
      },
      deletedAt: null,
      status: 'waiting',
    };
    emu.state.meetings.push(meeting);
    return { body: raw, response: jsonResponse(meetingJson(emu, meeting, request, host), 201, { 'x-zm-trackingid': trackingId(), ...headers }) };
  }
  if (method === 'GET') {
    requireScope(ctx, SCOPES.listMeetings);
    const url = new URL(request.url);
    const pageSize = Math.min(300, Math.max(1, Number(url.searchParams.get('page_size') ?? 30) || 30));
    const offset = Number(Buffer.from(url.searchParams.get('next_page_token') ?? '', 'base64url').toString() || 0) || 0;
    const type = url.searchParams.get('type') ?? 'scheduled';
    // from/to (yyyy-mm-dd, inclusive) are dates in `timezone` (default: the user's zone).
    const zone = url.searchParams.get('timezone') ?? host.timezone;
    const from = url.searchParams.get('from');
    const to = url.searchParams.get('to');
    const datePattern = /^\d{4}-\d{2}-\d{2}$/;
    if ((from !== null && !datePattern.test(from)) || (to !== null && !datePattern.test(to)) || !isKnownTimeZone(zone)) {
      throw new HttpError(apiError(400, 300, 'Invalid parameter: from, to or timezone.'));
    }
    const localDate = (iso: string) => localDateOf(new Date(iso), zone);
    const all = emu.state.meetings
      .filter((m) => m.hostId === host.id && m.deletedAt === null)
      .filter((m) => (type === 'upcoming' || type === 'upcoming_meetings' ? Date.parse(m.startTime) + m.duration * 60_000 > emu.now() || m.status === 'started' : true))
      .filter((m) => (type === 'live' ? m.status === 'started' : true))
      .filter((m) => (type === 'previous_meetings' ? m.status === 'ended' || Date.parse(m.startTime) + m.duration * 60_000 <= emu.now() : true))
      .filter((m) => (from === null || localDate(m.startTime) >= from) && (to === null || localDate(m.startTime) <= to))
      .sort((a, b) => a.startTime.localeCompare(b.startTime));
    const page = all.slice(offset, offset + pageSize);
    const next = offset + pageSize < all.length ? Buffer.from(String(offset + pageSize)).toString('base64url') : '';
    return {
      response: jsonResponse(
        {
          page_size: pageSize,
          total_records: all.length,
          next_page_token: next,
          meetings: page.map((m) => ({
            uuid: m.uuid,
            id: m.id,
            host_id: m.hostId,
            topic: m.topic,
            type: m.type,
            start_time: m.startTime,
            duration: m.duration,
            timezone: m.timezone,
            // Zoom truncates the agenda to 250 characters in lists.
            ...(emu.state.config.listIncludesAgenda ? { agenda: m.agenda.slice(0, 250) } : {}),
            created_at: m.createdAt,
            join_url: meetingJson(emu, m, request, host).join_url,
          })),
        },
        200,
        { 'x-zm-trackingid': trackingId(), ...rateHeaders('Medium') },
      ),
    };
  }
  return null;
}

/** `/v2/meetings/{meetingId}`: read, update or delete; null for other methods. */
export async function meetingById(emu: ZoomContext, ctx: ApiContext, request: Request, rawId: string): Promise<ApiAnswer | null> {
  const method = request.method;
    if (method === 'GET') {
    requireScope(ctx, SCOPES.readMeeting);
    const { meeting, host } = findMeetingAndHost(emu, ctx, rawId, 'read');
    return { response: jsonResponse(meetingJson(emu, meeting, request, host), 200, { 'x-zm-trackingid': trackingId(), ...rateHeaders('Light') }) };
  }
  if (method === 'PATCH') {
    requireScope(ctx, SCOPES.updateMeeting);
    const { meeting, host } = findMeetingAndHost(emu, ctx, rawId, 'write');
    const { fields, raw } = await readMeetingBody(request, host, meeting);
    const alternativeHosts = alternativeHostsOf(emu, host, (raw.settings as Record<string, unknown> | undefined)?.alternative_hosts);
    if (alternativeHosts !== undefined && fields.settings) fields.settings.alternative_hosts = alternativeHosts;
    if (meeting.status === 'started') throw new HttpError(apiError(400, 3000, 'You cannot update or delete meetings that have started using this method.'));
    const headers = takeDailyBudget(emu, host, 'Light');
    Object.assign(meeting, fields);
    return { body: raw, response: new Response(null, { status: 204, headers: { 'x-zm-trackingid': trackingId(), ...headers } }) };
  }
  if (method === 'DELETE') {
    requireScope(ctx, SCOPES.deleteMeeting);
    const { meeting, host } = findMeetingAndHost(emu, ctx, rawId, 'write');
    if (meeting.status === 'started') throw new HttpError(apiError(400, 3002, 'Sorry, you cannot delete this meeting since it is in progress.'));
    if (meeting.status === 'ended') throw new HttpError(apiError(400, 3007, 'Sorry, you cannot delete this meeting since it has ended.'));
    const headers = emu.state.config.dailyLimitCountsDeletes ? takeDailyBudget(emu, host, 'Light') : rateHeaders('Light');
    meeting.deletedAt = emu.now();
    return { response: new Response(null, { status: 204, headers: { 'x-zm-trackingid': trackingId(), ...headers } }) };
  }
  return null;
}
