import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import { isZoomTimeZone } from '@/lib/zoom/time-zone-list';
import { jsonResponse, stringifyWithInt64 } from './json';
import { consentPage, errorPage, meetingPage, preApprovalPage } from './pages';
import {
  type AccessToken,
  type CallRecord,
  type EmulatorConfig,
  type EmulatorMeeting,
  type EmulatorState,
  type EmulatorUser,
  type Fault,
  initialState,
  type TokenSet,
  type WebhookDelivery,
} from './state';

/**
 * A framework-free emulator of the parts of Zoom Aki uses, following Zoom's documented wire behaviour:
 * the zoom.us OAuth endpoints (consent page, token, revoke), the api.zoom.us/v2 meeting and user
 * endpoints, signed webhooks, and a control API for tests (docs/api.md, emulator control API). `handle` takes and
 * returns fetch Requests/Responses so it can be mounted in a Next route or served by node:http.
 */

export type ZoomEmulatorOptions = {
  /** Path prefix the emulator is mounted under ('' standalone, '/api/emulators/zoom' in the app). */
  basePath?: string;
  /** Where control-API webhooks are delivered (the app's /api/webhooks/zoom). */
  webhookTargetUrl?: string;
  webhookSecretToken: string;
  clientId: string;
  clientSecret: string;
  /** When given, authorize refuses other redirect URIs (Zoom's OAuth allow list). */
  redirectUris?: string[];
  appName?: string;
};

export type ZoomEmulator = {
  handle(request: Request): Promise<Response>;
  readonly state: EmulatorState;
  readonly options: ZoomEmulatorOptions;
  reset(): void;
  now(): number;
  deliverWebhook(event: string, payload?: Record<string, unknown>, options?: { target?: string; timestampSeconds?: number }): Promise<WebhookResult>;
};

export type WebhookResult = WebhookDelivery & { body: string; signature: string; timestamp: number; validated?: boolean };

const MAX_CALLS = 2000;
const TWO_POW_53 = 9_007_199_254_740_993n;

// Scopes accepted by each operation: granular (current apps) or classic (older apps).
const SCOPES = {
  readUser: ['user:read:user', 'user:read', 'user_info:read'],
  createMeeting: ['meeting:write:meeting', 'meeting:write'],
  readMeeting: ['meeting:read:meeting', 'meeting:read'],
  updateMeeting: ['meeting:update:meeting', 'meeting:write'],
  deleteMeeting: ['meeting:delete:meeting', 'meeting:write'],
  listMeetings: ['meeting:read:list_meetings', 'meeting:read'],
} as const;

type ApiContext = { user: EmulatorUser; set: TokenSet; access: AccessToken };

class HttpError extends Error {
  constructor(public readonly response: Response) {
    super('http error');
  }
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function trackingId(): string {
  return `v=2.0;clid=us05;rid=WEB_${randomBytes(16).toString('hex')}`;
}

function oauthError(error: string, reason: string, status = 400): Response {
  return jsonResponse({ reason, error }, status, { 'x-zm-trackingid': trackingId() });
}

function apiError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse({ code, message }, status, { 'x-zm-trackingid': trackingId(), ...headers });
}

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

async function readParams(request: Request, url: URL): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const type = request.headers.get('content-type') ?? '';
    const text = await request.text();
    if (text && (type.includes('application/x-www-form-urlencoded') || type === '')) {
      for (const [key, value] of new URLSearchParams(text)) params[key] = value;
    } else if (text && type.includes('application/json')) {
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') params[key] = value;
      } catch {
        // ignored: Zoom answers with the missing-parameter error below
      }
    }
  }
  return params;
}

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

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function createZoomEmulator(options: ZoomEmulatorOptions): ZoomEmulator {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const appName = options.appName ?? 'Aki';
  let state = initialState();

  const now = () => Date.now() + state.clockOffsetMs;

  function record(call: Omit<CallRecord, 'at'>) {
    state.calls.push({ at: new Date(now()).toISOString(), ...call });
    if (state.calls.length > MAX_CALLS) state.calls.splice(0, state.calls.length - MAX_CALLS);
  }

  function mintToken(kind: 'access' | 'refresh', user: EmulatorUser, lifetimeSeconds: number): string {
    const issued = Math.floor(now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'HS512', v: '2.0', kid: randomBytes(8).toString('hex') }));
    const payload = b64url(
      JSON.stringify({
        ver: 10,
        auid: createHash('sha256').update(options.clientId).digest('hex').slice(0, 32),
        uid: user.id,
        aid: user.accountId,
        iss: `zm:cid:${options.clientId}`,
        gno: 0,
        type: kind === 'access' ? 0 : 1,
        tid: kind === 'access' ? 0 : 1,
        aud: 'https://oauth.zoom.us',
        nbf: issued,
        iat: issued,
        exp: issued + lifetimeSeconds,
        jti: randomBytes(12).toString('hex'),
      }),
    );
    return `eyJ${header.slice(3)}.${payload}.${randomBytes(64).toString('base64url')}`;
  }

  function grantedScopes(user: EmulatorUser): string[] {
    return user.scopes ?? state.config.appScopes;
  }

  function issueTokens(set: TokenSet, user: EmulatorUser) {
    const config = state.config;
    const issuedAt = now();
    const access: AccessToken = {
      token: mintToken('access', user, config.accessTokenTtlSeconds),
      setId: set.id,
      issuedAt,
      expiresAt: issuedAt + config.accessTokenTtlSeconds * 1000,
    };
    const refresh = {
      token: mintToken('refresh', user, config.refreshTokenTtlSeconds),
      setId: set.id,
      issuedAt,
      expiresAt: issuedAt + config.refreshTokenTtlSeconds * 1000,
      usedAt: null,
    };
    state.accessTokens.push(access);
    state.refreshTokens.push(refresh);
    return {
      access_token: access.token,
      token_type: 'bearer',
      refresh_token: refresh.token,
      expires_in: config.accessTokenTtlSeconds,
      scope: set.scopes.join(' '),
      api_url: 'https://api.zoom.us',
    };
  }

  function revokeSet(set: TokenSet, reason: string) {
    if (set.revokedAt === null) {
      set.revokedAt = now();
      set.revokedReason = reason;
    }
  }

  function clientAuthOk(request: Request): boolean {
    const header = request.headers.get('authorization') ?? '';
    const match = /^Basic\s+(.+)$/i.exec(header);
    if (!match) return false;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 && decoded.slice(0, colon) === options.clientId && decoded.slice(colon + 1) === options.clientSecret;
  }

  // ---------------------------------------------------------------- OAuth (zoom.us)

  function authorizeProblem(params: Record<string, string>): Response | null {
    if (params.response_type !== 'code') return errorPage('Invalid request', 'response_type must be "code". (4700)');
    if (params.client_id !== options.clientId) return errorPage('Invalid client_id', 'The app could not be found. (4702)');
    if (!params.redirect_uri) return errorPage('Invalid redirect', 'redirect_uri is required. (4709)');
    try {
      const redirect = new URL(params.redirect_uri);
      if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:') throw new Error('scheme');
    } catch {
      return errorPage('Invalid redirect', 'Invalid redirect: the redirect URL is not a valid URL. (4709)');
    }
    if (options.redirectUris && !options.redirectUris.includes(params.redirect_uri)) {
      return errorPage('Invalid redirect', 'Invalid redirect: the redirect URL is not on the app allow list. (4709)');
    }
    if (params.scope !== undefined) return errorPage('Invalid scopes', 'Invalid scopes. Scopes are configured on the Marketplace app. (4711)');
    if (params.code_challenge_method && !['S256', 'plain'].includes(params.code_challenge_method)) {
      return errorPage('Invalid request', 'Unsupported code_challenge_method.');
    }
    return null;
  }

  const AUTHORIZE_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope'];

  function redirectBack(redirectUri: string, query: Record<string, string | undefined>): Response {
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(key, value);
    return new Response(null, { status: 302, headers: { location: target.toString() } });
  }

  async function authorize(request: Request, url: URL): Promise<Response> {
    const all = await readParams(request, url);
    const params: Record<string, string> = {};
    for (const field of AUTHORIZE_FIELDS) if (all[field] !== undefined) params[field] = all[field]!;
    const problem = authorizeProblem(params);
    if (problem) return problem;
    const action = `${basePath}/oauth/authorize`;
    if (request.method === 'GET') {
      return consentPage({ action, params, users: state.users, scopes: state.config.appScopes, appName });
    }
    const decision = all.decision;
    if (decision === 'deny') {
      return redirectBack(params.redirect_uri!, { error: 'access_denied', error_description: 'The user denied the authorization request', state: params.state });
    }
    const user = state.users.find((u) => u.id === all.user_id);
    if (!user) return errorPage('Sign in', 'Choose an account to continue.');
    if (user.requiresPreApproval) {
      if (decision === 'request_approval') {
        state.preApprovalRequests.push({ userId: user.id, at: new Date(now()).toISOString() });
        return preApprovalPage({ action, params, user, requested: true, appName });
      }
      if (decision === 'back') {
        // Real Zoom sends nothing back here (the user just leaves); the emulator's "back" link
        // returns a labelled access_denied so the app can explain the pre-approval step.
        return redirectBack(params.redirect_uri!, {
          error: 'access_denied',
          error_description: 'admin_pre_approval_required',
          state: params.state,
        });
      }
      return preApprovalPage({ action, params, user, requested: state.preApprovalRequests.some((r) => r.userId === user.id), appName });
    }
    if (decision !== 'allow') return errorPage('Invalid request', 'Unknown decision.');
    const code = randomBytes(24).toString('base64url');
    state.codes.push({
      code,
      userId: user.id,
      clientId: options.clientId,
      redirectUri: params.redirect_uri!,
      codeChallenge: params.code_challenge ?? null,
      codeChallengeMethod: params.code_challenge ? ((params.code_challenge_method as 'S256' | 'plain' | undefined) ?? 'plain') : null,
      expiresAt: now() + state.config.codeTtlSeconds * 1000,
      usedAt: null,
    });
    return redirectBack(params.redirect_uri!, { code, state: params.state });
  }

  async function token(request: Request, url: URL): Promise<Response> {
    const params = await readParams(request, url);
    const grantType = params.grant_type;
    const finish = (response: Response, userId?: string) => {
      record({ method: 'POST', path: '/oauth/token', status: response.status, grantType, userId });
      return response;
    };
    if (!clientAuthOk(request)) return finish(oauthError('invalid_client', 'Invalid client_id or client_secret'));
    if (!grantType) return finish(oauthError('invalid_request', 'Missing grant_type'));

    if (grantType === 'authorization_code') {
      const entry = state.codes.find((c) => c.code === params.code);
      if (!entry || entry.usedAt !== null) return finish(oauthError('invalid_grant', 'Invalid authorization code'));
      if (entry.expiresAt <= now()) return finish(oauthError('invalid_grant', 'Authorization code expired'));
      if (params.redirect_uri !== entry.redirectUri) return finish(oauthError('invalid_request', 'Redirect URI mismatch.'));
      if (entry.codeChallenge) {
        const verifier = params.code_verifier;
        if (!verifier) return finish(oauthError('invalid_request', 'Missing code_verifier'));
        const computed = entry.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
        if (computed !== entry.codeChallenge) return finish(oauthError('invalid_grant', 'Invalid code_verifier'));
      }
      entry.usedAt = now();
      const user = state.users.find((u) => u.id === entry.userId);
      if (!user) return finish(oauthError('invalid_grant', 'Owner of token does not exist'));
      // Re-authorisation: the newest authorisation wins, every older token set dies (4741).
      for (const set of state.tokenSets) if (set.userId === user.id && set.clientId === options.clientId) revokeSet(set, 'superseded');
      const set: TokenSet = {
        id: randomBytes(8).toString('hex'),
        userId: user.id,
        clientId: options.clientId,
        scopes: grantedScopes(user),
        createdAt: now(),
        revokedAt: null,
        revokedReason: null,
      };
      state.tokenSets.push(set);
      state.stats.tokenExchanges++;
      return finish(jsonResponse(issueTokens(set, user)), user.id);
    }

    if (grantType === 'refresh_token') {
      const entry = state.refreshTokens.find((r) => r.token === params.refresh_token);
      const set = entry ? state.tokenSets.find((s) => s.id === entry.setId) : undefined;
      const user = set ? state.users.find((u) => u.id === set.userId) : undefined;
      if (!entry || !set || !user || entry.usedAt !== null || set.revokedAt !== null || entry.expiresAt <= now()) {
        state.stats.refreshFailures++;
        return finish(oauthError('invalid_grant', 'Invalid Token!'), set?.userId);
      }
      // Rotation: the refresh token is single use; the previous access token lives until it expires.
      entry.usedAt = now();
      state.stats.refreshes++;
      return finish(jsonResponse(issueTokens(set, user)), user.id);
    }

    return finish(oauthError('unsupported_grant_type', 'Unsupported grant type'));
  }

  async function revoke(request: Request, url: URL): Promise<Response> {
    const params = await readParams(request, url);
    const finish = (response: Response, userId?: string) => {
      record({ method: 'POST', path: '/oauth/revoke', status: response.status, userId });
      return response;
    };
    if (!clientAuthOk(request)) return finish(oauthError('invalid_client', 'Invalid client_id or client_secret'));
    if (!params.token) return finish(oauthError('invalid_request', 'Missing token'));
    const setId =
      state.accessTokens.find((t) => t.token === params.token)?.setId ?? state.refreshTokens.find((t) => t.token === params.token)?.setId;
    const set = state.tokenSets.find((s) => s.id === setId);
    if (!set || set.revokedAt !== null) return finish(oauthError('invalid_request', 'Invalid Token!'));
    revokeSet(set, 'revoked');
    state.stats.revocations++;
    return finish(jsonResponse({ status: 'success' }), set.userId);
  }

  // ---------------------------------------------------------------- REST (api.zoom.us/v2)

  function authenticate(request: Request): ApiContext {
    const header = request.headers.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const access = match ? state.accessTokens.find((t) => t.token === match[1]) : undefined;
    const set = access ? state.tokenSets.find((s) => s.id === access.setId) : undefined;
    const user = set ? state.users.find((u) => u.id === set.userId) : undefined;
    if (!access || !set || !user || set.revokedAt !== null) throw new HttpError(apiError(401, 124, 'Invalid access token.'));
    if (access.expiresAt <= now()) throw new HttpError(apiError(401, 124, 'Access token is expired.'));
    return { user, set, access };
  }

  function requireScope(ctx: ApiContext, accepted: readonly string[]) {
    if (accepted.some((scope) => ctx.set.scopes.includes(scope))) return;
    const granular = accepted[0]!;
    throw new HttpError(apiError(400, 4711, `Invalid access token, does not contain scopes:[${granular}:admin, ${granular}].`));
  }

  function resolveUser(ctx: ApiContext, userId: string) {
    const decoded = decodeURIComponent(userId);
    if (decoded === 'me' || decoded === ctx.user.id || decoded.toLowerCase() === ctx.user.email.toLowerCase()) return;
    throw new HttpError(apiError(404, 1001, `User does not exist: ${decoded}.`));
  }

  function rateHeaders(category: 'Light' | 'Medium', extra: Record<string, string> = {}): Record<string, string> {
    const limit = category === 'Light' ? 30 : 20;
    return { 'X-RateLimit-Category': category, 'X-RateLimit-Type': 'QPS', 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(limit - 1), ...extra };
  }

  /**
   * The per-host create+update budget. When exhausted: 429 code 429 with the message only — real
   * Zoom sends no Retry-After and no X-RateLimit-Type for this limit (it resets at 00:00 UTC).
   */
  function takeDailyBudget(user: EmulatorUser, category: 'Light' | 'Medium'): Record<string, string> {
    const key = `${user.id}:${utcDay(now())}`;
    const used = state.dailyCounts[key] ?? 0;
    const limit = state.config.dailyMeetingLimit;
    if (used >= limit) {
      throw new HttpError(apiError(429, 429, state.config.dailyLimitMessage.replace('{limit}', String(limit))));
    }
    state.dailyCounts[key] = used + 1;
    return {
      'X-RateLimit-Category': category,
      'X-RateLimit-Type': 'Daily-limit',
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(limit - used - 1),
    };
  }

  function origin(request: Request): string {
    return new URL(request.url).origin + basePath;
  }

  function meetingJson(meeting: EmulatorMeeting, request: Request, user: EmulatorUser) {
    const webBase = origin(request);
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
      start_url: `${webBase}/s/${meeting.id}?zak=${mintToken('access', user, 7200)}`,
      join_url: `${webBase}/j/${meeting.id}?pwd=${pwd}`,
      password: meeting.password,
      h323_password: meeting.password.replace(/\D/g, '').padEnd(6, '0').slice(0, 6),
      pstn_password: meeting.password.replace(/\D/g, '').padEnd(6, '0').slice(0, 6),
      encrypted_password: pwd,
      pre_schedule: false,
      settings: meeting.settings,
      creation_source: 'open_api',
    };
  }

  function findMeeting(ctx: ApiContext, rawId: string, action: 'read' | 'write'): EmulatorMeeting {
    let decoded = rawId;
    try {
      decoded = decodeURIComponent(decodeURIComponent(rawId));
    } catch {
      // keep the raw value
    }
    const meeting = /^\d+$/.test(decoded)
      ? state.meetings.find((m) => m.id.toString() === decoded && m.deletedAt === null)
      : state.meetings.find((m) => m.uuid === decoded && m.deletedAt === null);
    if (!meeting || (action === 'read' && meeting.hostId !== ctx.user.id)) {
      throw new HttpError(apiError(404, 3001, `Meeting ${decoded} is not found or has expired.`));
    }
    if (meeting.hostId !== ctx.user.id) throw new HttpError(apiError(400, 3003, 'You are not the meeting host.'));
    return meeting;
  }

  type MeetingFields = Partial<Pick<EmulatorMeeting, 'topic' | 'type' | 'startTime' | 'duration' | 'timezone' | 'agenda' | 'password' | 'settings'>>;

  async function readMeetingBody(request: Request, user: EmulatorUser, existing?: EmulatorMeeting): Promise<{ fields: MeetingFields; raw: Record<string, unknown> }> {
    let body: Record<string, unknown>;
    try {
      const text = await request.text();
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
      if (typeof body.password !== 'string' || !/^[A-Za-z0-9@\-_*]{1,10}$/.test(body.password)) errors.push({ field: 'password', message: 'Invalid field.' });
      else out.password = body.password;
    }
    if (body.settings !== undefined) {
      if (typeof body.settings !== 'object' || body.settings === null) errors.push({ field: 'settings', message: 'Invalid field.' });
      else out.settings = { ...(existing?.settings ?? {}), ...(body.settings as Record<string, unknown>) };
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
    return { fields: out, raw: body };
  }

  function newMeetingId(): bigint {
    // Deliberately above 2^53 so a client that parses ids as JS numbers loses digits and fails.
    let id: bigint;
    do id = TWO_POW_53 + BigInt(randomInt(1, 2 ** 47)) * 1000n + BigInt(randomInt(0, 1000));
    while (state.meetings.some((m) => m.id === id));
    return id;
  }

  function newPassword(): string {
    const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    let out = '';
    for (let i = 0; i < 6; i++) out += alphabet[randomInt(alphabet.length)];
    return out;
  }

  async function api(request: Request, path: string): Promise<{ response: Response; userId?: string; body?: unknown }> {
    const method = request.method;
    const ctx = authenticate(request);
    const userId = ctx.user.id;
    const userMatch = /^\/v2\/users\/([^/]+)$/.exec(path);
    const userMeetingsMatch = /^\/v2\/users\/([^/]+)\/meetings$/.exec(path);
    const meetingMatch = /^\/v2\/meetings\/([^/]+)$/.exec(path);

    if (userMatch && method === 'GET') {
      requireScope(ctx, SCOPES.readUser);
      resolveUser(ctx, userMatch[1]!);
      const u = ctx.user;
      return {
        userId,
        response: jsonResponse(
          {
            id: u.id,
            first_name: u.firstName,
            last_name: u.lastName,
            display_name: `${u.firstName} ${u.lastName}`,
            email: u.email,
            type: u.type,
            role_name: 'Member',
            pmi: u.pmi,
            use_pmi: false,
            personal_meeting_url: `${origin(request)}/j/${u.pmi}`,
            timezone: u.timezone,
            verified: 1,
            dept: '',
            created_at: '2024-04-01T09:00:00Z',
            user_created_at: '2024-04-01T09:00:00Z',
            last_login_time: isoSeconds(now()),
            pic_url: '',
            language: u.language,
            phone_number: '',
            status: 'active',
            role_id: '2',
            account_id: u.accountId,
            account_number: 1234567890n,
            cluster: 'us05',
            login_types: [100],
            user_created_type: 0,
          },
          200,
          { 'x-zm-trackingid': trackingId(), ...rateHeaders('Light') },
        ),
      };
    }

    if (userMeetingsMatch) {
      resolveUser(ctx, userMeetingsMatch[1]!);
      if (method === 'POST') {
        requireScope(ctx, SCOPES.createMeeting);
        const { fields, raw } = await readMeetingBody(request, ctx.user);
        const headers = takeDailyBudget(ctx.user, 'Medium');
        const meeting: EmulatorMeeting = {
          id: newMeetingId(),
          uuid: randomBytes(16).toString('base64'),
          hostId: ctx.user.id,
          topic: fields.topic ?? 'Zoom meeting',
          type: fields.type ?? 2,
          startTime: fields.startTime ?? isoSeconds(now()),
          duration: fields.duration ?? 60,
          timezone: fields.timezone ?? ctx.user.timezone,
          agenda: fields.agenda ?? '',
          password: fields.password ?? newPassword(),
          createdAt: isoSeconds(now()),
          settings: {
            host_video: false,
            participant_video: false,
            join_before_host: false,
            mute_upon_entry: false,
            waiting_room: true,
            approval_type: 2,
            audio: 'both',
            auto_recording: 'none',
            ...(fields.settings ?? {}),
          },
          deletedAt: null,
          status: 'waiting',
        };
        state.meetings.push(meeting);
        return { userId, body: raw, response: jsonResponse(meetingJson(meeting, request, ctx.user), 201, { 'x-zm-trackingid': trackingId(), ...headers }) };
      }
      if (method === 'GET') {
        requireScope(ctx, SCOPES.listMeetings);
        const url = new URL(request.url);
        const pageSize = Math.min(300, Math.max(1, Number(url.searchParams.get('page_size') ?? 30) || 30));
        const offset = Number(Buffer.from(url.searchParams.get('next_page_token') ?? '', 'base64url').toString() || 0) || 0;
        const type = url.searchParams.get('type') ?? 'scheduled';
        // from/to (yyyy-mm-dd, inclusive) are dates in `timezone` (default: the user's zone).
        const zone = url.searchParams.get('timezone') ?? ctx.user.timezone;
        const from = url.searchParams.get('from');
        const to = url.searchParams.get('to');
        const datePattern = /^\d{4}-\d{2}-\d{2}$/;
        if ((from !== null && !datePattern.test(from)) || (to !== null && !datePattern.test(to)) || !isValidTimeZone(zone)) {
          throw new HttpError(apiError(400, 300, 'Invalid parameter: from, to or timezone.'));
        }
        const localDate = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
        const all = state.meetings
          .filter((m) => m.hostId === ctx.user.id && m.deletedAt === null)
          .filter((m) => (type === 'upcoming' || type === 'upcoming_meetings' ? Date.parse(m.startTime) + m.duration * 60_000 > now() || m.status === 'started' : true))
          .filter((m) => (type === 'live' ? m.status === 'started' : true))
          .filter((m) => (type === 'previous_meetings' ? m.status === 'ended' || Date.parse(m.startTime) + m.duration * 60_000 <= now() : true))
          .filter((m) => (from === null || localDate(m.startTime) >= from) && (to === null || localDate(m.startTime) <= to))
          .sort((a, b) => a.startTime.localeCompare(b.startTime));
        const page = all.slice(offset, offset + pageSize);
        const next = offset + pageSize < all.length ? Buffer.from(String(offset + pageSize)).toString('base64url') : '';
        return {
          userId,
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
                ...(state.config.listIncludesAgenda ? { agenda: m.agenda.slice(0, 250) } : {}),
                created_at: m.createdAt,
                join_url: meetingJson(m, request, ctx.user).join_url,
              })),
            },
            200,
            { 'x-zm-trackingid': trackingId(), ...rateHeaders('Medium') },
          ),
        };
      }
    }

    if (meetingMatch) {
      const rawId = meetingMatch[1]!;
      if (method === 'GET') {
        requireScope(ctx, SCOPES.readMeeting);
        const meeting = findMeeting(ctx, rawId, 'read');
        return { userId, response: jsonResponse(meetingJson(meeting, request, ctx.user), 200, { 'x-zm-trackingid': trackingId(), ...rateHeaders('Light') }) };
      }
      if (method === 'PATCH') {
        requireScope(ctx, SCOPES.updateMeeting);
        const meeting = findMeeting(ctx, rawId, 'write');
        const { fields, raw } = await readMeetingBody(request, ctx.user, meeting);
        if (meeting.status === 'started') throw new HttpError(apiError(400, 3000, 'You cannot update or delete meetings that have started using this method.'));
        const headers = takeDailyBudget(ctx.user, 'Light');
        Object.assign(meeting, fields);
        return { userId, body: raw, response: new Response(null, { status: 204, headers: { 'x-zm-trackingid': trackingId(), ...headers } }) };
      }
      if (method === 'DELETE') {
        requireScope(ctx, SCOPES.deleteMeeting);
        const meeting = findMeeting(ctx, rawId, 'write');
        if (meeting.status === 'started') throw new HttpError(apiError(400, 3002, 'Sorry, you cannot delete this meeting since it is in progress.'));
        if (meeting.status === 'ended') throw new HttpError(apiError(400, 3007, 'Sorry, you cannot delete this meeting since it has ended.'));
        const headers = state.config.dailyLimitCountsDeletes ? takeDailyBudget(ctx.user, 'Light') : rateHeaders('Light');
        meeting.deletedAt = now();
        return { userId, response: new Response(null, { status: 204, headers: { 'x-zm-trackingid': trackingId(), ...headers } }) };
      }
    }

    return { userId, response: apiError(404, 404, 'Not Found') };
  }

  // ---------------------------------------------------------------- webhooks

  async function deliverWebhook(
    event: string,
    payloadIn: Record<string, unknown> = {},
    deliveryOptions: { target?: string; timestampSeconds?: number } = {},
  ): Promise<WebhookResult> {
    const target = deliveryOptions.target ?? options.webhookTargetUrl;
    if (!target) throw new Error('No webhook target URL configured');
    const payload: Record<string, unknown> = { ...payloadIn };
    if (event === 'endpoint.url_validation') {
      payload.plainToken ??= randomBytes(16).toString('base64url');
    }
    if (event === 'app_deauthorized') {
      const user = state.users.find((u) => u.id === payload.user_id) ?? state.users.find((u) => u.email === payload.user_email);
      if (user) {
        payload.user_id = user.id;
        payload.account_id ??= user.accountId;
        // Removing the app kills every token of that user for this app.
        for (const set of state.tokenSets) if (set.userId === user.id && set.clientId === options.clientId) revokeSet(set, 'deauthorized');
      }
      payload.signature ??= randomBytes(32).toString('hex');
      payload.deauthorization_time ??= new Date(now()).toISOString();
      payload.client_id ??= options.clientId;
      delete payload.user_email;
    }
    const eventTs = now();
    const body = stringifyWithInt64({ event, payload, event_ts: eventTs });
    const timestamp = deliveryOptions.timestampSeconds ?? Math.floor(eventTs / 1000);
    const signature = `v0=${createHmac('sha256', options.webhookSecretToken).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const delivery: WebhookResult = {
      at: new Date(now()).toISOString(),
      event,
      url: target,
      status: null,
      responseBody: '',
      body,
      signature,
      timestamp,
    };
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Zoom Marketplace/1.0a',
          'x-zm-request-timestamp': String(timestamp),
          'x-zm-signature': signature,
          'x-zm-trackingid': trackingId(),
          clientid: options.clientId,
        },
        body,
        signal: AbortSignal.timeout(3000),
      });
      delivery.status = response.status;
      delivery.responseBody = await response.text();
      if (event === 'endpoint.url_validation') {
        const expected = createHmac('sha256', options.webhookSecretToken).update(String(payload.plainToken)).digest('hex');
        try {
          const answer = JSON.parse(delivery.responseBody) as { plainToken?: string; encryptedToken?: string };
          delivery.validated = response.status === 200 && answer.plainToken === payload.plainToken && answer.encryptedToken === expected;
        } catch {
          delivery.validated = false;
        }
      }
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    state.events.push({
      at: delivery.at,
      event,
      url: target,
      status: delivery.status,
      responseBody: delivery.responseBody,
      ...(delivery.error ? { error: delivery.error } : {}),
    });
    return delivery;
  }

  // ---------------------------------------------------------------- control API

  function publicState() {
    return {
      users: state.users.map((u) => ({ ...u, pmi: u.pmi.toString() })),
      tokenSets: state.tokenSets,
      accessTokens: state.accessTokens,
      refreshTokens: state.refreshTokens,
      codes: state.codes,
      meetings: state.meetings.map((m) => ({ ...m, id: m.id.toString() })),
      faults: state.faults,
      calls: state.calls,
      events: state.events,
      preApprovalRequests: state.preApprovalRequests,
      dailyCounts: state.dailyCounts,
      stats: state.stats,
      clock: { now: new Date(now()).toISOString(), offsetMs: state.clockOffsetMs },
      config: state.config,
    };
  }

  async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
    const text = await request.text();
    if (!text) return {};
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('body must be a JSON object');
    return parsed as Record<string, unknown>;
  }

  async function control(request: Request, path: string): Promise<Response> {
    const method = request.method;
    let body: Record<string, unknown> = {};
    try {
      if (method !== 'GET') body = await readJsonBody(request);
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : 'bad body' }, { status: 400 });
    }
    if (path === '/__control/state' && method === 'GET') return Response.json(publicState());
    if (path === '/__control/reset' && method === 'POST') {
      state = initialState();
      return Response.json({ ok: true });
    }
    if (path === '/__control/faults' && method === 'POST') {
      if (typeof body.path !== 'string') return Response.json({ error: 'path is required' }, { status: 400 });
      const times = typeof body.times === 'number' && body.times > 0 ? Math.floor(body.times) : 1;
      const fault: Fault = {
        id: state.nextFaultId++,
        method: typeof body.method === 'string' ? body.method.toUpperCase() : '*',
        path: body.path,
        status: typeof body.status === 'number' ? body.status : undefined,
        times,
        remaining: times,
        headers: typeof body.headers === 'object' && body.headers !== null ? (body.headers as Record<string, string>) : undefined,
        body: body.body,
        delayMs: typeof body.delayMs === 'number' ? body.delayMs : undefined,
      };
      state.faults.push(fault);
      return Response.json({ ok: true, fault });
    }
    if (path === '/__control/faults' && method === 'DELETE') {
      state.faults = [];
      return Response.json({ ok: true });
    }
    if (path === '/__control/clock' && method === 'POST') {
      if (body.now === null || body.reset === true) state.clockOffsetMs = 0;
      else if (body.now !== undefined) {
        const target = typeof body.now === 'number' ? body.now : Date.parse(String(body.now));
        if (Number.isNaN(target)) return Response.json({ error: 'now must be an ISO date or epoch ms' }, { status: 400 });
        state.clockOffsetMs = target - Date.now();
      }
      if (typeof body.advanceMs === 'number') state.clockOffsetMs += body.advanceMs;
      if (typeof body.advanceSeconds === 'number') state.clockOffsetMs += body.advanceSeconds * 1000;
      return Response.json({ now: new Date(now()).toISOString() });
    }
    if (path === '/__control/webhooks' && method === 'POST') {
      if (typeof body.event !== 'string') return Response.json({ error: 'event is required' }, { status: 400 });
      try {
        const result = await deliverWebhook(body.event, (body.payload as Record<string, unknown> | undefined) ?? {}, {
          target: typeof body.target === 'string' ? body.target : undefined,
          timestampSeconds: typeof body.timestamp === 'number' ? body.timestamp : undefined,
        });
        return Response.json(result);
      } catch (error) {
        return Response.json({ error: error instanceof Error ? error.message : 'delivery failed' }, { status: 400 });
      }
    }
    if (path === '/__control/users' && method === 'POST') {
      if (typeof body.email !== 'string') return Response.json({ error: 'email is required' }, { status: 400 });
      const existing = state.users.find((u) => u.id === body.id || u.email === body.email);
      const user: EmulatorUser = {
        id: typeof body.id === 'string' ? body.id : (existing?.id ?? randomBytes(16).toString('base64url').slice(0, 22)),
        accountId: typeof body.accountId === 'string' ? body.accountId : (existing?.accountId ?? randomBytes(16).toString('base64url').slice(0, 22)),
        email: body.email,
        firstName: typeof body.firstName === 'string' ? body.firstName : (existing?.firstName ?? 'Test'),
        lastName: typeof body.lastName === 'string' ? body.lastName : (existing?.lastName ?? 'User'),
        type: body.type === 1 ? 1 : 2,
        timezone: typeof body.timezone === 'string' ? body.timezone : (existing?.timezone ?? 'UTC'),
        language: typeof body.language === 'string' ? body.language : (existing?.language ?? 'en-US'),
        pmi: existing?.pmi ?? BigInt(randomInt(1_000_000_000, 9_999_999_999)),
        scopes: Array.isArray(body.scopes) ? body.scopes.map(String) : existing?.scopes,
        requiresPreApproval: body.requiresPreApproval === true,
      };
      if (existing) Object.assign(existing, user);
      else state.users.push(user);
      return Response.json({ ...user, pmi: user.pmi.toString() });
    }
    const meetingControl = /^\/__control\/meetings\/(\d+)$/.exec(path);
    if (meetingControl && method === 'POST') {
      const meeting = state.meetings.find((m) => m.id.toString() === meetingControl[1] && m.deletedAt === null);
      if (!meeting) return Response.json({ error: 'meeting not found' }, { status: 404 });
      if (body.status !== 'waiting' && body.status !== 'started' && body.status !== 'ended') {
        return Response.json({ error: 'status must be waiting, started or ended' }, { status: 400 });
      }
      meeting.status = body.status;
      return Response.json({ ...meeting, id: meeting.id.toString() });
    }
    if (path === '/__control/config' && method === 'POST') {
      const config = state.config as Record<keyof EmulatorConfig, unknown>;
      for (const [key, value] of Object.entries(body)) {
        if (key in config && typeof value === typeof config[key as keyof EmulatorConfig]) {
          config[key as keyof EmulatorConfig] = value;
        }
      }
      return Response.json(state.config);
    }
    return Response.json({ error: 'unknown control route' }, { status: 404 });
  }

  // ---------------------------------------------------------------- dispatch

  function takeFault(method: string, path: string): Fault | undefined {
    const fault = state.faults.find((f) => (f.method === '*' || f.method === method) && pathMatches(f.path, path));
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining <= 0) state.faults = state.faults.filter((f) => f !== fault);
    return fault;
  }

  function faultResponse(fault: Fault): Response {
    const headers = new Headers(fault.headers ?? {});
    let text = '';
    if (typeof fault.body === 'string') {
      text = fault.body;
      if (!headers.has('content-type')) headers.set('content-type', 'text/html; charset=utf-8');
    } else if (fault.body !== undefined) {
      text = JSON.stringify(fault.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json;charset=UTF-8');
    }
    return new Response(fault.status === 204 || fault.status === 304 ? null : text, { status: fault.status, headers });
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) return new Response('Not found', { status: 404 });
      path = path.slice(basePath.length) || '/';
    }
    const method = request.method.toUpperCase();
    if (path.startsWith('/__control/')) return control(request, path);

    const fault = takeFault(method, path);
    if (fault) {
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.status !== undefined) {
        record({ method, path, status: fault.status, fault: true });
        return faultResponse(fault);
      }
    }

    if (path === '/oauth/authorize' && (method === 'GET' || method === 'POST')) return authorize(request, url);
    if (path === '/oauth/token' && method === 'POST') return token(request, url);
    if (path === '/oauth/revoke' && method === 'POST') return revoke(request, url);

    const pageMatch = /^\/([js])\/(\d+)$/.exec(path);
    if (pageMatch && method === 'GET') {
      const meeting = state.meetings.find((m) => m.id.toString() === pageMatch[2] && m.deletedAt === null);
      if (!meeting) return errorPage('Meeting not found', 'This meeting ID is not valid.', 404);
      return meetingPage(meeting, pageMatch[1] === 's' ? 'start' : 'join');
    }

    if (path.startsWith('/v2/')) {
      try {
        const { response, userId, body } = await api(request, path);
        record({ method, path, status: response.status, userId, ...(body !== undefined ? { body } : {}) });
        return response;
      } catch (error) {
        if (error instanceof HttpError) {
          record({ method, path, status: error.response.status });
          return error.response;
        }
        throw error;
      }
    }
    return new Response('Not found', { status: 404 });
  }

  return {
    handle,
    get state() {
      return state;
    },
    options,
    reset() {
      state = initialState();
    },
    now,
    deliverWebhook,
  };
}
