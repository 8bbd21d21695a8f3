import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveFetchHandler } from '../serve';
import type { ZoomEmulator } from './emulator';
import { DEMO_ACCOUNT_ID, DEMO_S2S_CLIENT_ID, DEMO_S2S_CLIENT_SECRET, S2S_ADMIN_SCOPES } from './state';
import { startZoomEmulator } from './testing';

/**
 * Organisations' Zoom accounts over real HTTP (issue 12): the account_credentials grant of a
 * Server-to-Server app, account tokens acting for every user of the account, the users API, meeting
 * security settings and the passcode policy, meeting settings, account-level rate limits, control routes.
 */

let emulator: ZoomEmulator;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ emulator, url, close } = await startZoomEmulator());
});
afterAll(async () => {
  await close();
});
beforeEach(() => {
  emulator.reset();
});

const DEMO_USER = 'dEm0UsErAkiDemoHst0001';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function s2sToken(
  params: Record<string, string> = { grant_type: 'account_credentials', account_id: DEMO_ACCOUNT_ID },
  auth = basic(DEMO_S2S_CLIENT_ID, DEMO_S2S_CLIENT_SECRET),
  where: 'form' | 'query' = 'form',
): Promise<{ status: number; json: Record<string, unknown> }> {
  const query = where === 'query' ? `?${new URLSearchParams(params)}` : '';
  const response = await fetch(`${url}/oauth/token${query}`, {
    method: 'POST',
    headers: { authorization: auth, ...(where === 'form' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(where === 'form' ? { body: new URLSearchParams(params).toString() } : {}),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function accessToken(): Promise<string> {
  const { status, json } = await s2sToken();
  expect(status).toBe(200);
  return String(json.access_token);
}

async function api(token: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${url}/v2${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

async function control(path: string, body: unknown) {
  const response = await fetch(`${url}/__control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const MEETING = { topic: 'Intro', type: 2, start_time: '2031-05-01T01:00:00Z', duration: 30, timezone: 'Asia/Tokyo' };

describe('account_credentials grant', () => {
  it('issues one-hour bearer tokens with the app scopes and no refresh token; several stay valid; query parameters work too', async () => {
    const first = await s2sToken();
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      access_token: expect.stringMatching(/^eyJ/),
      token_type: 'bearer',
      expires_in: 3599,
      scope: S2S_ADMIN_SCOPES.join(' '),
      api_url: 'https://api.zoom.us',
    });
    expect(first.json).not.toHaveProperty('refresh_token');
    const second = await s2sToken({ grant_type: 'account_credentials', account_id: DEMO_ACCOUNT_ID }, undefined, 'query');
    expect(second.status).toBe(200);
    expect(second.json.access_token).not.toBe(first.json.access_token);
    for (const token of [first.json.access_token, second.json.access_token]) {
      expect((await api(String(token), `/users/${DEMO_USER}`)).status).toBe(200);
    }
  });

  it("answers Zoom's {reason, error} 400s: wrong client or secret, missing or foreign account id, deactivated app", async () => {
    const wrongSecret = await s2sToken(undefined, basic(DEMO_S2S_CLIENT_ID, 'nope'));
    expect(wrongSecret).toEqual({ status: 400, json: { reason: 'Invalid client_id or client_secret', error: 'invalid_client' } });
    const unknownClient = await s2sToken(undefined, basic('who', DEMO_S2S_CLIENT_SECRET));
    expect(unknownClient.json).toEqual({ reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    // The user-level OAuth app's credentials are not an S2S app.
    expect((await s2sToken(undefined, basic('test-client-id', 'test-client-secret'))).json.error).toBe('invalid_client');
    expect((await s2sToken({ grant_type: 'account_credentials' })).json).toEqual({ reason: 'Missing account_id', error: 'invalid_request' });
    await control('accounts', { id: 'other-account', s2sApps: [{ clientId: 'other-s2s', clientSecret: 'other-secret' }] });
    const foreign = await s2sToken({ grant_type: 'account_credentials', account_id: 'other-account' });
    expect(foreign).toEqual({ status: 400, json: { reason: 'Invalid account_id', error: 'invalid_request' } });

    await control(`accounts/${DEMO_ACCOUNT_ID}/apps/${DEMO_S2S_CLIENT_ID}`, { activated: false });
    expect(await s2sToken()).toEqual({ status: 400, json: { reason: 'The app has been deactivated', error: 'invalid_client' } });
  });

  it("kills the app's tokens when it is deactivated (401 code 124) and takes them back when it is activated again", async () => {
    const token = await accessToken();
    expect((await api(token, `/users/${DEMO_USER}`)).status).toBe(200);
    await control(`accounts/${DEMO_ACCOUNT_ID}/apps/${DEMO_S2S_CLIENT_ID}`, { activated: false });
    const dead = await api(token, `/users/${DEMO_USER}`);
    expect(dead.status).toBe(401);
    expect(dead.json).toEqual({ code: 124, message: 'Invalid access token.' });
    await control(`accounts/${DEMO_ACCOUNT_ID}/apps/${DEMO_S2S_CLIENT_ID}`, { activated: true });
    expect((await api(token, `/users/${DEMO_USER}`)).status).toBe(200);
  });

  it('expires tokens after their hour (401 code 124)', async () => {
    const token = await accessToken();
    await control('clock', { advanceSeconds: 3600 });
    const expired = await api(token, `/users/${DEMO_USER}`);
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ code: 124, message: 'Access token is expired.' });
  });
});

describe('account tokens act for every user of the account', () => {
  it('creates a meeting for a user by id or email, owned by that user; refuses me and other accounts’ users', async () => {
    const token = await accessToken();
    const created = await api(token, `/users/${encodeURIComponent('demo@example.com')}/meetings`, { method: 'POST', body: MEETING });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ host_id: DEMO_USER, host_email: 'demo@example.com', topic: 'Intro' });
    const id = /"id":(\d+)/.exec(created.text)![1]!;
    const stored = emulator.state.meetings.find((m) => m.id.toString() === id)!;
    expect(stored.hostId).toBe(DEMO_USER);
    expect(emulator.state.users.find((u) => u.id === stored.hostId)).toMatchObject({ email: 'demo@example.com', accountId: DEMO_ACCOUNT_ID });

    const byId = await api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: MEETING });
    expect(byId.status).toBe(201);
    const list = await api(token, `/users/${DEMO_USER}/meetings?type=scheduled`);
    expect(list.json.total_records).toBe(2);

    const me = await api(token, '/users/me/meetings', { method: 'POST', body: MEETING });
    expect(me.status).toBe(404);
    expect(me.json).toEqual({ code: 1001, message: 'User does not exist: me.' });
    const outsider = await api(token, '/users/KdYKjnimT4KPd8FFgQt9FQ/meetings', { method: 'POST', body: MEETING });
    expect(outsider.status).toBe(404);
    expect(outsider.json).toEqual({ code: 1001, message: 'User does not exist: KdYKjnimT4KPd8FFgQt9FQ.' });
    expect(emulator.state.meetings).toHaveLength(2);
  });

  it("reads, updates and deletes its users' meetings; another account's meeting is 404/3001", async () => {
    const token = await accessToken();
    const id = /"id":(\d+)/.exec((await api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: MEETING })).text)![1]!;
    expect((await api(token, `/meetings/${id}`)).status).toBe(200);
    expect((await api(token, `/meetings/${id}`, { method: 'PATCH', body: { duration: 45 } })).status).toBe(204);
    expect((await api(token, `/meetings/${id}`)).json.duration).toBe(45);

    // A personal (user-level) token of another account's user cannot see it, and its meeting is hidden from the account token.
    const personal = emulator.issueTokenSet('KdYKjnimT4KPd8FFgQt9FQ').access_token;
    expect((await api(personal, `/meetings/${id}`)).status).toBe(404);
    const theirs = /"id":(\d+)/.exec((await api(personal, '/users/me/meetings', { method: 'POST', body: MEETING })).text)![1]!;
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const answer = await api(token, `/meetings/${theirs}`, { method, ...(method === 'PATCH' ? { body: { duration: 10 } } : {}) });
      expect(answer.status).toBe(404);
      expect(answer.json.code).toBe(3001);
    }
    expect((await api(token, `/meetings/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('checks admin scopes (granular :admin names or classic admin names); plain user scopes are not enough', async () => {
    await control('accounts', {
      id: 'classic-account',
      s2sApps: [
        { clientId: 'classic', clientSecret: 's', scopes: ['meeting:write:admin', 'meeting:read:admin', 'user:read:admin'] },
        { clientId: 'plain', clientSecret: 's', scopes: ['meeting:write:meeting', 'user:read:user'] },
      ],
    });
    await control('users', { id: 'ClassicUser00000000001', email: 'c@example.com', accountId: 'classic-account' });
    const token = async (clientId: string) =>
      String((await s2sToken({ grant_type: 'account_credentials', account_id: 'classic-account' }, basic(clientId, 's'))).json.access_token);
    const classic = await token('classic');
    expect((await api(classic, '/users/c@example.com/meetings', { method: 'POST', body: MEETING })).status).toBe(201);
    expect((await api(classic, '/users?status=active')).status).toBe(200);
    const plain = await token('plain');
    const denied = await api(plain, '/users/c@example.com/meetings', { method: 'POST', body: MEETING });
    expect(denied.status).toBe(400);
    expect(denied.json).toEqual({ code: 4711, message: 'Invalid access token, does not contain scopes:[meeting:write:meeting:admin, meeting:write:meeting].' });
    // Creating users needs user:write:user:admin, which the classic app does not have.
    const create = await api(classic, '/users', { method: 'POST', body: { action: 'create', user_info: { email: 'n@example.com', type: 1 } } });
    expect(create.status).toBe(400);
    expect(create.json.code).toBe(4711);
  });

  it('refuses to schedule for pending or deactivated users (3161)', async () => {
    const token = await accessToken();
    await control('users', { id: 'PendingUser00000000001', email: 'p@example.com', accountId: DEMO_ACCOUNT_ID, status: 'pending' });
    const answer = await api(token, '/users/p@example.com/meetings', { method: 'POST', body: MEETING });
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe(3161);
  });
});

describe('users API', () => {
  it('lists the active users of the account, paged, with next_page_token', async () => {
    const token = await accessToken();
    const first = await api(token, '/users?status=active&page_size=2');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ page_count: 2, page_number: 1, page_size: 2, total_records: 3 });
    const users = first.json.users as Record<string, unknown>[];
    expect(users[0]).toMatchObject({
      id: DEMO_USER,
      first_name: 'Demo',
      last_name: 'Host',
      display_name: 'Demo Host',
      email: 'demo@example.com',
      type: 2,
      status: 'active',
      timezone: 'Asia/Tokyo',
    });
    const second = await api(token, `/users?status=active&page_size=2&next_page_token=${first.json.next_page_token}`);
    expect(second.json).toMatchObject({ page_number: 2, next_page_token: '' });
    expect((second.json.users as { type: number; email: string }[]).map((u) => [u.email, u.type])).toEqual([['taro.yamada@example.com', 1]]);
    // Only this account's users; pending ones on request.
    expect(JSON.stringify([...users, ...(second.json.users as unknown[])])).not.toContain('zoom-demo.example');
    await control('users', { email: 'invited@example.com', accountId: DEMO_ACCOUNT_ID, status: 'pending' });
    expect(((await api(token, '/users?status=pending')).json.users as { email: string }[]).map((u) => u.email)).toEqual(['invited@example.com']);
    expect((await api(token, '/users?status=whatever')).status).toBe(400);
  });

  it('gets a user by id or email (404/1001 otherwise)', async () => {
    const token = await accessToken();
    expect((await api(token, '/users/hana.suzuki@example.com')).json).toMatchObject({ email: 'hana.suzuki@example.com', type: 2, account_id: DEMO_ACCOUNT_ID });
    const missing = await api(token, '/users/nobody@example.com');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ code: 1001, message: 'User does not exist: nobody@example.com.' });
  });

  it('creates users: 201, pending for create, 409/1005 for an existing email, 400 when no licence is left; Basic always works', async () => {
    const token = await accessToken();
    const created = await api(token, '/users', { method: 'POST', body: { action: 'create', user_info: { email: 'new@example.com', type: 1, first_name: 'New', last_name: 'Person' } } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.stringMatching(/^[\w-]{22}$/), first_name: 'New', last_name: 'Person', email: 'new@example.com', type: 1 });
    expect((await api(token, `/users/${created.json.id}`)).json).toMatchObject({ status: 'pending', account_id: DEMO_ACCOUNT_ID });
    const auto = await api(token, '/users', { method: 'POST', body: { action: 'custCreate', user_info: { email: 'auto@example.com', type: 2 } } });
    expect(auto.status).toBe(201);
    expect((await api(token, `/users/${auto.json.id}`)).json.status).toBe('active');

    const again = await api(token, '/users', { method: 'POST', body: { action: 'create', user_info: { email: 'DEMO@example.com', type: 1 } } });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ code: 1005, message: 'User already in the account: DEMO@example.com' });

    await control('accounts', { id: DEMO_ACCOUNT_ID, licenses: 3 }); // demo, hana, auto hold all three
    const licensed = await api(token, '/users', { method: 'POST', body: { action: 'create', user_info: { email: 'lic@example.com', type: 2 } } });
    expect(licensed.status).toBe(400);
    expect(licensed.json).toMatchObject({ code: 200, message: expect.stringContaining('No more licenses') });
    const basicUser = await api(token, '/users', { method: 'POST', body: { action: 'create', user_info: { email: 'lic@example.com', type: 1 } } });
    expect(basicUser.status).toBe(201);

    const invalid = await api(token, '/users', { method: 'POST', body: { action: 'delete', user_info: { email: 'x', type: 3 } } });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ code: 300, errors: [{ field: 'action' }, { field: 'user_info.email' }, { field: 'user_info.type' }] });
  });

  it('answers meeting security settings, changed through control', async () => {
    const token = await accessToken();
    const defaults = await api(token, `/users/${DEMO_USER}/settings?option=meeting_security`);
    expect(defaults.status).toBe(200);
    expect(defaults.json).toEqual({
      meeting_security: expect.objectContaining({
        require_password_for_scheduled_meeting: true,
        waiting_room: true,
        embed_password_in_join_link: true,
        meeting_password_requirement: expect.objectContaining({ length: 6, have_letter: false, only_allow_numeric: false, consecutive_characters_length: 0 }),
      }),
    });
    const changed = await control('users/demo@example.com/settings', {
      meeting_security: { waiting_room: false, meeting_password_requirement: { length: 8, have_number: true, consecutive_characters_length: 4 } },
    });
    expect(changed.status).toBe(200);
    const after = await api(token, `/users/${DEMO_USER}/settings?option=meeting_security`);
    expect(after.json.meeting_security).toMatchObject({ waiting_room: false, meeting_password_requirement: { length: 8, have_number: true, have_letter: false, consecutive_characters_length: 4 } });
    expect((await api(token, `/users/${DEMO_USER}/settings`)).json).toMatchObject({ in_meeting: { waiting_room: false }, meeting_security: { waiting_room: false } });
    expect((await control('users/demo@example.com/settings', { meeting_security: { meeting_password_requirement: { length: 20 } } })).status).toBe(400);
  });
});

describe('meeting passcodes and settings', () => {
  it('refuses a passcode that breaks the host policy (300 "Invalid field." naming password) and generates one that follows it', async () => {
    const token = await accessToken();
    await control(`users/${DEMO_USER}/settings`, {
      meeting_security: { meeting_password_requirement: { length: 8, have_letter: true, have_number: true, have_special_character: true, consecutive_characters_length: 4 } },
    });
    const create = (body: Record<string, unknown>) => api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: { ...MEETING, ...body } });
    const short = await create({ password: 'a1@b' });
    expect(short.status).toBe(400);
    expect(short.json).toMatchObject({ code: 300, message: 'Invalid field.', errors: [{ field: 'password', message: expect.stringContaining('at least 8') }] });
    const run = await create({ password: 'x1234@abz' });
    expect((run.json.errors as { message: string }[]).map((e) => e.message)).toEqual([expect.stringContaining('consecutive')]);
    expect((await create({ password: 'kqxmzwrp' })).json.errors).toHaveLength(2); // no number, no special character
    expect((await create({ password: 'k7@mP2x_' })).status).toBe(201);

    for (let i = 0; i < 5; i++) {
      const generated = String((await create({})).json.password);
      expect(generated).toMatch(/^[A-Za-z0-9@\-_*]{8,10}$/);
      expect(generated).toMatch(/[A-Za-z]/);
      expect(generated).toMatch(/\d/);
      expect(generated).toMatch(/[@\-_*]/);
    }
    await control(`users/${DEMO_USER}/settings`, { meeting_security: { meeting_password_requirement: { only_allow_numeric: true, have_letter: false, have_special_character: false } } });
    expect(String((await create({})).json.password)).toMatch(/^\d{8,10}$/);
    // PATCH is checked too.
    const id = /"id":(\d+)/.exec((await create({})).text)![1]!;
    expect((await api(token, `/meetings/${id}`, { method: 'PATCH', body: { password: 'abc' } })).json).toMatchObject({ code: 300, message: 'Invalid field.' });
  });

  it('leaves the passcode empty when the policy does not require one; no pwd in the join link when not embedded', async () => {
    const token = await accessToken();
    await control(`users/${DEMO_USER}/settings`, { meeting_security: { require_password_for_scheduled_meeting: false, embed_password_in_join_link: false } });
    const created = await api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: MEETING });
    expect(created.json.password).toBe('');
    expect(String(created.json.join_url)).not.toContain('pwd=');
  });

  it('echoes meeting settings on create, PATCH and GET; refuses invalid values', async () => {
    const token = await accessToken();
    const settings = { waiting_room: false, join_before_host: true, jbh_time: 5, mute_upon_entry: true, host_video: true, participant_video: false, auto_recording: 'cloud', approval_type: 2 };
    const created = await api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: { ...MEETING, settings } });
    expect(created.json.settings).toMatchObject(settings);
    const id = /"id":(\d+)/.exec(created.text)![1]!;
    expect((await api(token, `/meetings/${id}`, { method: 'PATCH', body: { settings: { waiting_room: true, auto_recording: 'none' } } })).status).toBe(204);
    expect((await api(token, `/meetings/${id}`)).json.settings).toMatchObject({ ...settings, waiting_room: true, auto_recording: 'none' });
    const bad = await api(token, `/meetings/${id}`, { method: 'PATCH', body: { settings: { auto_recording: 'always', waiting_room: 'yes' } } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 300, errors: [{ field: 'settings.waiting_room' }, { field: 'settings.auto_recording' }] });
    // The user's waiting room setting is the default.
    await control(`users/${DEMO_USER}/settings`, { meeting_security: { waiting_room: false } });
    expect((await api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: MEETING })).json.settings).toMatchObject({ waiting_room: false });
  });

  it('takes Licensed users of the same account as alternative hosts; refuses anyone else with 400/1114 naming them, making nothing', async () => {
    const token = await accessToken();
    const create = (host: string, alternative_hosts: string) =>
      api(token, `/users/${host}/meetings`, { method: 'POST', body: { ...MEETING, settings: { alternative_hosts } } });
    const created = await create(DEMO_USER, ' HANA.SUZUKI@example.com ; dEm0UsErHanaSuzuki0002');
    expect(created.status).toBe(201);
    // Normalised: the users' emails, once each.
    expect(created.json.settings).toMatchObject({ alternative_hosts: 'hana.suzuki@example.com' });
    await control('users', { email: 'outsider@zoom-demo.example', accountId: 'another-account' });
    const before = emulator.state.meetings.length;
    for (const [host, entry, why] of [
      [DEMO_USER, 'taro.yamada@example.com', /Licensed user in the same account/],
      [DEMO_USER, 'outsider@zoom-demo.example', /same account/],
      [DEMO_USER, 'nobody@example.com', /same account/],
      [DEMO_USER, 'demo@example.com', /their own alternative host/],
      // A Basic host has no alternative hosts at all.
      ['dEm0UsErTaroYamada0003', 'hana.suzuki@example.com', /Licensed host/],
    ] as const) {
      const refused = await create(host, `hana.suzuki@example.com;${entry}`);
      expect(refused.status, entry).toBe(400);
      expect(refused.json.code).toBe(1114);
      expect(String(refused.json.message)).toContain(`Unable to assign '${host === DEMO_USER ? entry : 'hana.suzuki@example.com'}' as an alternative host`);
      expect(String(refused.json.message)).toMatch(why);
    }
    expect(emulator.state.meetings).toHaveLength(before);
    // PATCH checks them the same way.
    const id = /"id":(\d+)/.exec(created.text)![1]!;
    expect((await api(token, `/meetings/${id}`, { method: 'PATCH', body: { settings: { alternative_hosts: 'taro.yamada@example.com' } } })).json.code).toBe(1114);
    expect((await api(token, `/meetings/${id}`, { method: 'PATCH', body: { settings: { alternative_hosts: '' } } })).status).toBe(204);
    expect((await api(token, `/meetings/${id}`)).json.settings).toMatchObject({ alternative_hosts: '' });
  });
});

describe('account-level rate limits', () => {
  it('answers 429 with X-RateLimit-Type QPS and Retry-After, counted across every user and token of the account', async () => {
    await control('clock', { now: '2031-01-01T00:00:00.100Z' });
    const token = await accessToken();
    const other = await accessToken();
    await control(`accounts/${DEMO_ACCOUNT_ID}/rate-limit`, { qps: 2, retryAfterSeconds: 3 });
    expect((await api(token, `/users/${DEMO_USER}`)).status).toBe(200);
    expect((await api(other, '/users/hana.suzuki@example.com')).status).toBe(200);
    const limited = await api(token, '/users/taro.yamada@example.com');
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ code: 429, message: expect.stringContaining('per-second rate limit') });
    expect(limited.headers.get('x-ratelimit-type')).toBe('QPS');
    expect(limited.headers.get('retry-after')).toBe('3');
    // A user-level token of a user in the account shares the limit; another account does not.
    expect((await api(emulator.issueTokenSet('hana.suzuki@example.com').access_token, '/users/me')).status).toBe(429);
    expect((await api(emulator.issueTokenSet('KdYKjnimT4KPd8FFgQt9FQ').access_token, '/users/me')).status).toBe(200);
    await control('clock', { advanceMs: 1000 });
    expect((await api(token, `/users/${DEMO_USER}`)).status).toBe(200);
    expect(emulator.state.calls.filter((c) => c.accountId === DEMO_ACCOUNT_ID && c.status === 429)).toHaveLength(2);
  });

  it('answers the next N calls 429 when told to, then recovers', async () => {
    const token = await accessToken();
    await control('accounts', { id: DEMO_ACCOUNT_ID, rateLimit: { next429: 2 } });
    expect((await api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: MEETING })).status).toBe(429);
    expect((await api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: MEETING })).status).toBe(429);
    expect((await api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: MEETING })).status).toBe(201);
    expect(emulator.state.meetings).toHaveLength(1);
  });
});

describe('control and state', () => {
  it('shows accounts in /__control/state; creates accounts with apps; validates input; reset restores the demo account', async () => {
    const initial = (await (await fetch(`${url}/__control/state`)).json()) as { accounts: { id: string; s2sApps: { clientId: string; activated: boolean }[] }[] };
    expect(initial.accounts).toEqual([expect.objectContaining({ id: DEMO_ACCOUNT_ID, s2sApps: [expect.objectContaining({ clientId: DEMO_S2S_CLIENT_ID, activated: true })] })]);
    const created = await control('accounts', { id: 'acme', name: 'Acme', licenses: 1, s2sApps: [{ clientId: 'acme-s2s', clientSecret: 'x', activated: false }] });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ id: 'acme', name: 'Acme', licenses: 1, s2sApps: [{ clientId: 'acme-s2s', activated: false, scopes: S2S_ADMIN_SCOPES }] });
    expect((await s2sToken({ grant_type: 'account_credentials', account_id: 'acme' }, basic('acme-s2s', 'x'))).json.error).toBe('invalid_client');
    expect((await control('accounts/acme/apps/acme-s2s', { activated: true })).status).toBe(200);
    expect((await s2sToken({ grant_type: 'account_credentials', account_id: 'acme' }, basic('acme-s2s', 'x'))).status).toBe(200);
    expect((await control('accounts', { id: 'acme2', s2sApps: [{ clientId: 'acme-s2s', clientSecret: 'y' }] })).status).toBe(400);
    expect((await control('accounts', { name: 'no id' })).status).toBe(400);
    expect((await control('accounts/nope/apps/acme-s2s', { activated: true })).status).toBe(404);
    await fetch(`${url}/__control/reset`, { method: 'POST' });
    expect(emulator.state.accounts.map((a) => a.id)).toEqual([DEMO_ACCOUNT_ID]);
  });

  it('a state saved before accounts existed gains the demo account and its users on load', () => {
    const saved = JSON.parse(JSON.stringify(emulator.state, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
    delete saved.accounts;
    saved.users = (saved.users as { accountId: string }[]).filter((u) => u.accountId !== DEMO_ACCOUNT_ID);
    Object.assign(emulator.state, { users: emulator.state.users.filter((u) => u.accountId !== DEMO_ACCOUNT_ID), accounts: [] });
    emulator.upgradeLoadedState();
    expect(emulator.state.accounts.map((a) => a.id)).toEqual([DEMO_ACCOUNT_ID]);
    expect(emulator.state.users.filter((u) => u.accountId === DEMO_ACCOUNT_ID).map((u) => u.email)).toEqual([
      'demo@example.com',
      'hana.suzuki@example.com',
      'taro.yamada@example.com',
    ]);
  });
});

describe('after the meeting, with an account token', () => {
  it("reads past meetings, participants and recordings of its users' meetings, adds registrants; events go to the app's subscription, signed with its secret", async () => {
    const received: { path: string; text: string; headers: Headers }[] = [];
    const receiver = await serveFetchHandler(async (request) => {
      received.push({ path: new URL(request.url).pathname, text: await request.text(), headers: request.headers });
      return new Response(null, { status: 204 });
    }, 0);
    const address = receiver.address();
    const hook = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/webhooks/zoom/organisations/org-1`;
    try {
      await control(`accounts/${DEMO_ACCOUNT_ID}/apps/${DEMO_S2S_CLIENT_ID}`, { webhookUrl: hook, webhookSecretToken: 'org-secret' });
      const token = await accessToken();
      const created = await api(token, `/users/${DEMO_USER}/meetings`, { method: 'POST', body: { ...MEETING, settings: { approval_type: 0 } } });
      const id = /"id":(\d+)/.exec(created.text)![1]!;
      const registrant = await api(token, `/meetings/${id}/registrants`, { method: 'POST', body: { email: 'guest@example.com', first_name: 'Guest' } });
      expect(registrant.status).toBe(201);

      const simulated = await control(`meetings/${id}/simulate`, {
        participants: [
          { name: 'Demo Host', host: true, joinAt: '2031-05-01T00:58:00Z', leaveAt: '2031-05-01T01:31:00Z' },
          { name: 'Guest', email: 'guest@example.com', joinAt: '2031-05-01T01:01:00Z', leaveAt: '2031-05-01T01:30:00Z' },
        ],
        end: true,
        recording: true,
      });
      expect(simulated.status).toBe(200);
      expect(received.map((r) => r.path).every((p) => p.endsWith('/organisations/org-1'))).toBe(true);
      expect(received.map((r) => JSON.parse(r.text).event)).toContain('meeting.ended');
      for (const r of received) {
        const timestamp = r.headers.get('x-zm-request-timestamp')!;
        expect(r.headers.get('x-zm-signature')).toBe(`v0=${createHmac('sha256', 'org-secret').update(`v0:${timestamp}:${r.text}`).digest('hex')}`);
        expect(r.headers.get('clientid')).toBe(DEMO_S2S_CLIENT_ID);
      }
      expect((await api(token, `/past_meetings/${id}`)).json).toMatchObject({ host_id: DEMO_USER, user_email: 'demo@example.com' });
      expect((await api(token, `/past_meetings/${id}/participants`)).status).toBe(200);
      const recordings = await api(token, `/meetings/${id}/recordings`);
      expect(recordings.status).toBe(200);
      const file = (recordings.json.recording_files as { download_url: string }[])[0]!;
      expect((await fetch(file.download_url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' })).status).toBe(302);

      // Another account's token reaches none of it.
      await control('accounts', { id: 'acme', s2sApps: [{ clientId: 'acme-s2s', clientSecret: 'x' }] });
      const foreign = String((await s2sToken({ grant_type: 'account_credentials', account_id: 'acme' }, basic('acme-s2s', 'x'))).json.access_token);
      expect((await api(foreign, `/past_meetings/${id}`)).status).toBe(404);
      expect((await api(foreign, `/meetings/${id}/recordings`)).status).toBe(404);
      expect((await fetch(file.download_url, { headers: { authorization: `Bearer ${foreign}` }, redirect: 'manual' })).status).toBe(401);

      // The control API delivers an arbitrary event as the app (e.g. endpoint.url_validation).
      const validation = await control('webhooks', { event: 'endpoint.url_validation', s2sClientId: DEMO_S2S_CLIENT_ID });
      expect(validation.json).toMatchObject({ url: hook, status: 204 });
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });
});
