import { randomBytes, randomInt } from 'node:crypto';
import { type ApiContext, requireScope, SCOPES } from './oauth';
import { apiError, HttpError, isoSeconds, origin, rateHeaders, trackingId, type ZoomContext } from './http';
import { jsonResponse } from './json';
import { defaultMeetingSecurity, type EmulatorUser, type MeetingSecurity } from './state';

/**
 * Zoom's user endpoints: `GET /v2/users` (the account's users, paged), `GET /v2/users/{userId}`,
 * `POST /v2/users` (create, with the account's licence count), `GET /v2/users/{userId}/settings`
 * (meeting security: the passcode policy), and the user check of the `/v2/users/{userId}/...` routes.
 */

const decodeUserId = (raw: string) => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

const notFound = (id: string) => new HttpError(apiError(404, 1001, `User does not exist: ${id}.`));

/**
 * The user a `/v2/users/{userId}` path names, as the token may see it. A user token sees only its own
 * user (`me`, its id or its email). An account (Server-to-Server) token sees every user of its account by
 * id or email, and refuses `me` (an account token has no user of its own; address users by id): 404 code 1001.
 */
export function resolveUser(emu: ZoomContext, ctx: ApiContext, rawUserId: string): EmulatorUser {
  const decoded = decodeUserId(rawUserId);
  if (ctx.user) {
    if (decoded === 'me' || decoded === ctx.user.id || decoded.toLowerCase() === ctx.user.email.toLowerCase()) return ctx.user;
    throw notFound(decoded);
  }
  const user = emu.state.users.find((u) => u.accountId === ctx.accountId && (u.id === decoded || u.email.toLowerCase() === decoded.toLowerCase()));
  if (!user) throw notFound(decoded);
  return user;
}

/** The host of a meeting when the token may act on it (its own user, or any user of its account); null otherwise. */
export function actsFor(emu: ZoomContext, ctx: ApiContext, hostId: string): EmulatorUser | null {
  if (ctx.user) return ctx.user.id === hostId ? ctx.user : null;
  return emu.state.users.find((u) => u.id === hostId && u.accountId === ctx.accountId) ?? null;
}

export const userStatus = (user: EmulatorUser) => user.status ?? 'active';

/** Only active users may host: pending (invited, not yet accepted) and deactivated users get Zoom's 3161. */
export function requireActiveHost(user: EmulatorUser) {
  if (userStatus(user) !== 'active') {
    throw new HttpError(apiError(400, 3161, 'Meeting hosting and scheduling capabilities are not allowed for your user account.'));
  }
}

export function meetingSecurityOf(user: EmulatorUser): MeetingSecurity {
  const base = defaultMeetingSecurity();
  const own = user.settings?.meetingSecurity ?? {};
  return { ...base, ...own, meeting_password_requirement: { ...base.meeting_password_requirement, ...(own.meeting_password_requirement ?? {}) } };
}

function userJson(emu: ZoomContext, request: Request, u: EmulatorUser) {
  return {
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    display_name: `${u.firstName} ${u.lastName}`.trim(),
    email: u.email,
    type: u.type,
    role_name: 'Member',
    pmi: u.pmi,
    use_pmi: false,
    personal_meeting_url: `${origin(emu, request)}/j/${u.pmi}`,
    timezone: u.timezone,
    verified: userStatus(u) === 'pending' ? 0 : 1,
    dept: '',
    created_at: u.createdAt ?? '2024-04-01T09:00:00Z',
    user_created_at: u.createdAt ?? '2024-04-01T09:00:00Z',
    last_login_time: isoSeconds(emu.now()),
    pic_url: '',
    language: u.language,
    phone_number: '',
    status: userStatus(u),
    role_id: '2',
    account_id: u.accountId,
    account_number: 1234567890n,
    cluster: 'us05',
    login_types: [100],
    user_created_type: 0,
  };
}

/** `GET /v2/users/{userId}` (user token: its own user; account token: any user of the account, by id or email). */
export function getUser(emu: ZoomContext, ctx: ApiContext, request: Request, rawUserId: string): Response {
  requireScope(ctx, SCOPES.readUser);
  const user = resolveUser(emu, ctx, rawUserId);
  return jsonResponse(userJson(emu, request, user), 200, { 'x-zm-trackingid': trackingId(), ...rateHeaders('Light') });
}

/** `GET /v2/users?status=active|inactive|pending&page_size=&next_page_token=&page_number=`: the token's account, oldest first. */
export function listUsers(emu: ZoomContext, ctx: ApiContext, request: Request): Response {
  requireScope(ctx, SCOPES.listUsers);
  const url = new URL(request.url);
  const status = url.searchParams.get('status') ?? 'active';
  if (!['active', 'inactive', 'pending'].includes(status)) throw new HttpError(apiError(400, 300, 'Invalid field: status.'));
  const rawSize = url.searchParams.get('page_size');
  const pageSize = rawSize === null ? 30 : Number(rawSize);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new HttpError(apiError(400, 300, 'Invalid field: page_size.'));
  const size = Math.min(pageSize, 2000);
  const all = emu.state.users.filter((u) => u.accountId === ctx.accountId && userStatus(u) === status);
  let offset = 0;
  const token = url.searchParams.get('next_page_token');
  if (token) {
    const decoded = /^users:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
    if (!decoded) throw new HttpError(apiError(400, 300, 'Invalid field: next_page_token.'));
    offset = Number(decoded[1]);
  } else if (url.searchParams.get('page_number')) {
    offset = (Math.max(1, Number(url.searchParams.get('page_number')) || 1) - 1) * size;
  }
  const page = all.slice(offset, offset + size);
  const next = offset + size < all.length ? Buffer.from(`users:${offset + size}`).toString('base64url') : '';
  return jsonResponse(
    {
      page_count: Math.max(1, Math.ceil(all.length / size)),
      page_number: Math.floor(offset / size) + 1,
      page_size: size,
      total_records: all.length,
      next_page_token: next,
      users: page.map((u) => {
        const { role_name: _role, use_pmi: _use, personal_meeting_url: _url, account_id: _account, account_number: _number, cluster: _cluster, login_types: _types, ...item } = userJson(emu, request, u);
        return item;
      }),
    },
    200,
    { 'x-zm-trackingid': trackingId(), ...rateHeaders('Medium') },
  );
}

const CREATE_ACTIONS = ['create', 'autoCreate', 'custCreate', 'ssoCreate'];

/**
 * `POST /v2/users` `{action, user_info:{email, type, first_name?, last_name?}}` → 201 `{id, first_name, last_name, email, type}`.
 * `create` invites the person (status pending until they accept); the other actions make an active user.
 * An email already in the account → 409 code 1005; a Licensed user (type 2) past the account's licence count
 * → 400 code 200. A Basic user (type 1) is always possible.
 */
export async function createUser(emu: ZoomContext, ctx: ApiContext, request: Request): Promise<{ response: Response; body?: unknown }> {
  requireScope(ctx, SCOPES.createUser);
  let body: Record<string, unknown>;
  try {
    const text = await request.text();
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
  } catch {
    throw new HttpError(apiError(400, 300, 'Request Body should be a valid JSON object.'));
  }
  const info = (typeof body.user_info === 'object' && body.user_info !== null ? body.user_info : {}) as Record<string, unknown>;
  const errors: { field: string; message: string }[] = [];
  if (typeof body.action !== 'string' || !CREATE_ACTIONS.includes(body.action)) errors.push({ field: 'action', message: 'Invalid field.' });
  if (typeof info.email !== 'string' || info.email.length > 128 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(info.email)) errors.push({ field: 'user_info.email', message: 'Invalid field.' });
  if (info.type !== 1 && info.type !== 2) errors.push({ field: 'user_info.type', message: 'Invalid field.' });
  for (const field of ['first_name', 'last_name'] as const) {
    if (info[field] !== undefined && (typeof info[field] !== 'string' || info[field].length > 64)) errors.push({ field: `user_info.${field}`, message: 'Invalid field.' });
  }
  if (errors.length > 0) throw new HttpError(jsonResponse({ code: 300, message: 'Validation Failed.', errors }, 400, { 'x-zm-trackingid': trackingId() }));
  const email = info.email as string;
  const type = info.type as 1 | 2;
  const accountUsers = emu.state.users.filter((u) => u.accountId === ctx.accountId);
  if (accountUsers.some((u) => u.email.toLowerCase() === email.toLowerCase() && userStatus(u) !== 'inactive')) {
    throw new HttpError(apiError(409, 1005, `User already in the account: ${email}`));
  }
  const account = emu.state.accounts.find((a) => a.id === ctx.accountId);
  if (type === 2 && account?.licenses !== undefined) {
    const used = accountUsers.filter((u) => u.type === 2 && userStatus(u) !== 'inactive').length;
    if (used >= account.licenses) {
      throw new HttpError(apiError(400, 200, `No more licenses: all ${account.licenses} Licensed seats of this account are in use. Add licenses or create a Basic user.`));
    }
  }
  const user: EmulatorUser = {
    id: randomBytes(16).toString('base64url').slice(0, 22),
    accountId: ctx.accountId,
    email,
    firstName: typeof info.first_name === 'string' ? info.first_name : '',
    lastName: typeof info.last_name === 'string' ? info.last_name : '',
    type,
    timezone: ctx.user?.timezone ?? accountUsers[0]?.timezone ?? 'UTC',
    language: 'en-US',
    pmi: BigInt(randomInt(1_000_000_000, 9_999_999_999)),
    status: body.action === 'create' ? 'pending' : 'active',
    createdAt: isoSeconds(emu.now()),
  };
  emu.state.users.push(user);
  return {
    body,
    response: jsonResponse({ id: user.id, first_name: user.firstName, last_name: user.lastName, email: user.email, type: user.type }, 201, {
      'x-zm-trackingid': trackingId(),
      ...rateHeaders('Light'),
    }),
  };
}

/**
 * `GET /v2/users/{userId}/settings[?option=meeting_security]`. With the option: `{meeting_security:{…}}`;
 * without: the scheduling and in-meeting parts Aki reads plus `meeting_security`.
 */
export function getUserSettings(emu: ZoomContext, ctx: ApiContext, request: Request, rawUserId: string): Response {
  requireScope(ctx, SCOPES.readSettings);
  const user = resolveUser(emu, ctx, rawUserId);
  const option = new URL(request.url).searchParams.get('option');
  const security = meetingSecurityOf(user);
  const headers = { 'x-zm-trackingid': trackingId(), ...rateHeaders('Medium') };
  if (option === 'meeting_security') return jsonResponse({ meeting_security: security }, 200, headers);
  if (option !== null && option !== '') throw new HttpError(apiError(400, 300, `Invalid field: option.`));
  return jsonResponse(
    {
      schedule_meeting: {
        host_video: false,
        participants_video: false,
        join_before_host: false,
        require_password_for_scheduling_new_meetings: security.require_password_for_scheduled_meeting,
        embed_password_in_join_link: security.embed_password_in_join_link,
        mute_upon_entry: false,
      },
      in_meeting: { waiting_room: security.waiting_room, auto_saving_chat: false },
      recording: { auto_recording: 'none', cloud_recording: user.type === 2 },
      meeting_security: security,
    },
    200,
    headers,
  );
}
