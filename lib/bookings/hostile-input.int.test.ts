import { describe, expect, it } from 'vitest';
import { POST as publicCancelRoute } from '@/app/api/public/bookings/[uid]/cancel/route';
import { POST as createRoute } from '@/app/api/public/pages/[host]/[page]/bookings/route';
import { GET as slotsRoute } from '@/app/api/public/pages/[host]/[page]/slots/route';
import { POST as createPageRoute } from '@/app/api/v1/booking-pages/route';
import { PATCH as patchPageRoute } from '@/app/api/v1/booking-pages/[id]/route';
import { POST as hostCancelRoute } from '@/app/api/v1/bookings/[uid]/cancel/route';
import { POST as webhookRoute } from '@/app/api/webhooks/zoom/route';
import { createApiToken } from '@/lib/api-tokens/mutations';
import { getDb } from '@/lib/db/client';
import { webhookEvents } from '@/lib/db/schema/integrations';
import { env } from '@/lib/env';
import { zoomSignature } from '@/lib/zoom/signature';
import { makeHost, makePage, slotStart } from './testing';

/**
 * Hostile input through the real route handlers against the real database: oversized bodies (413
 * before anything buffers them), NUL bytes (Postgres refuses them — never a 500), absurd dates.
 */

const APP = 'http://localhost:3999';
const params = <T>(value: T) => ({ params: Promise.resolve(value) });
type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

/** A body streamed in 64 KB chunks without Content-Length (chunked upload), counting what was pulled. */
function chunkedBody(totalBytes: number) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(64 * 1024, totalBytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
  return { stream, sent: () => sent };
}

const post = (url: string, body: BodyInit, headers: Record<string, string> = {}) =>
  new Request(`${APP}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);

async function errorOf(response: Response) {
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

describe('request bodies are capped before they are read in full', () => {
  it('Zoom webhook: 413 for an unsigned 100 MB body without reading it, and for a validly signed body over 256 KB', async () => {
    const declared = chunkedBody(100 * 1024 * 1024);
    const unsigned = await errorOf(await webhookRoute(post('/api/webhooks/zoom', declared.stream, { 'content-length': String(100 * 1024 * 1024) })));
    expect(unsigned).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(declared.sent()).toBeLessThanOrEqual(64 * 1024);

    const chunked = chunkedBody(100 * 1024 * 1024);
    expect((await webhookRoute(post('/api/webhooks/zoom', chunked.stream))).status).toBe(413);
    expect(chunked.sent()).toBeLessThan(512 * 1024);

    const raw = JSON.stringify({ event: 'meeting.started', event_ts: Date.now(), payload: { object: { id: 'big', pad: 'x'.repeat(300 * 1024) } } });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = await webhookRoute(
      post('/api/webhooks/zoom', raw, { 'x-zm-request-timestamp': timestamp, 'x-zm-signature': zoomSignature(env().zoom.webhookSecretToken, timestamp, raw) }),
    );
    expect(signed.status).toBe(413);
    const db = await getDb();
    expect(await db.select().from(webhookEvents)).toHaveLength(0);
  });

  it('public JSON: 413 past 64 KB; host API: 413 past 1 MB (after auth), bodies under the caps are parsed as before', async () => {
    const host = await makeHost();
    const page = await makePage(host.id);
    const booking = { start: slotStart(3).toISOString(), name: 'Guest', email: 'g@example.com', timeZone: 'UTC' };
    const big = await createRoute(
      post(`/api/public/pages/${host.handle}/${page.slug}/bookings`, JSON.stringify({ ...booking, name: 'x'.repeat(70 * 1024) })),
      params({ host: host.handle!, page: page.slug }),
    );
    expect(await errorOf(big)).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const streamed = chunkedBody(10 * 1024 * 1024);
    const bigStream = await createRoute(post(`/api/public/pages/${host.handle}/${page.slug}/bookings`, streamed.stream), params({ host: host.handle!, page: page.slug }));
    expect(bigStream.status).toBe(413);
    expect(streamed.sent()).toBeLessThan(256 * 1024);

    const { token } = await createApiToken(host.id, 'hostile');
    const auth = { authorization: `Bearer ${token}` };
    const hugePage = JSON.stringify({ slug: 'huge', title: 'Huge', durationMinutes: 30, description: 'x'.repeat(1024 * 1024) });
    expect((await createPageRoute(post('/api/v1/booking-pages', hugePage, auth))).status).toBe(413);
    expect((await patchPageRoute(new Request(`${APP}/api/v1/booking-pages/${page.id}`, { method: 'PATCH', headers: auth, body: hugePage }), params({ id: page.id }))).status).toBe(413);
    const hostCancel = chunkedBody(2 * 1024 * 1024);
    expect((await hostCancelRoute(post('/api/v1/bookings/nope/cancel', hostCancel.stream, auth), params({ uid: 'nope' }))).status).toBe(413);
    // the same large body without a token is a 401: the body is not even read
    expect((await createPageRoute(post('/api/v1/booking-pages', hugePage))).status).toBe(401);
  });
});

describe('NUL bytes and other control characters', () => {
  it('in path segments: 404, never a query', async () => {
    const host = await makeHost();
    const page = await makePage(host.id);
    const slots = await slotsRoute(
      new Request(`${APP}/api/public/pages/${host.handle}/a%00b/slots?from=2030-01-01&to=2030-01-02`),
      params({ host: host.handle!, page: 'a\u0000b' }),
    );
    expect(await errorOf(slots)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const create = await createRoute(post(`/api/public/pages/x/y/bookings`, '{}'), params({ host: '\u0000', page: page.slug }));
    expect(create.status).toBe(404);
    const cancel = await publicCancelRoute(post('/api/public/bookings/x/cancel', JSON.stringify({ token: 't' })), params({ uid: 'bad\u0000uid' }));
    expect(cancel.status).toBe(404);
    const { token } = await createApiToken(host.id, 'nul');
    const patch = await patchPageRoute(
      new Request(`${APP}/api/v1/booking-pages/x`, { method: 'PATCH', headers: { authorization: `Bearer ${token}` }, body: '{}' }),
      params({ id: `${page.id}\u0000` }),
    );
    expect(patch.status).toBe(404);
  });

  it('in guest name, email, answers and cancel reasons, and in page fields: 422 with field errors', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { questions: [{ id: 'topic', label: 'Topic', type: 'multiline', required: false }] });
    const booking = { start: slotStart(5).toISOString(), name: 'Guest\u0000', email: 'g\u0000@example.com', timeZone: 'UTC', answers: { topic: 'a\u0000b' } };
    const created = await errorOf(await createRoute(post(`/api/public/pages/${host.handle}/${page.slug}/bookings`, JSON.stringify(booking)), params({ host: host.handle!, page: page.slug })));
    expect(created.status).toBe(422);
    expect(created.body.error.code).toBe('invalid_input');
    expect(Object.keys(created.body.error.fields ?? {}).sort()).toEqual(['answers.topic', 'email', 'name']);

    const { token } = await createApiToken(host.id, 'nul-page');
    const auth = { authorization: `Bearer ${token}` };
    const newPage = await errorOf(
      await createPageRoute(post('/api/v1/booking-pages', JSON.stringify({ slug: 'nul', title: 'T\u0000', description: 'd\u0000', durationMinutes: 30 }), auth)),
    );
    expect(newPage).toMatchObject({ status: 422, body: { error: { code: 'invalid_input' } } });
    expect(Object.keys(newPage.body.error.fields ?? {}).sort()).toEqual(['description', 'title']);

    const good = await createRoute(
      post(`/api/public/pages/${host.handle}/${page.slug}/bookings`, JSON.stringify({ ...booking, name: 'Guest', email: 'g@example.com', answers: {} })),
      params({ host: host.handle!, page: page.slug }),
    );
    expect(good.status).toBe(201);
    const { booking: made } = (await good.json()) as { booking: { uid: string } };
    const reason = await hostCancelRoute(post(`/api/v1/bookings/${made.uid}/cancel`, JSON.stringify({ reason: 'no\u0000' }), auth), params({ uid: made.uid }));
    expect(reason.status).toBe(422);
  });
});

describe('slot dates', () => {
  it('400 for dates date-fns cannot handle or that are not real, never a 500', async () => {
    const host = await makeHost();
    const page = await makePage(host.id);
    const slots = (from: string, to: string) =>
      slotsRoute(new Request(`${APP}/api/public/pages/${host.handle}/${page.slug}/slots?from=${from}&to=${to}`), params({ host: host.handle!, page: page.slug }));
    for (const [from, to, field, code] of [
      ['9999-12-31', '9999-12-31', 'from', 'date_range'],
      ['0000-01-01', '0000-01-02', 'from', 'date_format'],
      ['1999-12-31', '2000-01-01', 'from', 'date_range'],
      ['2026-02-30', '2026-03-01', 'from', 'date_format'],
      ['2099-12-01', '2101-01-01', 'to', 'date_range'],
    ] as const) {
      const answer = await errorOf(await slots(from, to));
      expect(answer.status, from).toBe(400);
      expect(answer.body.error.code).toBe('invalid_parameter');
      expect(answer.body.error.fields?.[field], from).toBe(code);
    }
    expect((await slots('2100-12-01', '2100-12-31')).status).toBe(200);
  });
});
