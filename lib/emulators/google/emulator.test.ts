import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createGoogleEmulator } from './emulator';

/** Wire behaviour of the Google emulator, called in-process through its fetch handler. */

const BASE = 'http://emu.test/g';
const CLIENT = { clientId: 'cid', clientSecret: 'secret' };
const SCOPES = 'https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/calendar.events';

function setup() {
  const emulator = createGoogleEmulator({ basePath: '/g', ...CLIENT });
  const call = (path: string, init: RequestInit = {}) => emulator.handle(new Request(`${BASE}${path}`, init));
  const form = (values: Record<string, string | string[]>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) for (const v of [value].flat()) params.append(key, v);
    return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() };
  };
  async function authorize(options: { verifier?: string; grant?: string[]; account?: string; scope?: string; nonce?: string } = {}) {
    const challenge = options.verifier ? createHash('sha256').update(options.verifier).digest('base64url') : undefined;
    const response = await call(
      '/o/oauth2/v2/auth',
      form({
        client_id: 'cid',
        redirect_uri: 'http://app.test/cb',
        response_type: 'code',
        scope: options.scope ?? SCOPES,
        state: 'st',
        ...(options.nonce ? { nonce: options.nonce } : {}),
        access_type: 'offline',
        prompt: 'consent',
        ...(challenge ? { code_challenge: challenge, code_challenge_method: 'S256' } : {}),
        account: options.account ?? 'owner@gmail.test',
        granted_scope: options.grant ?? SCOPES.split(' '),
        decision: 'allow',
      }),
    );
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!).searchParams.get('code')!;
  }
  async function token(values: Record<string, string>) {
    const response = await call('/token', form({ client_id: 'cid', client_secret: 'secret', ...values }));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  return { emulator, call, authorize, token, form };
}

describe('Google emulator OAuth', () => {
  it('issues tokens for a PKCE code once and refuses a wrong verifier, a reused code and a wrong secret', async () => {
    const { authorize, token } = setup();
    const code = await authorize({ verifier: 'v'.repeat(43) });
    expect(await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://app.test/cb', code_verifier: 'x'.repeat(43) })).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid code verifier.' },
    });
    const ok = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://app.test/cb', code_verifier: 'v'.repeat(43) });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, scope: SCOPES });
    expect(ok.body.refresh_token).toEqual(expect.any(String));
    const again = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://app.test/cb', code_verifier: 'v'.repeat(43) });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const { status, body } = await token({ grant_type: 'refresh_token', refresh_token: String(ok.body.refresh_token), client_secret: 'nope' });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('redirects a denial with access_denied error and the state', async () => {
    const { call } = setup();
    const response = await call(
      '/o/oauth2/v2/auth',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'cid', redirect_uri: 'http://app.test/cb', response_type: 'code', scope: SCOPES, state: 'st', decision: 'deny' }).toString(),
      },
    );
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st');
  });
});

describe('Google emulator OpenID (Sign in with Google)', () => {
  it('answers openid scopes with an RS256 id_token its JWKS verifies, and userinfo with the account', async () => {
    const { authorize, token, call } = setup();
    const code = await authorize({ scope: 'openid email profile', nonce: 'n-1', account: 'signin@gmail.test' });
    const { status, body } = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://app.test/cb' });
    expect(status).toBe(200);
    const [header, payload, signature] = String(body.id_token).split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'RS256' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'http://emu.test/g', aud: 'cid', email: 'signin@gmail.test', email_verified: true, nonce: 'n-1' });
    const { keys } = (await (await call('/oauth2/v3/certs')).json()) as { keys: import('node:crypto').JsonWebKey[] };
    const key = createPublicKey({ key: keys[0]!, format: 'jwk' });
    expect(verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
    const discovery = (await (await call('/.well-known/openid-configuration')).json()) as Record<string, string>;
    expect(discovery).toMatchObject({ issuer: 'http://emu.test/g', userinfo_endpoint: 'http://emu.test/g/oauth2/v3/userinfo' });

    const userinfo = await call('/oauth2/v3/userinfo', { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: claims.sub, email: 'signin@gmail.test', email_verified: true });
    expect((await call('/oauth2/v3/userinfo')).status).toBe(401);
  });

  it('gives no id_token and no userinfo for a Calendar-only grant', async () => {
    const { authorize, token, call } = setup();
    const code = await authorize();
    const { body } = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://app.test/cb' });
    expect(body.id_token).toBeUndefined();
    expect((await call('/oauth2/v3/userinfo', { headers: { authorization: `Bearer ${body.access_token}` } })).status).toBe(403);
  });
});

it('refuses a redirect URI that is not registered', async () => {
  const emulator = createGoogleEmulator({ ...CLIENT, redirectUris: ['http://app.test/cb'] });
  const url = (redirect: string) =>
    `http://emu.test/o/oauth2/v2/auth?${new URLSearchParams({ client_id: 'cid', redirect_uri: redirect, response_type: 'code', scope: SCOPES })}`;
  expect((await emulator.handle(new Request(url('http://app.test/cb')))).status).toBe(200);
  const refused = await emulator.handle(new Request(url('http://evil.test/cb')));
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('redirect_uri_mismatch');
});

describe('Google emulator Calendar API', () => {
  it('answers Google error shapes: missing token, expired token (emulator clock), insufficient scope', async () => {
    const { call, authorize, token } = setup();
    const missing = await call('/calendar/v3/users/me/calendarList');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'required' }] } });

    const readOnly = await authorize({ grant: ['https://www.googleapis.com/auth/calendar.readonly'] });
    const { body } = await token({ grant_type: 'authorization_code', code: readOnly, redirect_uri: 'http://app.test/cb' });
    const auth = { authorization: `Bearer ${body.access_token}`, 'content-type': 'application/json' };
    expect((await call('/calendar/v3/users/me/calendarList', { headers: auth })).status).toBe(200);
    const insert = await call('/calendar/v3/calendars/primary/events', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ start: { dateTime: '2030-01-01T00:00:00Z' }, end: { dateTime: '2030-01-01T01:00:00Z' } }),
    });
    expect(insert.status).toBe(403);
    expect(await insert.json()).toMatchObject({ error: { code: 403, errors: [{ reason: 'insufficientPermissions' }], status: 'PERMISSION_DENIED' } });

    await call('/__control/clock', { method: 'POST', body: JSON.stringify({ advanceSeconds: 3600 }) });
    const expired = await call('/calendar/v3/users/me/calendarList', { headers: auth });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 401, errors: [{ reason: 'authError' }] } });
  });

  it('freeBusy leaves out transparent and cancelled events, clips and merges overlaps and reports unknown calendars', async () => {
    const { call, authorize, token } = setup();
    const code = await authorize();
    const { body } = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://app.test/cb' });
    const headers = { authorization: `Bearer ${body.access_token}`, 'content-type': 'application/json' };
    const add = (event: Record<string, unknown>) => call('/__control/events', { method: 'POST', body: JSON.stringify({ email: 'owner@gmail.test', ...event }) });
    await add({ start: '2030-01-01T01:00:00Z', end: '2030-01-01T02:00:00Z' });
    await add({ start: '2030-01-01T01:30:00+09:00', end: '2030-01-01T11:30:00+09:00' });
    await add({ start: '2030-01-01T05:00:00Z', end: '2030-01-01T06:00:00Z', transparency: 'transparent' });
    await add({ start: '2030-01-01T07:00:00Z', end: '2030-01-01T08:00:00Z', status: 'cancelled' });
    const response = await call('/calendar/v3/freeBusy', {
      method: 'POST',
      headers,
      body: JSON.stringify({ timeMin: '2030-01-01T00:00:00Z', timeMax: '2030-01-02T00:00:00Z', items: [{ id: 'primary' }, { id: 'other@gmail.test' }] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      calendars: {
        // the second event starts before timeMin (16:30Z the day before): clipped, then merged with the first
        primary: { busy: [{ start: '2030-01-01T00:00:00Z', end: '2030-01-01T02:30:00Z' }] },
        'other@gmail.test': { busy: [], errors: [{ domain: 'global', reason: 'notFound' }] },
      },
    });
  });

  it('a calendar page lists the events and adds a busy one from a form (wall time in the given zone)', async () => {
    const { call, authorize, form } = setup();
    await authorize();
    const empty = await call('/__control/calendar');
    expect(empty.status).toBe(200);
    const html = await empty.text();
    expect(html).toContain('owner@gmail.test');
    expect(html).toContain('action="/g/__control/calendar"');

    const added = await call('/__control/calendar', form({ email: 'owner@gmail.test', summary: 'Dentist <b>', date: '2030-01-07', time: '10:00', minutes: '90', timeZone: 'Asia/Tokyo' }));
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/g/__control/calendar?added=Dentist%20%3Cb%3E');
    const state = (await (await call('/__control/state')).json()) as { events: { summary: string; start: { dateTime: string }; end: { dateTime: string } }[] };
    const event = state.events.find((e) => e.summary === 'Dentist <b>')!;
    expect(Date.parse(event.start.dateTime)).toBe(Date.parse('2030-01-07T01:00:00Z'));
    expect(Date.parse(event.end.dateTime)).toBe(Date.parse('2030-01-07T02:30:00Z'));
    const listed = await (await call('/__control/calendar?added=x')).text();
    expect(listed).toContain('Dentist &lt;b&gt;');
    expect(listed).not.toContain('Dentist <b>');

    const bad = await call('/__control/calendar', form({ email: 'owner@gmail.test', date: 'soon', time: '10:00' }));
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain('Date and start time are required.');
  });

  it('injects faults once on matching requests', async () => {
    const { call, emulator } = setup();
    await call('/__control/faults', { method: 'POST', body: JSON.stringify({ method: 'POST', path: '/token', status: 503, times: 1 }) });
    const first = await call('/token', { method: 'POST', body: '' });
    expect(first.status).toBe(503);
    const second = await call('/token', { method: 'POST', body: '' });
    expect(second.status).toBe(401);
    expect(emulator.state.calls.map((c) => [c.path, c.status, c.fault ?? false])).toEqual([
      ['/token', 503, true],
      ['/token', 401, false],
    ]);
  });
});
