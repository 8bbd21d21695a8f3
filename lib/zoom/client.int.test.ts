import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { decryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { readOutbox } from '@/lib/mail/transport';
import { createMeeting, deleteMeeting, findMeetingByAgenda, getMeeting, updateMeeting } from './client';
import { refreshTokenSet } from './oauth';
import { getZoomConnectionStatus } from './queries';
import { getZoomAccessToken, refreshZoomTokenLocked, userOAuthSource } from './tokens';
import type { IntegrationError } from '@/lib/errors';
import type { ZoomMeetingInput } from './types';

/** The REST client and the token lifecycle against the standalone emulator over real HTTP. */

const zoom = zoomEmulatorForThisFile();

const control = zoom.control;

let counter = 0;

/** A host linked to a fresh emulator user (so tests never collide on invariant 4). */
async function linkedHost(options: { scopes?: string[]; locale?: 'ja' | 'en' } = {}) {
  counter++;
  const db = await getDb();
  const [host] = await db
    .insert(users)
    .values({ email: `host${counter}@example.com`, handle: `host${counter}`, timeZone: 'Asia/Tokyo', locale: options.locale ?? 'en' })
    .returning();
  return { hostId: host!.id, email: host!.email, zoomUserId: await zoom.linkNewZoomUser(host!.id, { scopes: options.scopes }) };
}

/** Makes the stored token look expired to Aki and really expired at Zoom. */
async function expireAccessToken(hostId: string) {
  const db = await getDb();
  await db.update(zoomConnections).set({ accessTokenExpiresAt: new Date(Date.now() - 1000) }).where(eq(zoomConnections.userId, hostId));
  await control('clock', { advanceSeconds: 3600 });
}

const input = (overrides: Partial<ZoomMeetingInput> = {}): ZoomMeetingInput => ({
  topic: 'Intro call with Sato',
  start: new Date('2031-03-15T08:30:00.000Z'),
  durationMinutes: 30,
  timeZone: 'Asia/Tokyo',
  agenda: `Booked with Aki\naki:${crypto.randomUUID()}`,
  ...overrides,
});

beforeEach(async () => {
  await control('faults', {}).catch(() => undefined);
  await fetch(`${zoom.url}/__control/faults`, { method: 'DELETE' });
  await control('clock', { now: null });
  await control('config', { dailyMeetingLimit: 100, listIncludesAgenda: true });
});

describe('meetings', () => {
  it('creates, reads, updates and deletes; ids stay exact int64 strings; start in UTC with Z plus the zone', async () => {
    const { hostId } = await linkedHost();
    const created = await createMeeting(userOAuthSource(hostId), input());
    const stored = zoom.emulator.state.meetings.find((m) => m.uuid === created.uuid)!;
    expect(created.id).toBe(stored.id.toString());
    expect(BigInt(created.id)).toBeGreaterThan(2n ** 53n);
    expect(created.uuid).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(stored.startTime).toBe('2031-03-15T08:30:00Z');
    expect(stored.timezone).toBe('Asia/Tokyo');
    expect(created.startTime).toBe('2031-03-15T08:30:00Z');
    expect(created.joinUrl).toContain(created.id);
    expect(created.durationMinutes).toBe(30);
    const createCall = zoom.emulator.state.calls.find((c) => c.method === 'POST' && c.path === '/v2/users/me/meetings');
    expect(createCall?.status).toBe(201);

    const first = await getMeeting(userOAuthSource(hostId), created.id);
    const second = await getMeeting(userOAuthSource(hostId), created.id);
    expect(first.id).toBe(created.id);
    expect(first.startUrl).toBeTruthy();
    expect(second.startUrl).not.toBe(first.startUrl); // fresh start link on every read

    await updateMeeting(userOAuthSource(hostId), created.id, { start: new Date('2031-03-16T01:00:00Z'), durationMinutes: 45 });
    expect(stored.startTime).toBe('2031-03-16T01:00:00Z');
    expect(stored.duration).toBe(45);
    expect(stored.topic).toBe('Intro call with Sato');
    const patches = zoom.emulator.state.calls.filter((c) => c.method === 'PATCH').length;
    await updateMeeting(userOAuthSource(hostId), created.id, {}); // no-op: no request
    expect(zoom.emulator.state.calls.filter((c) => c.method === 'PATCH').length).toBe(patches);

    await deleteMeeting(userOAuthSource(hostId), created.id);
    expect(stored.deletedAt).not.toBeNull();
    await deleteMeeting(userOAuthSource(hostId), created.id); // already gone (404/3001) = success
    await expect(getMeeting(userOAuthSource(hostId), created.id)).rejects.toMatchObject({ reason: 'not_found', status: 404, providerCode: 3001 });
  });

  it('a host without a link gets not_connected', async () => {
    const db = await getDb();
    const [host] = await db.insert(users).values({ email: 'nolink@example.com' }).returning();
    await expect(createMeeting(userOAuthSource(host!.id), input())).rejects.toMatchObject({ provider: 'zoom', reason: 'not_connected' });
    expect(await getZoomConnectionStatus(host!.id)).toEqual({ state: 'none' });
  });

  it("accepts Zoom's documented create response, which has no uuid", async () => {
    const { hostId } = await linkedHost();
    const documented = {
      id: 85746065432,
      host_id: 'h',
      host_email: 'h@example.com',
      topic: 'Intro call with Sato',
      type: 2,
      status: 'waiting',
      start_time: '2031-03-15T08:30:00Z',
      duration: 30,
      timezone: 'Asia/Tokyo',
      created_at: '2031-03-01T09:12:44Z',
      start_url: 'https://zoom.us/s/85746065432?zak=x',
      join_url: 'https://zoom.us/j/85746065432?pwd=y',
      password: 'a1B2c3',
    };
    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 201, body: documented });
    const created = await createMeeting(userOAuthSource(hostId), input());
    expect(created).toMatchObject({ id: '85746065432', joinUrl: documented.join_url, uuid: undefined });
  });

  it("sends Zoom a zone from Zoom's own list; start_time stays UTC with Z", async () => {
    const { hostId } = await linkedHost();
    const created = await createMeeting(userOAuthSource(hostId), input({ timeZone: 'Asia/Ho_Chi_Minh' }));
    expect(created.timeZone).toBe('Asia/Saigon');
    const body = zoom.emulator.state.calls.filter((c) => c.method === 'POST' && c.path === '/v2/users/me/meetings').at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({ timezone: 'Asia/Saigon', start_time: '2031-03-15T08:30:00Z' });
    expect((await createMeeting(userOAuthSource(hostId), input({ timeZone: 'Asia/Yangon' }))).timeZone).toBe('UTC'); // +06:30: no Zoom entry
  });

  it('missing scope → missing_scope naming it', async () => {
    const { hostId } = await linkedHost({ scopes: ['user:read:user', 'meeting:write:meeting', 'meeting:read:meeting'] });
    const created = await createMeeting(userOAuthSource(hostId), input());
    const error = await deleteMeeting(userOAuthSource(hostId), created.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'zoom', reason: 'missing_scope' });
    expect((error as IntegrationError).scope).toBe('meeting:delete:meeting');
    await expect(updateMeeting(userOAuthSource(hostId), created.id, { topic: 'x' })).rejects.toMatchObject({ scope: 'meeting:update:meeting' });
  });
});

describe('tokens', () => {
  it('refreshes an expired token, rotates the refresh token and commits the new pair', async () => {
    const { hostId } = await linkedHost();
    const db = await getDb();
    const before = (await db.select().from(zoomConnections).where(eq(zoomConnections.userId, hostId)))[0]!;
    const oldRefresh = decryptSecret(before.refreshTokenEnc);
    await expireAccessToken(hostId);
    const refreshesBefore = zoom.emulator.state.stats.refreshes;
    await createMeeting(userOAuthSource(hostId), input());
    expect(zoom.emulator.state.stats.refreshes).toBe(refreshesBefore + 1);
    const after = (await db.select().from(zoomConnections).where(eq(zoomConnections.userId, hostId)))[0]!;
    const newRefresh = decryptSecret(after.refreshTokenEnc);
    expect(newRefresh).not.toBe(oldRefresh);
    expect(after.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    // Zoom rotated: the old refresh token is dead, the stored one is the live one.
    const error = await refreshTokenSet(oldRefresh).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'zoom', reason: 'oauth_refused' });
    expect(error).toMatchObject({ oauthError: 'invalid_grant', oauthReason: 'Invalid Token!' });
    expect(zoom.emulator.state.refreshTokens.find((r) => r.token === newRefresh)?.usedAt).toBeNull();
  });

  it('20 concurrent calls with an expired token → exactly one refresh, all succeed', async () => {
    const { hostId } = await linkedHost();
    const meeting = await createMeeting(userOAuthSource(hostId), input());
    await expireAccessToken(hostId);
    const refreshesBefore = zoom.emulator.state.stats.refreshes;
    const failuresBefore = zoom.emulator.state.stats.refreshFailures;
    const results = await Promise.all(Array.from({ length: 20 }, () => getMeeting(userOAuthSource(hostId), meeting.id)));
    expect(results.every((m) => m.id === meeting.id)).toBe(true);
    expect(zoom.emulator.state.stats.refreshes - refreshesBefore).toBe(1);
    expect(zoom.emulator.state.stats.refreshFailures - failuresBefore).toBe(0);
    expect((await getZoomConnectionStatus(hostId)).state).toBe('active');
  });

  it('the row lock alone lets one of many concurrent refreshers refresh', async () => {
    const { hostId } = await linkedHost();
    const stale = await getZoomAccessToken(hostId);
    const refreshesBefore = zoom.emulator.state.stats.refreshes;
    const failuresBefore = zoom.emulator.state.stats.refreshFailures;
    // Bypass the in-process single flight: each call takes the row lock itself (what separate processes do).
    const tokens = await Promise.all(Array.from({ length: 5 }, () => refreshZoomTokenLocked(hostId, stale)));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(stale);
    expect(zoom.emulator.state.stats.refreshes - refreshesBefore).toBe(1);
    expect(zoom.emulator.state.stats.refreshFailures - failuresBefore).toBe(0);
  });

  it('401/124 on a token Aki thought valid → one refresh and one retry', async () => {
    const { hostId } = await linkedHost();
    const meeting = await createMeeting(userOAuthSource(hostId), input());
    await control('faults', { method: 'GET', path: `/v2/meetings/${meeting.id}`, status: 401, body: { code: 124, message: 'Invalid access token.' } });
    const refreshesBefore = zoom.emulator.state.stats.refreshes;
    expect((await getMeeting(userOAuthSource(hostId), meeting.id)).id).toBe(meeting.id);
    expect(zoom.emulator.state.stats.refreshes - refreshesBefore).toBe(1);
  });

  it('a superseded link (invalid_grant on refresh) → revoked, host mailed once, later calls fail fast', async () => {
    const { hostId, email, zoomUserId } = await linkedHost({ locale: 'ja' });
    // The same Zoom user authorises again elsewhere: Zoom invalidates Aki's token set.
    const db = await getDb();
    const [intruder] = await db.insert(users).values({ email: 'intruder@example.com' }).returning();
    const { consent } = await import('./testing');
    await consent(intruder!.id, 'allow', zoomUserId).then(async ({ location }) => {
      // exchange the code directly (as another app instance would), superseding Aki's set
      const response = await fetch(`${zoom.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('test-client-id:test-client-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: 'http://localhost:3999/api/integrations/zoom/callback', code_verifier: 'unused' }).toString(),
      });
      expect(response.status).toBe(400); // PKCE protects the code: the verifier is sealed in Aki's cookie
    });
    // Revoke Aki's tokens at Zoom the way a newer authorisation does.
    const set = zoom.emulator.state.tokenSets.find((s) => s.userId === zoomUserId && s.revokedAt === null)!;
    set.revokedAt = Date.now();
    set.revokedReason = 'superseded';

    await expireAccessToken(hostId);
    const error = await createMeeting(userOAuthSource(hostId), input()).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'zoom', reason: 'revoked' });
    expect(await getZoomConnectionStatus(hostId)).toMatchObject({ state: 'revoked', reason: 'invalid_grant' });
    const mails = (await readOutbox()).filter((m) => m.to === email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Zoom');
    const calls = zoom.emulator.state.calls.length;
    await expect(getMeeting(userOAuthSource(hostId), '123')).rejects.toMatchObject({ provider: 'zoom', reason: 'revoked' });
    expect(zoom.emulator.state.calls.length).toBe(calls); // no network once revoked
    expect((await readOutbox()).filter((m) => m.to === email)).toHaveLength(1);
  });

  it('a refresh that cannot reach Zoom leaves the link active and is retryable', async () => {
    const { hostId } = await linkedHost();
    await expireAccessToken(hostId);
    await control('faults', { method: 'POST', path: '/oauth/token', status: 503 });
    const error = await createMeeting(userOAuthSource(hostId), input()).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'zoom', reason: 'unavailable' });
    expect((error as IntegrationError).retryable).toBe(true);
    expect((await getZoomConnectionStatus(hostId)).state).toBe('active');
    await createMeeting(userOAuthSource(hostId), input());
  });
});

describe('rate limits and failures', () => {
  it('the 100/day create+update limit → 429 with Retry-After (a date) → daily_limit', async () => {
    const { hostId } = await linkedHost();
    await control('config', { dailyMeetingLimit: 2 });
    const meeting = await createMeeting(userOAuthSource(hostId), input());
    await updateMeeting(userOAuthSource(hostId), meeting.id, { topic: 'Renamed' });
    const error = await createMeeting(userOAuthSource(hostId), input()).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'zoom', reason: 'daily_limit', retryable: true });
    // Zoom sends no Retry-After for this limit: recognised by its code/message, it waits for 00:00 UTC.
    expect((error as IntegrationError).reason).toBe('daily_limit');
    const now = new Date(zoom.emulator.now());
    const untilMidnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime();
    expect(Math.abs((error as IntegrationError).retryAfterMs! - untilMidnight)).toBeLessThan(5000);
    // deletes and reads are not counted
    await getMeeting(userOAuthSource(hostId), meeting.id);
    await deleteMeeting(userOAuthSource(hostId), meeting.id);
    // the next UTC day has a fresh budget
    await control('clock', { advanceMs: untilMidnight + 1000 });
    await createMeeting(userOAuthSource(hostId), input());
  });

  it('429 with Retry-After in seconds', async () => {
    const { hostId } = await linkedHost();
    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 429, headers: { 'Retry-After': '7' }, body: { code: 429, message: 'per-second limit' } });
    const error = await createMeeting(userOAuthSource(hostId), input()).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'zoom', reason: 'rate_limited', retryable: true });
    expect((error as IntegrationError).retryAfterMs).toBe(7000);
  });

  it('a non-JSON 502 → unavailable', async () => {
    const { hostId } = await linkedHost();
    await control('faults', { method: 'GET', path: '/v2/meetings/*', status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
    const error = await getMeeting(userOAuthSource(hostId), '12345').catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'zoom', reason: 'unavailable' });
    expect((error as IntegrationError).ambiguous).toBe(false);
  });

  it('a timed-out create is ambiguous and is reconciled by its agenda marker', async () => {
    const { hostId } = await linkedHost();
    const marker = `aki:${crypto.randomUUID()}`;
    // Zoom is slow but does create the meeting.
    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', delayMs: 1500 });
    const error = await createMeeting(userOAuthSource(hostId), input({ agenda: `Booked with Aki\n${marker}` }), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'zoom', reason: 'unavailable' });
    expect((error as IntegrationError).ambiguous).toBe(true);
    await zoom.settle(); // Zoom finishes the slow create on its side
    await createMeeting(userOAuthSource(hostId), input()); // another meeting, not ours
    const found = await findMeetingByAgenda(userOAuthSource(hostId), marker);
    expect(found?.agenda).toContain(marker);
    expect(found?.startUrl).toBeTruthy();
    expect(zoom.emulator.state.meetings.filter((m) => m.agenda.includes(marker))).toHaveLength(1);
    expect(await findMeetingByAgenda(userOAuthSource(hostId), 'aki:not-there')).toBeNull();
  });

  it('reconciles by GETting candidates when the list has no agenda', async () => {
    const { hostId } = await linkedHost();
    await control('config', { listIncludesAgenda: false });
    const marker = `aki:${crypto.randomUUID()}`;
    await createMeeting(userOAuthSource(hostId), input({ topic: 'Other', start: new Date('2031-05-01T00:00:00Z') }));
    const ours = await createMeeting(userOAuthSource(hostId), input({ topic: 'Ours', start: new Date('2031-05-02T00:00:00Z'), agenda: marker }));
    const gets = () => zoom.emulator.state.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/v2/meetings/')).length;
    const before = gets();
    expect((await findMeetingByAgenda(userOAuthSource(hostId), marker, { topic: 'Ours', start: new Date('2031-05-02T00:00:00Z') }))?.id).toBe(ours.id);
    expect(gets() - before).toBe(1);
    expect((await findMeetingByAgenda(userOAuthSource(hostId), marker))?.id).toBe(ours.id);
  });

  it('a refused connection is not ambiguous', async () => {
    const { hostId } = await linkedHost();
    const { resetEnvCache } = await import('@/lib/env');
    const saved = process.env.ZOOM_API_URL;
    const net = await import('node:net');
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const freePort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    process.env.ZOOM_API_URL = `http://127.0.0.1:${freePort}/v2`;
    resetEnvCache();
    try {
      const error = await createMeeting(userOAuthSource(hostId), input()).catch((e: unknown) => e);
      expect(error).toMatchObject({ provider: 'zoom', reason: 'unavailable' });
      expect((error as IntegrationError).ambiguous).toBe(false);
    } finally {
      process.env.ZOOM_API_URL = saved;
      resetEnvCache();
    }
  });
});
