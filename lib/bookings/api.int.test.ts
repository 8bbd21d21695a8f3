import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GET as confirmationIcsRoute } from '@/app/[host]/[page]/booked/[uid]/ics/route';
import { POST as cancelRoute } from '@/app/api/public/bookings/[uid]/cancel/route';
import { POST as rescheduleRoute } from '@/app/api/public/bookings/[uid]/reschedule/route';
import { POST as createRoute } from '@/app/api/public/pages/[host]/[page]/bookings/route';
import { GET as icsRoute } from '@/app/api/ics/[token]/route';
import { POST as hostCancelRoute } from '@/app/api/v1/bookings/[uid]/cancel/route';
import { GET as listRoute } from '@/app/api/v1/bookings/route';
import { eq } from 'drizzle-orm';
import { createApiToken } from '@/lib/api-tokens/mutations';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { stampPeer } from '@/lib/client-address';
import { resetEnvCache } from '@/lib/env';
import { clientIp } from '@/lib/http';
import { drainSteps } from './effects/worker';
import { getIcsFeedUrl } from './ics-feed';
import { resetBookingRateLimits } from './rate-limit';
import { makeHost, makePage, outboxFor, parseIcs, slotStart } from './testing';

/** The HTTP contract of docs/api.md, through the route handlers themselves. */

const APP = 'http://localhost:3999';

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`${APP}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * A request as `next start` hands it to a route once instrumentation.ts installed the peer stamp: the
 * socket address appended to whatever X-Forwarded-For the sender wrote.
 */
function fromSocket(socket: string, url: string, body: unknown, headers: Record<string, string> = {}) {
  const stamped: Record<string, string | string[] | undefined> = { 'content-type': 'application/json', ...headers };
  stampPeer(stamped, socket);
  return new Request(`${APP}${url}`, {
    method: 'POST',
    headers: stamped as Record<string, string>,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const params = <T>(value: T) => ({ params: Promise.resolve(value) });

async function createVia(handle: string, slug: string, body: unknown, headers: Record<string, string> = {}) {
  return createRoute(post(`/api/public/pages/${handle}/${slug}/bookings`, body, headers), params({ host: handle, page: slug }));
}

afterAll(() => {
  process.env.AKI_RATE_LIMIT = '0';
  resetEnvCache();
  resetBookingRateLimits();
});

describe('POST /api/public/pages/{host}/{page}/bookings', () => {
  it('201 with the booking, same booking for the same Idempotency-Key, 409 for a taken slot, 422 with fields', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'in_person', address: '1-1 Chiyoda' } });
    const body = { start: slotStart(5).toISOString(), name: 'Api Guest', email: 'api@example.com', timeZone: 'Asia/Tokyo', locale: 'ja' };
    const first = await createVia(host.handle!, page.slug, body, { 'Idempotency-Key': 'abc-1' });
    expect(first.status).toBe(201);
    const created = (await first.json()) as { booking: { uid: string; status: string; meeting: unknown; manageUrl: string; start: string; end: string } };
    expect(created.booking).toMatchObject({ status: 'confirmed', meeting: null, start: body.start });
    expect(Object.keys(created.booking).sort()).toEqual(['end', 'manageUrl', 'meeting', 'start', 'status', 'uid']);

    const again = await createVia(host.handle!, page.slug, body, { 'Idempotency-Key': 'abc-1' });
    expect(again.status).toBe(201);
    expect(((await again.json()) as typeof created).booking.uid).toBe(created.booking.uid);

    const taken = await createVia(host.handle!, page.slug, { ...body, email: 'b@example.com' });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: { code: string } }).error.code).toBe('slot_unavailable');

    const invalid = await createVia(host.handle!, page.slug, { ...body, email: 'nope', start: '2030-01-01 10:00' });
    expect(invalid.status).toBe(422);
    const invalidBody = (await invalid.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(invalidBody.error.code).toBe('invalid_input');
    expect(Object.keys(invalidBody.error.fields).sort()).toEqual(['email', 'start']);

    const wrongTypes = await createVia(host.handle!, page.slug, { ...body, name: 42, answers: 'x' });
    expect(wrongTypes.status).toBe(422);
    const notJson = await createVia(host.handle!, page.slug, '{oops');
    expect(notJson.status).toBe(422);
    const unknown = await createVia(host.handle!, 'missing-page', body);
    expect(unknown.status).toBe(404);
  });

  it("mails each side in the clock they chose: the guest's from the request, the host's from settings (issue 14)", async () => {
    const db = await getDb();
    const host = await makeHost({ locale: 'en', timeZone: 'Asia/Tokyo' });
    await db.update(users).set({ hour12: false }).where(eq(users.id, host.id));
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const start = slotStart(40);
    const twelve = await createVia(host.handle!, page.slug, { start: start.toISOString(), name: 'Clock', email: 'clock@example.com', timeZone: 'America/New_York', hour12: true });
    expect(twelve.status).toBe(201);
    await drainSteps();
    const [guestMail] = await outboxFor('clock@example.com');
    const [hostMail] = await outboxFor(host.email);
    const clock = (zone: string, hour12: boolean) =>
      new Intl.DateTimeFormat('en-US', { timeZone: zone, ...(hour12 ? { hour: 'numeric', hourCycle: 'h12' } : { hour: '2-digit', hourCycle: 'h23' }), minute: '2-digit' }).format(start);
    expect(guestMail!.subject).toContain(clock('America/New_York', true));
    expect(guestMail!.subject).toMatch(/[AP]M/);
    expect(hostMail!.subject).toContain(clock('Asia/Tokyo', false));
    expect(hostMail!.subject).not.toMatch(/[AP]M/);
    expect((await createVia(host.handle!, page.slug, { start: slotStart(42).toISOString(), name: 'C', email: 'c2@example.com', timeZone: 'UTC', hour12: 'yes' })).status).toBe(422);
  });

  it('429 with Retry-After once a client exceeds AKI_RATE_LIMIT', async () => {
    process.env.AKI_RATE_LIMIT = '2';
    resetEnvCache();
    resetBookingRateLimits();
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res = await createVia(host.handle!, page.slug, { start: slotStart(60 + i * 2).toISOString(), name: 'R', email: `r${i}@example.com`, timeZone: 'UTC' });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([201, 201, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another client is not limited by the first one.
    const other = await createVia(host.handle!, page.slug, { start: slotStart(70).toISOString(), name: 'R', email: 'r9@example.com', timeZone: 'UTC' }, { 'x-forwarded-for': '203.0.113.9' });
    expect(other.status).toBe(201);
    process.env.AKI_RATE_LIMIT = '0';
    resetEnvCache();
    resetBookingRateLimits();
  });
});

describe('Idempotency-Key and repeats never hand a booking to another request', () => {
  it('binds the key to the request body: another body → 422 idempotency_key_reused without the booking; the same body → the same booking', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const body = { start: slotStart(10).toISOString(), name: 'Key Owner', email: 'owner@example.com', timeZone: 'Asia/Tokyo', locale: 'en' };
    const first = await createVia(host.handle!, page.slug, body, { 'Idempotency-Key': 'bound-1' });
    expect(first.status).toBe(201);
    const created = (await first.json()) as { booking: { uid: string; manageUrl: string } };

    const changes = [{ email: 'attacker@example.com' }, { name: 'Someone Else' }, { start: slotStart(12).toISOString() }, { timeZone: 'Europe/Paris' }];
    for (const change of changes) {
      const reused = await createVia(host.handle!, page.slug, { ...body, ...change }, { 'Idempotency-Key': 'bound-1' });
      expect(reused.status).toBe(422);
      const text = await reused.text();
      expect(JSON.parse(text).error.code).toBe('idempotency_key_reused');
      expect(text).not.toContain(created.booking.uid);
      expect(text).not.toContain('token');
    }
    // The reused key with another start booked nothing: that slot is still free for someone else.
    const other = await createVia(host.handle!, page.slug, { ...body, email: 'other@example.com', start: slotStart(12).toISOString() });
    expect(other.status).toBe(201);

    const replay = await createVia(host.handle!, page.slug, body, { 'Idempotency-Key': 'bound-1' });
    expect(replay.status).toBe(201);
    expect(((await replay.json()) as typeof created).booking).toEqual(created.booking);
  });

  it('a repeat without a key within two minutes returns the booking only to the same guest (same email), never its manage link to another', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const body = { start: slotStart(14).toISOString(), name: 'Twice', email: 'twice@example.com', timeZone: 'UTC' };
    const first = (await (await createVia(host.handle!, page.slug, body)).json()) as { booking: { uid: string; manageUrl: string } };
    const repeat = await createVia(host.handle!, page.slug, body);
    expect(repeat.status).toBe(201);
    expect(((await repeat.json()) as typeof first).booking.uid).toBe(first.booking.uid);
    for (const email of ['twice@example.org', 'twice+x@example.com', 'someone@example.com']) {
      const stranger = await createVia(host.handle!, page.slug, { ...body, email });
      expect(stranger.status).toBe(409);
      expect(await stranger.text()).not.toContain(first.booking.uid);
    }
  });
});

describe('rate limits: the client is the socket (or what our proxy saw), junk never spends the page', () => {
  const limit = (perMinute: number) => {
    process.env.AKI_RATE_LIMIT = String(perMinute);
    resetEnvCache();
    resetBookingRateLimits();
  };
  afterEach(() => {
    delete process.env.TRUST_PROXY;
    limit(0);
  });
  const booking = (i: number, email = `rl${i}@example.com`) => ({ start: slotStart(100 + i * 2).toISOString(), name: 'Rate', email, timeZone: 'UTC' });
  /** A fresh phone page: its booking route's URL and route params. */
  const phonePageRoute = async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    return { url: `/api/public/pages/${host.handle}/${page.slug}/bookings`, to: params({ host: host.handle!, page: page.slug }) };
  };

  it('with TRUST_PROXY=0 a spoofed X-Forwarded-For neither escapes the per-client limit nor spends another client’s', async () => {
    limit(2);
    const { url, to } = await phonePageRoute();
    const statuses: number[] = [];
    // The attacker at 192.0.2.66 claims another address every time, first the victim's.
    for (const [i, claimed] of ['198.51.100.20', '10.1.1.1', '10.2.2.2', '10.3.3.3'].entries()) {
      statuses.push((await createRoute(fromSocket('192.0.2.66', url, booking(i), { 'x-forwarded-for': claimed }), to)).status);
    }
    expect(statuses).toEqual([201, 201, 429, 429]);
    // The victim still has its whole allowance.
    expect((await createRoute(fromSocket('198.51.100.20', url, booking(10)), to)).status).toBe(201);
    expect((await createRoute(fromSocket('198.51.100.20', url, booking(11)), to)).status).toBe(201);
  });

  it('the guest server actions see the same client as the routes (headers() is a HeadersAdapter)', async () => {
    const { HeadersAdapter } = await import('next/dist/server/web/spec-extension/adapters/headers');
    const request = fromSocket('192.0.2.77', '/x', {}, { 'x-forwarded-for': '10.6.6.6' });
    const nodeHeaders: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      nodeHeaders[name] = value;
    });
    expect(clientIp(request)).toBe('192.0.2.77');
    expect(clientIp(new HeadersAdapter(nodeHeaders))).toBe('192.0.2.77');
  });

  it('with TRUST_PROXY=1 the address our proxy appended is the client; what the client wrote before it is ignored', async () => {
    process.env.TRUST_PROXY = '1';
    limit(2);
    const { url, to } = await phonePageRoute();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      // The proxy (10.0.0.1) appends the client it saw, 203.0.113.5, to the client's own claim.
      statuses.push((await createRoute(fromSocket('10.0.0.1', url, booking(i), { 'x-forwarded-for': `6.6.6.${i}, 203.0.113.5` }), to)).status);
    }
    expect(statuses).toEqual([201, 201, 429]);
    expect((await createRoute(fromSocket('10.0.0.1', url, booking(5), { 'x-forwarded-for': '203.0.113.6' }), to)).status).toBe(201);
  });

  it('200 junk requests (bad JSON, bad fields, unknown and taken slots, spoofed addresses) do not make a legitimate new guest get 429', async () => {
    limit(2);
    const { url, to } = await phonePageRoute();
    const taken = booking(0, 'first@example.com');
    expect((await createRoute(fromSocket('192.0.2.1', url, taken), to)).status).toBe(201);
    const outside = new Date(slotStart(0).getTime() + 7 * 60_000).toISOString();
    const junk = [
      '{oops',
      { ...taken, email: 'not-an-email' },
      { ...taken, start: outside, email: 'j@example.com' },
      { ...taken, email: 'j@example.com' },
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      // A botnet: 50 sockets, each also claiming random addresses.
      const socket = `192.0.2.${10 + (i % 50)}`;
      const res = await createRoute(fromSocket(socket, url, junk[i % junk.length], { 'x-forwarded-for': `10.9.${i}.1` }), to);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect(statuses.get(201)).toBeUndefined();
    expect(statuses.get(429)).toBe(100);
    const legit = await createRoute(fromSocket('198.51.100.99', url, booking(20, 'legit@example.com')), to);
    expect(legit.status).toBe(201);
  });
});

describe('confirmation page .ics', () => {
  it('needs the manage token: 404 without it or with a wrong one, the guest copy with it', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const res = await createVia(host.handle!, page.slug, { start: slotStart(50).toISOString(), name: 'Ics Guest', email: 'ics-guest@example.com', timeZone: 'UTC' });
    const { booking } = (await res.json()) as { booking: { uid: string; manageUrl: string } };
    const token = new URL(booking.manageUrl).searchParams.get('token')!;
    const ics = (query: string) =>
      confirmationIcsRoute(new Request(`${APP}/${host.handle}/${page.slug}/booked/${booking.uid}/ics${query}`), params({ host: host.handle!, page: page.slug, uid: booking.uid }));
    for (const query of ['', '?token=', '?token=wrong', `?token=${token.slice(0, -1)}`]) {
      const refused = await ics(query);
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain('ics-guest@example.com');
    }
    const ok = await ics(`?token=${encodeURIComponent(token)}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/calendar');
    expect(await ok.text()).toContain('BEGIN:VCALENDAR');
  });
});

describe('manage endpoints and the host API', () => {
  it('reschedule and cancel with the manage token; the v1 API lists and cancels with a Bearer token', async () => {
    const host = await makeHost();
    const stranger = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const res = await createVia(host.handle!, page.slug, { start: slotStart(30).toISOString(), name: 'M', email: 'm@example.com', timeZone: 'UTC' });
    const { booking } = (await res.json()) as { booking: { uid: string; manageUrl: string } };
    const token = new URL(booking.manageUrl).searchParams.get('token')!;
    await drainSteps();

    const wrong = await rescheduleRoute(post(`/api/public/bookings/${booking.uid}/reschedule`, { token: 'x', start: slotStart(32).toISOString() }), params({ uid: booking.uid }));
    expect(wrong.status).toBe(404);
    const moved = await rescheduleRoute(post(`/api/public/bookings/${booking.uid}/reschedule`, { token, start: slotStart(32).toISOString() }), params({ uid: booking.uid }));
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { booking: { start: string } }).booking.start).toBe(slotStart(32).toISOString());
    await drainSteps();

    const { token: apiToken } = await createApiToken(host.id, 'test');
    const { token: strangerToken } = await createApiToken(stranger.id, 'test');
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    const list = await listRoute(new Request(`${APP}/api/v1/bookings?status=confirmed`, { headers: auth(apiToken) }));
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { bookings: { uid: string; start: string; guestEmail: string }[] };
    expect(listed.bookings.map((b) => b.uid)).toEqual([booking.uid]);
    expect(((await (await listRoute(new Request(`${APP}/api/v1/bookings`, { headers: auth(strangerToken) }))).json()) as { bookings: unknown[] }).bookings).toEqual([]);
    expect((await listRoute(new Request(`${APP}/api/v1/bookings`))).status).toBe(401);
    expect((await listRoute(new Request(`${APP}/api/v1/bookings?from=yesterday`, { headers: auth(apiToken) }))).status).toBe(422);

    const notMine = await hostCancelRoute(post(`/api/v1/bookings/${booking.uid}/cancel`, {}, auth(strangerToken)), params({ uid: booking.uid }));
    expect(notMine.status).toBe(404);

    const cancelled = await cancelRoute(post(`/api/public/bookings/${booking.uid}/cancel`, { token, reason: 'bye' }), params({ uid: booking.uid }));
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { booking: { status: string } }).booking.status).toBe('cancelled');
    const hostCancelAgain = await hostCancelRoute(post(`/api/v1/bookings/${booking.uid}/cancel`, { reason: 'dup' }, auth(apiToken)), params({ uid: booking.uid }));
    expect(hostCancelAgain.status).toBe(200);
    await drainSteps();
    const guestMails = await outboxFor('m@example.com');
    expect(guestMails.map((m) => m.subject.split(':')[0])).toEqual(['Cancelled', 'Rescheduled', 'Confirmed']);
  });

  it('serves the private ICS feed as text/calendar and 404s a wrong token', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    await createVia(host.handle!, page.slug, { start: slotStart(40).toISOString(), name: 'Feed', email: 'feed@example.com', timeZone: 'UTC' });
    const url = await getIcsFeedUrl(host.id);
    const token = url.split('/api/ics/')[1]!;
    const ok = await icsRoute(new Request(url), params({ token }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(parseIcs(await ok.text()).events).toHaveLength(1);
    const bad = await icsRoute(new Request(url), params({ token: `${host.id}.nope.ics` }));
    expect(bad.status).toBe(404);
  });
});
