import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import * as collection from '@/app/api/v1/webhooks/route';
import * as redeliverRoute from '@/app/api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver/route';
import * as deliveriesRoute from '@/app/api/v1/webhooks/[id]/deliveries/route';
import * as rollRoute from '@/app/api/v1/webhooks/[id]/roll-secret/route';
import * as item from '@/app/api/v1/webhooks/[id]/route';
import * as testRoute from '@/app/api/v1/webhooks/[id]/test/route';
import { createApiToken } from '@/lib/api-tokens/mutations';
import { decryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { webhookDeliveries, webhookSubscriptions } from '@/lib/db/schema/webhooks';
import { WEBHOOK_EVENT_TYPES } from './events';
import { listWebhookSubscriptions } from './queries';
import { MAX_WEBHOOKS_PER_HOST } from './schema';

/** Webhook subscriptions through the real v1 route handlers against the real database. */

async function makeHost(handle: string) {
  const db = await getDb();
  const [host] = await db.insert(users).values({ email: `${handle}@example.com`, handle, timeZone: 'Asia/Tokyo', name: handle }).returning();
  const { token } = await createApiToken(host!.id, 'test');
  return { id: host!.id, token };
}

const BASE = 'http://localhost/api/v1/webhooks';
const req = (method: string, token: string | null, body?: unknown, url = BASE) =>
  new Request(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const deliveryCtx = (id: string, deliveryId: string) => ({ params: Promise.resolve({ id, deliveryId }) });

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };
type Hook = { id: string; url: string; events: string[]; description: string; status: string; disabledReason: string | null; createdAt: string; secret?: string };

async function create(token: string, body: unknown = { url: 'https://example.com/hooks', events: ['booking.created'] }) {
  const response = await collection.POST(req('POST', token, body));
  return { response, json: (await response.json()) as { webhook: Hook } & ErrorBody };
}

async function insertDeliveries(subscriptionId: string, count: number): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .insert(webhookDeliveries)
    .values(
      Array.from({ length: count }, (_, i) => ({
        subscriptionId,
        messageId: `msg_${subscriptionId.slice(0, 8)}_${i}`,
        eventType: 'booking.created',
        payload: { type: 'booking.created', timestamp: new Date().toISOString(), data: { n: i } },
        status: i % 2 === 0 ? ('delivered' as const) : ('failed' as const),
        attempts: 1,
        responseStatus: i % 2 === 0 ? 200 : 500,
        responseBody: i % 2 === 0 ? 'ok' : 'boom',
      })),
    )
    .returning({ id: webhookDeliveries.id });
  return rows.map((r) => r.id);
}

describe('webhook subscriptions API', () => {
  it('creates, lists, reads, edits and deletes; the secret only on create and roll', async () => {
    const host = await makeHost('wh-crud');
    const { response, json } = await create(host.token, {
      url: ' https://example.com/hooks?x=1 ',
      events: ['booking.cancelled', 'booking.created', 'booking.created'],
      description: '  CRM  ',
    });
    expect(response.status, JSON.stringify(json)).toBe(201);
    const hook = json.webhook;
    expect(response.headers.get('location')).toBe(`/api/v1/webhooks/${hook.id}`);
    expect(hook).toMatchObject({
      url: 'https://example.com/hooks?x=1',
      events: ['booking.created', 'booking.cancelled'],
      description: 'CRM',
      status: 'active',
      disabledReason: null,
    });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // The Standard Webhooks library accepts it and it signs/verifies.
    const wh = new Webhook(hook.secret!);
    const at = new Date();
    const signature = wh.sign('msg_1', at, '{"a":1}');
    expect(wh.verify('{"a":1}', { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature })).toEqual({ a: 1 });

    // Stored encrypted, never in clear.
    const db = await getDb();
    const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, hook.id));
    expect(row!.secretEnc).not.toContain(hook.secret!.slice(6, 20));
    expect(decryptSecret(row!.secretEnc)).toBe(hook.secret);

    const list = (await (await collection.GET(req('GET', host.token))).json()) as { webhooks: Hook[] };
    const { secret: _secret, ...withoutSecret } = hook;
    expect(list.webhooks).toEqual([withoutSecret]);
    expect(JSON.stringify(list)).not.toContain('whsec_');

    const got = await item.GET(req('GET', host.token), ctx(hook.id));
    expect(got.status).toBe(200);
    const gotJson = (await got.json()) as { webhook: Hook };
    expect(gotJson.webhook).not.toHaveProperty('secret');
    expect(gotJson.webhook.url).toBe(hook.url);

    const patched = await item.PATCH(req('PATCH', host.token, { url: 'http://example.org/in', events: [...WEBHOOK_EVENT_TYPES], description: '' }), ctx(hook.id));
    expect(patched.status).toBe(200);
    const patchedJson = (await patched.json()) as { webhook: Hook };
    expect(patchedJson.webhook).toMatchObject({ url: 'http://example.org/in', events: [...WEBHOOK_EVENT_TYPES], description: '' });
    expect(patchedJson.webhook).not.toHaveProperty('secret');

    const rolled = await rollRoute.POST(req('POST', host.token), ctx(hook.id));
    expect(rolled.status).toBe(200);
    const { secret } = (await rolled.json()) as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(hook.secret);
    const [rolledRow] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, hook.id));
    expect(decryptSecret(rolledRow!.secretEnc)).toBe(secret);

    expect((await item.DELETE(req('DELETE', host.token), ctx(hook.id))).status).toBe(204);
    expect((await item.GET(req('GET', host.token), ctx(hook.id))).status).toBe(404);
    expect((await item.DELETE(req('DELETE', host.token), ctx(hook.id))).status).toBe(404);
  });

  it('disabling records the host; enabling clears the reason and the failure streak', async () => {
    const host = await makeHost('wh-status');
    const { json } = await create(host.token);
    const id = json.webhook.id;
    const off = (await (await item.PATCH(req('PATCH', host.token, { status: 'disabled' }), ctx(id))).json()) as { webhook: Hook };
    expect(off.webhook).toMatchObject({ status: 'disabled', disabledReason: 'host' });

    // Disabled by the engine for failing: enabling clears that too.
    const db = await getDb();
    const since = new Date(Date.now() - 4 * 86_400_000);
    await db.update(webhookSubscriptions).set({ disabledReason: 'failing', failingSince: since }).where(eq(webhookSubscriptions.id, id));
    const stillOff = (await (await item.PATCH(req('PATCH', host.token, { status: 'disabled' }), ctx(id))).json()) as { webhook: Hook };
    expect(stillOff.webhook.disabledReason).toBe('failing');
    const on = (await (await item.PATCH(req('PATCH', host.token, { status: 'active' }), ctx(id))).json()) as { webhook: Hook };
    expect(on.webhook).toMatchObject({ status: 'active', disabledReason: null });
    const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
    expect(row!.failingSince).toBeNull();
    expect(row!.disabledAt).toBeNull();

    // An active subscription keeps its failure streak when "enabled" again.
    await db.update(webhookSubscriptions).set({ failingSince: since }).where(eq(webhookSubscriptions.id, id));
    await item.PATCH(req('PATCH', host.token, { status: 'active' }), ctx(id));
    const [again] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
    expect(again!.failingSince?.getTime()).toBe(since.getTime());
  });

  it('answers 422 with field errors for bad input', async () => {
    const host = await makeHost('wh-invalid');
    const cases: [unknown, Record<string, string>][] = [
      [{ events: ['booking.created'] }, { url: 'required' }],
      [{ url: 'ftp://example.com/x', events: ['booking.created'] }, { url: 'unsupported_scheme' }],
      [{ url: 'not a url', events: ['booking.created'] }, { url: 'invalid_url' }],
      [{ url: `https://example.com/${'a'.repeat(2000)}`, events: ['booking.created'] }, { url: 'too_long' }],
      [{ url: 'https://user:pw@example.com/', events: ['booking.created'] }, { url: 'credentials_in_url' }],
      [{ url: 'http://127.0.0.1:8080/', events: ['booking.created'] }, { url: 'private_address' }],
      [{ url: 'http://[::1]/', events: ['booking.created'] }, { url: 'private_address' }],
      [{ url: 'http://10.1.2.3/', events: ['booking.created'] }, { url: 'private_address' }],
      [{ url: 'http://169.254.169.254/latest', events: ['booking.created'] }, { url: 'private_address' }],
      [{ url: 'http://localhost:3000/', events: ['booking.created'] }, { url: 'private_address' }],
      [{ url: 'http://[::ffff:127.0.0.1]/', events: ['booking.created'] }, { url: 'private_address' }],
      [{ url: 'http://0.0.0.0/', events: ['booking.created'] }, { url: 'private_address' }],
      [{ url: 'http://hooks.localhost/', events: ['booking.created'] }, { url: 'private_address' }],
      [{ url: 'https://example.com/' }, { events: 'required' }],
      [{ url: 'https://example.com/', events: [] }, { events: 'required' }],
      [{ url: 'https://example.com/', events: 'booking.created' }, { events: 'required' }],
      [{ url: 'https://example.com/', events: ['booking.created', 'booking.exploded'] }, { 'events.1': 'unknown_event' }],
      [{ url: 'https://example.com/', events: ['booking.created'], description: 'x'.repeat(201) }, { description: 'too_long' }],
      [{ url: 'https://example.com/', events: ['booking.created'], description: 'a\u0000b' }, { description: 'control_characters' }],
      [[], { _: 'expected_object' }],
    ];
    for (const [body, fields] of cases) {
      const { response, json } = await create(host.token, body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(json.error.code).toBe('invalid_input');
      expect(json.error.fields).toMatchObject(fields);
    }
    // The unknown type is named.
    const { json } = await create(host.token, { url: 'https://example.com/', events: ['booking.exploded'] });
    expect(json.error.message).toContain('booking.exploded');
    // Malformed JSON is a 422 too.
    expect((await collection.POST(req('POST', host.token, '{"url":'))).status).toBe(422);
    expect((await (await collection.GET(req('GET', host.token))).json()) as { webhooks: Hook[] }).toEqual({ webhooks: [] });

    const { json: ok } = await create(host.token);
    const id = ok.webhook.id;
    for (const [body, fields] of [
      [{ status: 'paused' }, { status: 'invalid_status' }],
      [{ url: 'javascript:alert(1)' }, { url: 'unsupported_scheme' }],
      [{ events: [] }, { events: 'required' }],
    ] as const) {
      const response = await item.PATCH(req('PATCH', host.token, body), ctx(id));
      expect(response.status).toBe(422);
      expect(((await response.json()) as ErrorBody).error.fields).toMatchObject(fields);
    }
  });

  it('refuses a token-less request and more than the limit of subscriptions', async () => {
    expect((await collection.GET(req('GET', null))).status).toBe(401);
    const host = await makeHost('wh-limit');
    for (let i = 0; i < MAX_WEBHOOKS_PER_HOST; i++) {
      expect((await create(host.token, { url: `https://example.com/${i}`, events: ['booking.created'] })).response.status).toBe(201);
    }
    const { response, json } = await create(host.token);
    expect(response.status).toBe(422);
    expect(json.error.fields).toEqual({ _: 'too_many_webhooks' });
    // The limit is per host.
    const other = await makeHost('wh-limit-2');
    expect((await create(other.token)).response.status).toBe(201);
  });

  it('pages the delivery log newest first', async () => {
    const host = await makeHost('wh-log');
    const { json } = await create(host.token);
    const id = json.webhook.id;
    const ids = await insertDeliveries(id, 5);
    const first = await deliveriesRoute.GET(req('GET', host.token, undefined, `${BASE}/${id}/deliveries?limit=2`), ctx(id));
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { deliveries: { id: number; status: string; responseStatus: number; payload: unknown; nextAttemptAt: string | null }[]; nextBefore: number };
    expect(page1.deliveries.map((d) => d.id)).toEqual([ids[4], ids[3]]);
    expect(page1.deliveries[0]).toMatchObject({ status: 'delivered', responseStatus: 200, nextAttemptAt: null, payload: { data: { n: 4 } } });
    const rest = (await (
      await deliveriesRoute.GET(req('GET', host.token, undefined, `${BASE}/${id}/deliveries?limit=2&before=${page1.nextBefore}`), ctx(id))
    ).json()) as { deliveries: { id: number }[]; nextBefore: number };
    expect(rest.deliveries.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    const last = (await (
      await deliveriesRoute.GET(req('GET', host.token, undefined, `${BASE}/${id}/deliveries?before=${rest.nextBefore}`), ctx(id))
    ).json()) as { deliveries: { id: number }[]; nextBefore: number | null };
    expect(last).toMatchObject({ deliveries: [{ id: ids[0] }], nextBefore: null });

    // The list shows each subscription's newest delivery.
    const [listed] = await listWebhookSubscriptions(host.id);
    expect(listed!.lastDelivery).toMatchObject({ status: 'delivered', responseStatus: 200 });

    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'before=-1', 'before=x']) {
      const bad = await deliveriesRoute.GET(req('GET', host.token, undefined, `${BASE}/${id}/deliveries?${query}`), ctx(id));
      expect(bad.status, query).toBe(400);
    }
  });

  it("answers 404 for another host's subscription and deliveries on every route", async () => {
    const owner = await makeHost('wh-owner');
    const stranger = await makeHost('wh-stranger');
    const { json } = await create(owner.token);
    const id = json.webhook.id;
    const [deliveryId] = await insertDeliveries(id, 1);
    const { json: strangerJson } = await create(stranger.token);
    const strangerHook = strangerJson.webhook.id;

    const attempts: [string, Promise<Response>][] = [
      ['GET', item.GET(req('GET', stranger.token), ctx(id))],
      ['PATCH', item.PATCH(req('PATCH', stranger.token, { description: 'mine now' }), ctx(id))],
      ['PATCH invalid', item.PATCH(req('PATCH', stranger.token, { events: [] }), ctx(id))],
      ['DELETE', item.DELETE(req('DELETE', stranger.token), ctx(id))],
      ['roll', rollRoute.POST(req('POST', stranger.token), ctx(id))],
      ['deliveries', deliveriesRoute.GET(req('GET', stranger.token, undefined, `${BASE}/${id}/deliveries`), ctx(id))],
      ['test', testRoute.POST(req('POST', stranger.token), ctx(id))],
      ['redeliver', redeliverRoute.POST(req('POST', stranger.token), deliveryCtx(id, String(deliveryId)))],
      // The stranger's own subscription id with the owner's delivery: still not theirs.
      ['redeliver via own id', redeliverRoute.POST(req('POST', stranger.token), deliveryCtx(strangerHook, String(deliveryId)))],
      // The owner naming the delivery under the wrong subscription, or a delivery id that cannot be one.
      ['redeliver wrong parent', redeliverRoute.POST(req('POST', owner.token), deliveryCtx(strangerHook, String(deliveryId)))],
      ['redeliver bad id', redeliverRoute.POST(req('POST', owner.token), deliveryCtx(id, 'abc'))],
      ['unknown id', item.GET(req('GET', owner.token), ctx('00000000-0000-0000-0000-000000000000'))],
      ['NUL id', item.GET(req('GET', owner.token), ctx('a\u0000b'))],
    ];
    for (const [name, attempt] of attempts) {
      const response = await attempt;
      expect(response.status, name).toBe(404);
      expect(((await response.json()) as ErrorBody).error.code, name).toBe('not_found');
    }
    // Nothing changed for the owner.
    const db = await getDb();
    const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
    expect(row!.description).toBe('');
    expect(decryptSecret(row!.secretEnc)).toBe(json.webhook.secret);
    const list = (await (await collection.GET(req('GET', stranger.token))).json()) as { webhooks: Hook[] };
    expect(list.webhooks.map((w) => w.id)).toEqual([strangerHook]);
  });
});
