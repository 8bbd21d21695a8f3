import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { webhookEvents, zoomConnections } from '@/lib/db/schema/integrations';
import { serveFetchHandler } from '@/lib/emulators/serve';
import type { ZoomEmulator } from '@/lib/emulators/zoom/emulator';
import { startZoomEmulator } from '@/lib/emulators/zoom/testing';
import { readOutbox } from '@/lib/mail/transport';
import { createMeeting, getMeeting } from './client';
import { userOAuthSource } from './tokens';
import { getZoomConnectionStatus } from './queries';
import { disconnectZoom, finishZoomLink, startZoomLink } from './service';
import { consent, linkZoom, useZoomEmulatorEnv } from './testing';
import { handleZoomWebhook } from './webhooks';

/** Linking, unlinking and webhooks against the standalone emulator over real HTTP. */

let emulator: ZoomEmulator;
let emulatorUrl: string;
let closeEmulator: () => Promise<void>;
let webhookUrl: string;
let closeWebhookServer: () => void;
const deferred: Promise<void>[] = [];

const DEMO = 'KdYKjnimT4KPd8FFgQt9FQ';
const AIKO = 'p3Vb8hL0QZ-9xKcN2rTj4w';
const PRE_APPROVAL = 'Zm1Xc0VhNHRrS2dQaW5nQQ';

async function newHost(email: string, locale: 'ja' | 'en' = 'en') {
  const db = await getDb();
  const [host] = await db.insert(users).values({ email, locale, handle: email.split('@')[0], timeZone: 'Asia/Tokyo' }).returning();
  return host!;
}

async function control(path: string, body: unknown) {
  const response = await fetch(`${emulatorUrl}/__control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  const started = await startZoomEmulator();
  emulator = started.emulator;
  emulatorUrl = started.url;
  closeEmulator = started.close;
  useZoomEmulatorEnv(emulatorUrl);
  // Open and migrate the database here (hook timeout), not inside the first test.
  await getDb();
  // The app's webhook endpoint: our handler behind a real HTTP server.
  const server = await serveFetchHandler((request) => handleZoomWebhook(request, { defer: (task) => deferred.push(task()) }), 0);
  const address = server.address();
  webhookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/webhooks/zoom`;
  closeWebhookServer = () => {
    server.closeAllConnections();
    server.close();
  };
});

afterAll(async () => {
  closeWebhookServer();
  await closeEmulator();
});

beforeEach(async () => {
  await control('reset', {});
  // Every test starts without links (the demo Zoom users are shared by the tests of this file).
  await (await getDb()).delete(zoomConnections);
});

describe('connect', () => {
  it('builds the authorize URL with state and PKCE S256 and without scope', async () => {
    const host = await newHost('url@example.com');
    const start = await startZoomLink(host.id);
    if (!start.ok) throw new Error('not configured');
    const url = new URL(start.authorizeUrl);
    expect(url.origin + url.pathname).toBe(`${emulatorUrl}/oauth/authorize`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('test-client-id');
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:3999/api/integrations/zoom/callback');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')?.length).toBeGreaterThanOrEqual(32);
    expect(url.searchParams.has('scope')).toBe(false);
    // the cookie is sealed: neither the state nor the verifier is readable
    expect(start.cookie.value).not.toContain(url.searchParams.get('state'));
    expect(start.cookie.maxAge).toBeLessThanOrEqual(600);
  });

  it('links after Allow, stores tokens encrypted and reads /users/me', async () => {
    const host = await newHost('link@example.com');
    expect(await linkZoom(host.id)).toBe('connected');
    expect(await getZoomConnectionStatus(host.id)).toMatchObject({ state: 'active', email: 'demo.host@zoom-demo.example', basic: false });
    const db = await getDb();
    const [row] = await db.select().from(zoomConnections).where(eq(zoomConnections.userId, host.id));
    const issued = emulator.state.accessTokens.at(-1)!.token;
    expect(row!.zoomUserId).toBe(DEMO);
    expect(row!.accessTokenEnc).not.toContain(issued.slice(0, 20));
    expect(row!.accessTokenEnc.startsWith('v1.')).toBe(true);
    // absolute expiry ≈ now + 3599 s
    expect(Math.abs(row!.accessTokenExpiresAt.getTime() - (Date.now() + 3599_000))).toBeLessThan(30_000);
    expect(row!.scopes.split(' ')).toContain('meeting:write:meeting');
    expect(emulator.state.stats.tokenExchanges).toBe(1);
    expect(emulator.state.calls.some((c) => c.path === '/v2/users/me' && c.status === 200)).toBe(true);
  });

  it('the emulator refuses an authorize URL that carries scope', async () => {
    const response = await fetch(`${emulatorUrl}/oauth/authorize?response_type=code&client_id=test-client-id&redirect_uri=${encodeURIComponent('http://x/cb')}&scope=meeting:write:meeting`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Invalid scopes');
  });

  it('Deny ends as "denied"', async () => {
    const host = await newHost('deny@example.com');
    const { location, cookie } = await consent(host.id, 'deny');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie })).toBe('denied');
    expect((await getZoomConnectionStatus(host.id)).state).toBe('none');
  });

  it('an account that needs admin pre-approval ends as "admin_approval"', async () => {
    const host = await newHost('preapproval@example.com');
    const { location, cookie } = await consent(host.id, 'back', PRE_APPROVAL);
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie })).toBe('admin_approval');
  });

  it('rejects a wrong state, a missing cookie, another host and a reused code', async () => {
    const host = await newHost('state@example.com');
    const other = await newHost('other-state@example.com');
    const { location, cookie } = await consent(host.id, 'allow');
    const tampered = new URLSearchParams(location.searchParams);
    tampered.set('state', 'forged');
    expect(await finishZoomLink({ hostId: host.id, params: tampered, cookie })).toBe('state');
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie: undefined })).toBe('state');
    expect(await finishZoomLink({ hostId: other.id, params: location.searchParams, cookie })).toBe('state');
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie: 'garbage' })).toBe('state');
    expect(emulator.state.stats.tokenExchanges).toBe(0);
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie })).toBe('connected');
    // codes are single use
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie })).toBe('state');
  });

  it('rejects an expired cookie and a wrong PKCE verifier', async () => {
    const host = await newHost('pkce@example.com');
    const { location } = await consent(host.id, 'allow');
    const state = location.searchParams.get('state')!;
    const expired = encryptSecret(JSON.stringify({ s: state, v: 'x'.repeat(43), h: host.id, e: Date.now() - 1000 }));
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie: expired })).toBe('state');
    const wrongVerifier = encryptSecret(JSON.stringify({ s: state, v: 'y'.repeat(43), h: host.id, e: Date.now() + 60_000 }));
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie: wrongVerifier })).toBe('state');
    expect(emulator.state.calls.filter((c) => c.path === '/oauth/token').map((c) => c.status)).toEqual([400]);
  });

  it('an expired code (5 minutes) is refused', async () => {
    const host = await newHost('expired-code@example.com');
    const { location, cookie } = await consent(host.id, 'allow');
    await control('clock', { advanceSeconds: 301 });
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie })).toBe('state');
  });

  it('Zoom unreachable during the exchange ends as "unreachable"', async () => {
    const host = await newHost('unreachable@example.com');
    const { location, cookie } = await consent(host.id, 'allow');
    await control('faults', { method: 'POST', path: '/oauth/token', status: 503, body: '<html>Service Unavailable</html>' });
    expect(await finishZoomLink({ hostId: host.id, params: location.searchParams, cookie })).toBe('unreachable');
  });

  it('remembers a Basic (free) Zoom user, so the host is told about the 40-minute limit', async () => {
    const host = await newHost('basic-plan@example.com');
    expect(await linkZoom(host.id, AIKO)).toBe('connected');
    expect(await getZoomConnectionStatus(host.id)).toMatchObject({ state: 'active', basic: true });
  });

  it('one Zoom account links to one host; the first host keeps a working link', async () => {
    const first = await newHost('first@example.com');
    const second = await newHost('second@example.com');
    expect(await linkZoom(first.id, AIKO)).toBe('connected');
    const meeting = await createMeeting(userOAuthSource(first.id), { topic: 'Before', start: new Date('2031-01-01T01:00:00Z'), durationMinutes: 30, timeZone: 'Asia/Tokyo', agenda: 'aki:a' });
    expect(await linkZoom(second.id, AIKO)).toBe('taken');
    expect((await getZoomConnectionStatus(second.id)).state).toBe('none');
    // Zoom superseded the first set when the same Zoom user authorised again; the first host got the new pair.
    expect(emulator.state.tokenSets.filter((s) => s.revokedAt === null)).toHaveLength(1);
    expect((await getMeeting(userOAuthSource(first.id), meeting.id)).topic).toBe('Before');
    expect((await getZoomConnectionStatus(first.id)).state).toBe('active');
    // the database itself refuses a second row for the Zoom user
    const db = await getDb();
    const [row] = await db.select().from(zoomConnections).where(eq(zoomConnections.userId, first.id));
    await expect(db.insert(zoomConnections).values({ ...row!, userId: second.id })).rejects.toMatchObject({ cause: { code: '23505' } });
  });

  it('connecting again (same host) replaces the tokens and keeps one row', async () => {
    const host = await newHost('again@example.com');
    expect(await linkZoom(host.id)).toBe('connected');
    expect(await linkZoom(host.id)).toBe('connected');
    const db = await getDb();
    expect(await db.select().from(zoomConnections).where(eq(zoomConnections.userId, host.id))).toHaveLength(1);
    await createMeeting(userOAuthSource(host.id), { topic: 'After reconnect', start: new Date('2031-01-02T01:00:00Z'), durationMinutes: 30, timeZone: 'UTC', agenda: 'aki:b' });
  });
});

describe('disconnect', () => {
  it('revokes at Zoom and deletes the link', async () => {
    const host = await newHost('disconnect@example.com');
    await linkZoom(host.id);
    expect(await disconnectZoom(host.id)).toEqual({ revokedAtZoom: true });
    expect(emulator.state.stats.revocations).toBe(1);
    expect(emulator.state.tokenSets[0]!.revokedReason).toBe('revoked');
    expect((await getZoomConnectionStatus(host.id)).state).toBe('none');
  });

  it('still deletes locally when Zoom cannot be reached, and says so', async () => {
    const host = await newHost('disconnect-down@example.com');
    await linkZoom(host.id);
    await control('faults', { method: 'POST', path: '/oauth/revoke', status: 503, times: 1 });
    expect(await disconnectZoom(host.id)).toEqual({ revokedAtZoom: false });
    expect((await getZoomConnectionStatus(host.id)).state).toBe('none');
  });

  it('a host can link again after disconnecting, and another host can take the account', async () => {
    const a = await newHost('relink-a@example.com');
    const b = await newHost('relink-b@example.com');
    await linkZoom(a.id);
    await disconnectZoom(a.id);
    expect(await linkZoom(b.id)).toBe('connected');
  });
});

describe('webhooks', () => {
  it('answers URL validation through the control API', async () => {
    const result = await control('webhooks', { event: 'endpoint.url_validation', target: webhookUrl });
    expect(result.status).toBe(200);
    expect(result.validated).toBe(true);
  });

  it('app_deauthorized marks the link revoked, mails the host and is idempotent', async () => {
    const host = await newHost('deauth@example.com', 'ja');
    await linkZoom(host.id);
    const result = await control('webhooks', { event: 'app_deauthorized', payload: { user_id: DEMO }, target: webhookUrl });
    expect(result.status).toBe(200);
    await Promise.all(deferred.splice(0));
    expect(await getZoomConnectionStatus(host.id)).toMatchObject({ state: 'revoked', reason: 'app_deauthorized' });
    const mails = (await readOutbox()).filter((m) => m.to === 'deauth@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Zoom');
    expect(mails[0]!.text).toContain('/settings/integrations');
    await expect(createMeeting(userOAuthSource(host.id), { topic: 'x', start: new Date('2031-01-01T00:00:00Z'), durationMinutes: 30, timeZone: 'UTC', agenda: 'aki:c' })).rejects.toMatchObject({ provider: 'zoom', reason: 'revoked' });

    // Zoom retries the same event (same body, new signature timestamp): stored once, no second mail.
    const retriedAt = Math.floor(Date.now() / 1000);
    const retry = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': String(retriedAt), 'x-zm-signature': resign(String(result.body), retriedAt) },
      body: String(result.body),
    });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ duplicate: true });
    await Promise.all(deferred.splice(0));
    const db = await getDb();
    const stored = await db.select().from(webhookEvents).where(eq(webhookEvents.event, 'app_deauthorized'));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.processedAt).not.toBeNull();
    expect((await readOutbox()).filter((m) => m.to === 'deauth@example.com')).toHaveLength(1);
  });

  it('stores and acknowledges other events', async () => {
    const result = await control('webhooks', {
      event: 'meeting.started',
      payload: { account_id: 'a', object: { id: '85746065432', uuid: 'u1==', host_id: DEMO, topic: 't', type: 2 } },
      target: webhookUrl,
    });
    expect(result.status).toBe(200);
    const db = await getDb();
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.event, 'meeting.started'))).toHaveLength(1);
  });

  it('keeps int64 ids exact and tells participants apart by participant_uuid', async () => {
    const post = (body: string) => {
      // One timestamp for the header and the signature (two clock reads can straddle a second).
      const timestamp = Math.floor(Date.now() / 1000);
      return fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': String(timestamp), 'x-zm-signature': resign(body, timestamp) },
        body,
      });
    };
    // meeting.deleted carries object.id as a JSON number; this one is beyond 2^53.
    const deleted = '{"event":"meeting.deleted","event_ts":1700000000999,"payload":{"account_id":"a","object":{"id":9007199254740993123,"uuid":"del1==","host_id":"h","topic":"t","type":2}}}';
    expect((await post(deleted)).status).toBe(200);
    const db = await getDb();
    const [stored] = await db.select().from(webhookEvents).where(eq(webhookEvents.event, 'meeting.deleted'));
    expect((stored!.payload as { payload: { object: { id: unknown } } }).payload.object.id).toBe('9007199254740993123');

    // Two people join the same meeting in the same millisecond: two events, not a retry.
    const joined = (participantUuid: string, name: string) =>
      `{"event":"meeting.participant_joined","event_ts":1700000001000,"payload":{"account_id":"a","object":{"id":"85746065432","uuid":"same==","host_id":"h","type":2,"duration":30,"participant":{"user_id":"16778240","user_name":"${name}","participant_uuid":"${participantUuid}","join_time":"2031-01-01T00:00:00Z","email":""}}}}`;
    expect(await (await post(joined('P-1', 'Ann'))).json()).toEqual({ ok: true });
    expect(await (await post(joined('P-2', 'Bob'))).json()).toEqual({ ok: true });
    expect(await (await post(joined('P-2', 'Bob'))).json()).toMatchObject({ duplicate: true }); // Zoom's retry
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.event, 'meeting.participant_joined'))).toHaveLength(2);
  });

  it('refuses bad signatures and stale timestamps', async () => {
    const stale = await control('webhooks', { event: 'meeting.ended', payload: { object: { uuid: 'zz' } }, target: webhookUrl, timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    const forged = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-zm-signature': `v0=${'0'.repeat(64)}` },
      body: '{"event":"app_deauthorized","payload":{"user_id":"x"}}',
    });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(webhookUrl, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(401);
  });
});

function resign(body: string, timestamp: number): string {
  // independent of lib/zoom/signature: node's HMAC straight from the reference formula
  const { createHmac } = require('node:crypto') as typeof import('node:crypto');
  return `v0=${createHmac('sha256', 'test-webhook-secret').update(`v0:${timestamp}:${body}`).digest('hex')}`;
}
