import { afterAll, describe, expect, it } from 'vitest';
import { POST as cancelRoute } from '@/app/api/public/bookings/[uid]/cancel/route';
import { POST as rescheduleRoute } from '@/app/api/public/bookings/[uid]/reschedule/route';
import { POST as createRoute } from '@/app/api/public/pages/[host]/[page]/bookings/route';
import { GET as icsRoute } from '@/app/api/ics/[token]/route';
import { POST as hostCancelRoute } from '@/app/api/v1/bookings/[uid]/cancel/route';
import { GET as listRoute } from '@/app/api/v1/bookings/route';
import { createApiToken } from '@/lib/api-tokens/mutations';
import { resetEnvCache } from '@/lib/env';
import { drainSteps } from './effects/worker';
import { getIcsFeedUrl } from './ics-feed';
import { resetBookingRateLimits } from './rate-limit';
import { makeHost, makePage, outboxFor, parseIcs, slotStart } from './testing';

/** The HTTP contract of DESIGN §3.2 / §3.3, through the route handlers themselves. */

const APP = 'http://localhost:3999';

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`${APP}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7', ...headers },
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

    const again = await createVia(host.handle!, page.slug, { ...body, email: 'someone-else@example.com' }, { 'Idempotency-Key': 'abc-1' });
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
