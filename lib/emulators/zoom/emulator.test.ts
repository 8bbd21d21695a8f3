import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createZoomEmulator } from './emulator';

/** Wire behaviour of the emulator, straight through its fetch handler (Zoom's documented wire behaviour). */

const BASE = 'http://zoom.test/api/emulators/zoom';
const REDIRECT = 'http://app.test/api/integrations/zoom/callback';
const basic = `Basic ${Buffer.from('cid:secret').toString('base64')}`;

function setup() {
  const emulator = createZoomEmulator({ basePath: '/api/emulators/zoom', clientId: 'cid', clientSecret: 'secret', webhookSecretToken: 'whsec' });
  const call = (path: string, init?: RequestInit) => emulator.handle(new Request(`${BASE}${path}`, init));
  const token = (params: Record<string, string>, auth = basic) =>
    call('/oauth/token', { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
  async function authorize(verifier = 'v'.repeat(43), userId = 'KdYKjnimT4KPd8FFgQt9FQ') {
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const form = new URLSearchParams({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: REDIRECT,
      state: 'st',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      user_id: userId,
      decision: 'allow',
    });
    const response = await call('/oauth/authorize', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('st');
    return location.searchParams.get('code')!;
  }
  return { emulator, call, token, authorize };
}

describe('zoom emulator', () => {
  it('issues 3599 s tokens for a PKCE-verified single-use code and rotates refresh tokens', async () => {
    const { token, authorize } = setup();
    const code = await authorize();
    const wrong = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: 'w'.repeat(43) });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ reason: 'Invalid code_verifier', error: 'invalid_grant' });

    const code2 = await authorize();
    const ok = await token({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) });
    expect(ok.status).toBe(200);
    const first = (await ok.json()) as Record<string, unknown>;
    expect(first).toMatchObject({ token_type: 'bearer', expires_in: 3599 });
    expect(String(first.access_token)).toMatch(/^eyJ/);
    expect(String(first.scope).split(' ')).toContain('meeting:write:meeting');
    const again = await token({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) });
    expect(again.status).toBe(400);

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as Record<string, unknown>;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const stale = await token({ grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    expect(stale.status).toBe(400);
    expect(await stale.json()).toEqual({ reason: 'Invalid Token!', error: 'invalid_grant' });

    const badClient = await token({ grant_type: 'refresh_token', refresh_token: String(second.refresh_token) }, `Basic ${Buffer.from('cid:nope').toString('base64')}`);
    expect(await badClient.json()).toEqual({ reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
  });

  it('accepts token parameters in the query string too; re-authorisation supersedes older sets', async () => {
    const { call, authorize, emulator } = setup();
    const code = await authorize();
    const query = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) });
    const first = (await (await call(`/oauth/token?${query}`, { method: 'POST', headers: { authorization: basic } })).json()) as { access_token: string };
    const me = () => call('/v2/users/me', { headers: { authorization: `Bearer ${first.access_token}` } });
    expect((await me()).status).toBe(200);
    const code2 = await authorize();
    const query2 = new URLSearchParams({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) });
    await call(`/oauth/token?${query2}`, { method: 'POST', headers: { authorization: basic } });
    const old = await me();
    expect(old.status).toBe(401);
    expect(await old.json()).toEqual({ code: 124, message: 'Invalid access token.' });
    expect(emulator.state.tokenSets.map((s) => s.revokedReason)).toEqual(['superseded', null]);
  });

  it('writes int64 meeting ids as bare JSON numbers, checks scopes, counts the daily budget', async () => {
    const { call, token, authorize, emulator } = setup();
    const code = await authorize();
    const tokens = (await (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) })).json()) as { access_token: string };
    const auth = { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' };
    const created = await call('/v2/users/me/meetings', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ topic: 't', start_time: '2031-01-01T09:00:00', timezone: 'Asia/Tokyo', duration: 30 }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-zm-trackingid')).toMatch(/^v=2\.0;/);
    expect(created.headers.get('x-ratelimit-category')).toBe('Medium');
    expect(created.headers.get('x-ratelimit-remaining')).toBe('99');
    const text = await created.text();
    const id = /"id":(\d+)/.exec(text)![1]!;
    expect(BigInt(id)).toBeGreaterThan(2n ** 53n);
    expect(text).toContain('"start_time":"2031-01-01T00:00:00Z"'); // local wall time in Asia/Tokyo → UTC
    expect(emulator.state.meetings[0]!.id.toString()).toBe(id);
    // A body cut off before it all arrived (its client gone) makes nothing, not a meeting with defaults.
    const cut = await call('/v2/users/me/meetings', { method: 'POST', headers: { ...auth, 'content-length': '120' }, body: '' });
    expect(cut.status).toBe(400);
    expect(emulator.state.meetings).toHaveLength(1);

    emulator.state.users[0]!.scopes = ['meeting:read:meeting'];
    const code2 = await authorize();
    const limited = (await (await token({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) })).json()) as { access_token: string };
    const denied = await call(`/v2/meetings/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${limited.access_token}` } });
    expect(denied.status).toBe(400);
    expect(await denied.json()).toEqual({ code: 4711, message: 'Invalid access token, does not contain scopes:[meeting:delete:meeting:admin, meeting:delete:meeting].' });
  });

  it('answers the daily limit like Zoom (429/429, no Retry-After, no X-RateLimit-Type); lists by from/to; refuses started/ended changes and unlisted zones', async () => {
    const { call, token, authorize, emulator } = setup();
    const code = await authorize();
    const tokens = (await (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) })).json()) as { access_token: string };
    const auth = { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' };
    const create = (start: string, extra: Record<string, unknown> = {}) =>
      call('/v2/users/me/meetings', { method: 'POST', headers: auth, body: JSON.stringify({ topic: 't', start_time: start, duration: 30, agenda: `a${'x'.repeat(300)}`, ...extra }) });
    expect((await create('2031-01-01T09:00:00Z', { timezone: 'Asia/Ho_Chi_Minh' })).status).toBe(400); // not on Zoom's list
    const ids: string[] = [];
    for (const day of ['2031-01-01', '2031-01-02', '2031-01-03']) {
      const created = await create(`${day}T23:30:00Z`, { timezone: 'Asia/Saigon' });
      expect(created.status).toBe(201);
      ids.push(/"id":(\d+)/.exec(await created.text())![1]!);
    }
    const list = async (query: string) => (await (await call(`/v2/users/me/meetings?${query}`, { headers: auth })).json()) as { meetings: { id: number; agenda?: string }[] };
    expect((await list('type=scheduled&from=2031-01-02&to=2031-01-02&timezone=UTC')).meetings).toHaveLength(1);
    // The same instants, as dates in Tokyo (+09:00): 01-02 08:30, 01-03 08:30, 01-04 08:30.
    expect((await list('type=scheduled&from=2031-01-03&to=2031-01-04&timezone=Asia/Tokyo')).meetings).toHaveLength(2);
    expect((await list('type=scheduled')).meetings[0]!.agenda).toHaveLength(250);
    expect((await call('/v2/users/me/meetings?from=tomorrow', { headers: auth })).status).toBe(400);

    await call(`/__control/meetings/${ids[0]}`, { method: 'POST', body: JSON.stringify({ status: 'started' }) });
    const patchStarted = await call(`/v2/meetings/${ids[0]}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ duration: 45 }) });
    expect(await patchStarted.json()).toMatchObject({ code: 3000 });
    const deleteStarted = await call(`/v2/meetings/${ids[0]}`, { method: 'DELETE', headers: auth });
    expect(deleteStarted.status).toBe(400);
    expect(await deleteStarted.json()).toMatchObject({ code: 3002 });
    await call(`/__control/meetings/${ids[1]}`, { method: 'POST', body: JSON.stringify({ status: 'ended' }) });
    expect(await (await call(`/v2/meetings/${ids[1]}`, { method: 'DELETE', headers: auth })).json()).toMatchObject({ code: 3007 });

    emulator.state.config.dailyMeetingLimit = 3; // three creates so far
    const limited = await create('2031-02-01T00:00:00Z');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ code: 429, message: expect.stringContaining('daily rate limit (3)') });
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.headers.get('x-ratelimit-type')).toBeNull();
  });

  it('refuses an authorize request with scope, an unknown client or redirect', async () => {
    const { call } = setup();
    const url = (extra: Record<string, string>) => `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'cid', redirect_uri: REDIRECT, ...extra })}`;
    expect((await call(url({}))).status).toBe(200);
    expect((await call(url({ scope: 'meeting:write:meeting' }))).status).toBe(400);
    expect((await call(url({ client_id: 'other' }))).status).toBe(400);
    expect((await call(url({ redirect_uri: 'javascript:alert(1)' }))).status).toBe(400);
  });
});
