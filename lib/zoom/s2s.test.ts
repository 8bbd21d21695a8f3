import type http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveFetchHandler } from '@/lib/emulators/serve';
import { isIntegrationError } from '@/lib/errors';
import { setTestEnv } from '@/lib/oauth/testing';
import { createMeeting, syncMeeting } from './client';
import { passcodeFor, passcodeProblems } from './passcode';
import { checkServerToServerApp, forgetServerToServerTokens, type S2sApp, s2sFailureOf, serverToServerSource } from './s2s';
import { REQUIRED_S2S_SCOPES } from './scopes';
import { createZoomUser, findZoomUser, listZoomUsers, zoomPasscodePolicy } from './users';

/**
 * The Server-to-Server token cache and its 401 handling against a tiny local token server (the
 * wire only: what Zoom's account_credentials grant answers). The emulator's own S2S support is
 * exercised in s2s.int.test.ts.
 */

const ALL_SCOPES = [...REQUIRED_S2S_SCOPES.map((options) => options[0]!), 'user:write:user:admin'];

type Fake = {
  tokenRequests: { authorization: string | null; body: string }[];
  /** Tokens the API accepts. */
  valid: Set<string>;
  /** Answer of the next token requests (default: a token). */
  tokenAnswer: (() => Response) | null;
  scopes: string[];
  expiresIn: number;
  tokenDelayMs: number;
  apiCalls: { path: string; token: string; method: string; body: unknown }[];
  users: { id: string; email: string; first_name: string; last_name: string; type: number; status: string }[];
};

const fake: Fake = { tokenRequests: [], valid: new Set(), tokenAnswer: null, scopes: ALL_SCOPES, expiresIn: 3599, tokenDelayMs: 0, apiCalls: [], users: [] };
let issued = 0;
const APP: S2sApp = { key: 'org-1', accountId: 'acct-1', clientId: 'cid', clientSecret: 'csecret' };

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === '/oauth/token') {
    const body = await request.text();
    fake.tokenRequests.push({ authorization: request.headers.get('authorization'), body });
    if (fake.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, fake.tokenDelayMs));
    if (fake.tokenAnswer) return fake.tokenAnswer();
    const token = `tok-${++issued}`;
    fake.valid.add(token);
    return json({ access_token: token, token_type: 'bearer', expires_in: fake.expiresIn, scope: fake.scopes.join(' '), api_url: url.origin });
  }
  const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
  const text = request.method === 'GET' ? '' : await request.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  fake.apiCalls.push({ path: `${url.pathname}${url.search}`, token, method: request.method, body });
  if (!fake.valid.has(token)) return json({ code: 124, message: 'Invalid access token.' }, 401);
  if (url.pathname === '/v2/users' && request.method === 'GET') {
    if (fake.scopes.length === 0) {
      return json({ code: 4711, message: 'Invalid access token, does not contain scopes:[user:read:list_users:admin, user:read:list_users].' }, 400);
    }
    const size = 2;
    const start = Number(url.searchParams.get('next_page_token') || 0);
    const page = fake.users.slice(start, start + size);
    return json({ page_size: size, total_records: fake.users.length, next_page_token: start + size < fake.users.length ? String(start + size) : '', users: page });
  }
  if (url.pathname === '/v2/users' && request.method === 'POST') {
    const info = (body?.user_info ?? {}) as { email: string; type: number; first_name: string; last_name: string };
    if (fake.users.some((u) => u.email === info.email)) return json({ code: 1005, message: `User already in the account: ${info.email}` }, 409);
    if (info.type !== 1) return json({ code: 200, message: 'No more licenses are available.' }, 400);
    const created = { id: `new-${fake.users.length + 1}`, email: info.email, first_name: info.first_name, last_name: info.last_name, type: info.type, status: 'pending' };
    fake.users.push(created);
    return json({ id: created.id, email: created.email, first_name: created.first_name, last_name: created.last_name, type: created.type }, 201);
  }
  const settings = /^\/v2\/users\/([^/]+)\/settings$/.exec(url.pathname);
  if (settings && url.searchParams.get('option') === 'meeting_security') {
    return json({
      meeting_security: {
        require_password_for_scheduled_meeting: true,
        meeting_password_requirement: { length: 9, have_letter: true, have_number: true, have_special_character: true, only_allow_numeric: false, consecutive_characters_length: 4, have_upper_and_lower_characters: false, weak_enhance_detection: false },
        waiting_room: true,
      },
    });
  }
  const meeting = /^\/v2\/meetings\/(\d+)$/.exec(url.pathname);
  if (meeting && request.method === 'GET') {
    return json({ id: 85012345678, join_url: 'https://zoom.example/j/85012345678', topic: 'Intro', start_time: '2031-01-01T01:00:00Z', duration: 30, timezone: 'Asia/Tokyo', agenda: 'aki:x', settings: { waiting_room: true, auto_recording: 'cloud', host_video: false } });
  }
  if (meeting && request.method === 'PATCH') return new Response(null, { status: 204 });
  const user = /^\/v2\/users\/([^/]+)$/.exec(url.pathname);
  if (user) {
    const id = decodeURIComponent(user[1]!);
    const found = fake.users.find((u) => u.id === id || u.email === id);
    return found ? json(found) : json({ code: 1001, message: `User does not exist: ${id}.` }, 404);
  }
  const meetings = /^\/v2\/users\/([^/]+)\/meetings$/.exec(url.pathname);
  if (meetings && request.method === 'POST') {
    return json({ id: 85012345678, join_url: 'https://zoom.example/j/85012345678', topic: body?.topic, start_time: body?.start_time, duration: body?.duration, settings: body?.settings }, 201);
  }
  return json({ code: 404, message: 'no route' }, 404);
}

let server: http.Server;

beforeAll(async () => {
  server = await serveFetchHandler(handle, 0);
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  setTestEnv({ ZOOM_OAUTH_URL: origin, ZOOM_API_URL: `${origin}/v2`, ZOOM_CLIENT_ID: 'x', ZOOM_CLIENT_SECRET: 'y', AKI_DEMO: '0' });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  forgetServerToServerTokens();
  issued = 0;
  Object.assign(fake, { tokenRequests: [], tokenAnswer: null, scopes: ALL_SCOPES, expiresIn: 3599, tokenDelayMs: 0, apiCalls: [] });
  fake.valid.clear();
  fake.users = [
    { id: 'u1', email: 'ana@example.com', first_name: 'Ana', last_name: 'Ito', type: 2, status: 'active' },
    { id: 'u2', email: 'ben@example.com', first_name: 'Ben', last_name: 'Ono', type: 1, status: 'active' },
    { id: 'u3', email: 'cai@example.com', first_name: 'Cai', last_name: 'Abe', type: 2, status: 'active' },
  ];
});

const meetingInput = () => ({ topic: 'Intro', start: new Date('2031-01-01T01:00:00Z'), durationMinutes: 30, timeZone: 'Asia/Tokyo', agenda: 'aki:x' });

describe('serverToServerSource', () => {
  it('asks with Basic auth and the account_credentials grant; names the Zoom user and the account', async () => {
    const source = serverToServerSource(APP, 'u1');
    expect(source).toMatchObject({ kind: 'server_to_server', hostKey: 's2s:org-1', accountKey: 'org-1', zoomUser: 'u1' });
    expect(await source.accessToken()).toBe('tok-1');
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.tokenRequests[0]!.authorization).toBe(`Basic ${Buffer.from('cid:csecret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(fake.tokenRequests[0]!.body))).toEqual({ grant_type: 'account_credentials', account_id: 'acct-1' });
    await createMeeting(source, meetingInput());
    expect(fake.apiCalls.at(-1)!.path).toBe('/v2/users/u1/meetings');
  });

  it('concurrent bookings of several members share one token request; the token is cached until ~60 s before expiry', async () => {
    fake.tokenDelayMs = 50;
    const results = await Promise.all(['u1', 'u2', 'u3', 'u1', 'u2'].map((user) => createMeeting(serverToServerSource(APP, user), meetingInput())));
    expect(results).toHaveLength(5);
    expect(fake.tokenRequests).toHaveLength(1);
    expect(new Set(fake.apiCalls.map((c) => c.token))).toEqual(new Set(['tok-1']));
    expect(await serverToServerSource(APP, 'u3').accessToken()).toBe('tok-1');
    // Another app (organisation) has its own token.
    expect(await serverToServerSource({ ...APP, key: 'org-2' }, 'u1').accessToken()).toBe('tok-2');
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('refreshes a token that is within 60 s of its expiry', async () => {
    fake.expiresIn = 3599;
    const realNow = Date.now;
    try {
      expect(await serverToServerSource(APP, 'u1').accessToken()).toBe('tok-1');
      const base = realNow();
      Date.now = () => base + 3_530_000; // 69 s left: still good
      expect(await serverToServerSource(APP, 'u1').accessToken()).toBe('tok-1');
      Date.now = () => base + 3_545_000; // 54 s left: a new one
      const [a, b] = await Promise.all([serverToServerSource(APP, 'u1').accessToken(), serverToServerSource(APP, 'u2').accessToken()]);
      expect([a, b]).toEqual(['tok-2', 'tok-2']);
      expect(fake.tokenRequests).toHaveLength(2);
    } finally {
      Date.now = realNow;
    }
  });

  it('401 → one fresh token (one request for all callers) and one retry', async () => {
    const source = serverToServerSource(APP, 'u1');
    await source.accessToken();
    fake.valid.delete('tok-1'); // Zoom stopped accepting it before its expiry
    const made = await Promise.all([1, 2, 3].map(() => createMeeting(serverToServerSource(APP, 'u2'), meetingInput())));
    expect(made).toHaveLength(3);
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.apiCalls.filter((c) => c.token === 'tok-2')).toHaveLength(3);
    expect(await source.accessToken()).toBe('tok-2');
  });

  it('a fresh token refused too: a clear error (the app, not a retry loop)', async () => {
    const source = serverToServerSource(APP, 'u1');
    await source.accessToken();
    fake.valid.clear();
    const original = fake.valid.add.bind(fake.valid);
    fake.valid.add = () => fake.valid; // every new token is refused as well
    try {
      const error = await createMeeting(source, meetingInput()).catch((e: unknown) => e);
      expect(isIntegrationError(error, 'revoked')).toBe(true);
      expect(s2sFailureOf(error)).toBe('app_deactivated');
      expect(String((error as Error).message)).toMatch(/Server-to-Server app/);
      expect(fake.tokenRequests).toHaveLength(2);
      expect(fake.apiCalls.filter((c) => c.path.endsWith('/meetings'))).toHaveLength(2);
    } finally {
      fake.valid.add = original;
    }
  });

  it('token refusals become errors an admin can act on, without the secret; a failed request is not cached', async () => {
    const cases: [Response, string][] = [
      [json({ reason: 'Invalid client_id or client_secret', error: 'invalid_client' }, 400), 'invalid_client'],
      [json({ reason: 'The app has been deactivated', error: 'invalid_client' }, 400), 'app_deactivated'],
      [json({ reason: 'Invalid account_id', error: 'invalid_request' }, 400), 'invalid_account'],
      [new Response('slow down', { status: 429, headers: { 'retry-after': '3' } }), 'rate_limited'],
      [new Response('<html>oops</html>', { status: 503 }), 'unreachable'],
    ];
    for (const [answer, expected] of cases) {
      fake.tokenAnswer = () => answer.clone();
      const error = await serverToServerSource(APP, 'u1')
        .accessToken()
        .catch((e: unknown) => e);
      expect(s2sFailureOf(error), expected).toBe(expected);
      expect(String((error as Error).message)).not.toContain('csecret');
    }
    fake.tokenAnswer = null;
    expect(await serverToServerSource(APP, 'u1').accessToken()).toMatch(/^tok-/);
  });

  it('an unreachable token endpoint is unavailable (retry later)', async () => {
    setTestEnv({ ZOOM_OAUTH_URL: 'http://127.0.0.1:9' });
    try {
      const error = await serverToServerSource(APP, 'u1')
        .accessToken()
        .catch((e: unknown) => e);
      expect(isIntegrationError(error, 'unavailable')).toBe(true);
      expect(s2sFailureOf(error)).toBe('unreachable');
    } finally {
      const address = server.address();
      setTestEnv({ ZOOM_OAUTH_URL: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    }
  });
});

describe('account users', () => {
  it('lists every page and finds by id or email (null when Zoom has no such user)', async () => {
    const source = serverToServerSource(APP, 'u1');
    const all = await listZoomUsers(source);
    expect(all.map((u) => u.email)).toEqual(['ana@example.com', 'ben@example.com', 'cai@example.com']);
    expect(fake.apiCalls.filter((c) => c.path.startsWith('/v2/users?'))).toHaveLength(2);
    expect(fake.apiCalls[0]!.path).toContain('status=active');
    expect(fake.apiCalls[0]!.path).toContain('page_size=300');
    expect(await findZoomUser(source, 'ben@example.com')).toMatchObject({ id: 'u2', firstName: 'Ben', type: 1, status: 'active' });
    expect(await findZoomUser(source, 'nobody@example.com')).toBeNull();
    await expect(findZoomUser(source, 'me')).rejects.toThrow(/never "me"/);
  });
});

describe('checkServerToServerApp', () => {
  it('ok: the scopes, the users, and whether users may be created — with a fresh token, not the cached one', async () => {
    await serverToServerSource(APP, 'u1').accessToken();
    const check = await checkServerToServerApp(APP);
    expect(check).toMatchObject({ ok: true, canCreateUsers: true });
    if (!check.ok) throw new Error('unreachable');
    expect(check.users.map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('classic admin scopes pass; without user:write users cannot be created, which is not a failure', async () => {
    fake.scopes = ['meeting:write:admin', 'meeting:read:admin', 'user:read:admin', 'recording:read:admin'];
    expect(await checkServerToServerApp(APP)).toMatchObject({ ok: true, canCreateUsers: false });
  });

  it('names every missing scope', async () => {
    fake.scopes = ALL_SCOPES.filter((s) => s !== 'user:read:list_users:admin' && s !== 'meeting:delete:meeting:admin');
    expect(await checkServerToServerApp(APP)).toEqual({
      ok: false,
      reason: 'missing_scope',
      missingScopes: ['meeting:delete:meeting:admin', 'user:read:list_users:admin'],
      detail: expect.any(String),
    });
  });

  it('a token that lists no scopes: the users call is the check, and names the admin scope Zoom wants', async () => {
    fake.scopes = [];
    expect(await checkServerToServerApp(APP)).toMatchObject({ ok: false, reason: 'missing_scope', missingScopes: ['user:read:list_users:admin'] });
  });

  it('explains token refusals and a refused token, never throwing', async () => {
    fake.tokenAnswer = () => json({ reason: 'Invalid client_id or client_secret', error: 'invalid_client' }, 400);
    expect(await checkServerToServerApp(APP)).toMatchObject({ ok: false, reason: 'invalid_client' });
    fake.tokenAnswer = () => json({ reason: 'The app has been deactivated', error: 'invalid_client' }, 400);
    expect(await checkServerToServerApp(APP)).toMatchObject({ ok: false, reason: 'app_deactivated' });
    fake.tokenAnswer = () => new Response('<html>Not Found</html>', { status: 404 });
    expect(await checkServerToServerApp(APP)).toMatchObject({ ok: false, reason: 'unexpected_response' });
    fake.tokenAnswer = () => new Response('{}', { status: 200 });
    expect(await checkServerToServerApp(APP)).toMatchObject({ ok: false, reason: 'unexpected_response' });
    fake.tokenAnswer = null;
    const original = fake.valid.add.bind(fake.valid);
    fake.valid.add = () => fake.valid;
    try {
      expect(await checkServerToServerApp(APP)).toMatchObject({ ok: false, reason: 'app_deactivated' });
    } finally {
      fake.valid.add = original;
    }
  });
});

describe('creating users and the passcode policy', () => {
  it('creates a Basic user; Zoom\'s refusals keep Zoom\'s words', async () => {
    const source = serverToServerSource(APP, 'u1');
    const created = await createZoomUser(source, { email: 'dai@example.com', firstName: 'Dai' });
    expect(created).toMatchObject({ email: 'dai@example.com', firstName: 'Dai', lastName: '', type: 1, status: 'pending' });
    expect(fake.apiCalls.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v2/users',
      body: { action: 'create', user_info: { email: 'dai@example.com', type: 1, first_name: 'Dai', last_name: '' } },
    });
    const exists = await createZoomUser(source, { email: 'ana@example.com', firstName: 'Ana' }).catch((e: unknown) => e);
    expect(exists).toMatchObject({ reason: 'invalid_request', providerCode: 1005, providerMessage: 'User already in the account: ana@example.com' });
    const licence = await createZoomUser(source, { email: 'eri@example.com', firstName: 'Eri', type: 2 }).catch((e: unknown) => e);
    expect(licence).toMatchObject({ reason: 'invalid_request', providerCode: 200, providerMessage: 'No more licenses are available.' });
  });

  it('reads the passcode policy; a generated passcode meets it', async () => {
    const policy = await zoomPasscodePolicy(serverToServerSource(APP, 'u1'), 'u1');
    expect(policy).toEqual({
      required: true,
      length: 9,
      haveLetter: true,
      haveNumber: true,
      haveSpecialCharacter: true,
      onlyNumeric: false,
      consecutiveCharactersLength: 4,
      haveUpperAndLower: false,
    });
    expect(fake.apiCalls.at(-1)!.path).toBe('/v2/users/u1/settings?option=meeting_security');
    expect(passcodeProblems(policy, passcodeFor(policy))).toEqual([]);
  });
});

describe('meeting settings', () => {
  it('are sent at create with the passcode (registration kept), read back, and never PATCHed by a reschedule', async () => {
    const source = serverToServerSource(APP, 'u1');
    const made = await createMeeting(source, {
      ...meetingInput(),
      registration: true,
      password: 'aB3*xk9Q',
      settings: { waitingRoom: true, joinBeforeHost: false, muteUponEntry: true, hostVideo: false, participantVideo: true, autoRecording: 'cloud' },
    });
    expect(fake.apiCalls.at(-1)!.body).toMatchObject({
      password: 'aB3*xk9Q',
      settings: { approval_type: 0, waiting_room: true, join_before_host: false, mute_upon_entry: true, host_video: false, participant_video: true, auto_recording: 'cloud' },
    });
    expect(made.settings).toEqual({ waitingRoom: true, joinBeforeHost: false, muteUponEntry: true, hostVideo: false, participantVideo: true, autoRecording: 'cloud' });
    // Without settings nothing is sent under settings.
    await createMeeting(source, meetingInput());
    expect(fake.apiCalls.at(-1)!.body).not.toHaveProperty('settings');
    expect(fake.apiCalls.at(-1)!.body).not.toHaveProperty('password');

    const moved = await syncMeeting(source, made.id, { ...meetingInput(), start: new Date('2031-01-02T01:00:00Z'), settings: { waitingRoom: false }, password: 'zz9*Yx8W' });
    expect(moved.patched).toEqual(['start_time']);
    expect(fake.apiCalls.at(-1)).toMatchObject({ method: 'PATCH', body: { start_time: '2031-01-02T01:00:00Z' } });
    expect(fake.apiCalls.at(-1)!.body).not.toHaveProperty('settings');
    expect(moved.meeting.settings).toEqual({ waitingRoom: true, hostVideo: false, autoRecording: 'cloud' });
  });
});
