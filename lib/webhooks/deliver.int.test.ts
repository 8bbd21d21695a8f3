import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeHost, outboxFor } from '@/lib/bookings/testing';
import { getDb } from '@/lib/db/client';
import { webhookDeliveries, webhookSubscriptions } from '@/lib/db/schema/webhooks';
import { resetEnvCache } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { LogLine } from '@/lib/log';
import { DISABLE_AFTER_MS, deliverDueWebhooks } from './deliver';
import { queueTestEvent, redeliver } from './deliveries';
import { deliveriesOf, makeSubscription, startReceiver, verifyDelivery } from './testing';

/**
 * The delivery engine against a real HTTP receiver on 127.0.0.1 (AKI_WEBHOOK_ALLOW_PRIVATE on, as a
 * self-hoster with a receiver next to Aki would set it): signing, retries after errors and timeouts,
 * the same webhook-id across retries and redeliveries, the capped log, and switching a subscription
 * off after 3 days of failures. Time moves by passing `now`.
 */

process.env.AKI_WEBHOOK_ALLOW_PRIVATE = '1';
resetEnvCache();

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(async () => {
  // Each test's clock is its own: no delivery of an earlier test may become due in it.
  await (await getDb()).delete(webhookDeliveries);
  receiver.received.length = 0;
  receiver.answers.length = 0;
});

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('a delivery', () => {
  it('is signed per Standard Webhooks with the headers and body receivers expect, and logged as delivered', async () => {
    const host = await makeHost();
    const sub = await makeSubscription(host.id, receiver.url, ['booking.created']);
    const lines: LogLine[] = [];
    const id = await queueTestEvent(await getDb(), host.id, sub.id, new Date());
    expect(await deliverDueWebhooks({ log: (l) => lines.push(l) })).toBe(1);

    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    verifyDelivery(sub.secret, got);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toMatch(/^Aki-Webhooks\//);
    expect(got.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    // type, timestamp, data in that order; the test event carries a sample booking that says it is one.
    expect(Object.keys(got.json)).toEqual(['type', 'timestamp', 'data']);
    expect(got.json.type).toBe('webhook.test');
    expect(got.json.data).toMatchObject({ uid: expect.stringMatching(/^test_/), guestEmail: 'guest@example.com', status: 'confirmed' });
    // A tampered body does not verify.
    expect(() => verifyDelivery(sub.secret, { ...got, body: got.body.replace('confirmed', 'cancelled') })).toThrow();

    const [row] = await deliveriesOf(sub.id);
    expect(row).toMatchObject({ id, status: 'delivered', attempts: 1, responseStatus: 204, lastError: null, messageId: got.headers['webhook-id'] });
    expect(row!.deliveredAt).toBeInstanceOf(Date);
    expect(row!.durationMs).toBeGreaterThanOrEqual(0);
    expect(lines).toEqual([expect.objectContaining({ level: 'info', msg: 'webhook', deliveryId: id, outcome: 'delivered', status: 204, attempt: 1 })]);
  });

  it('is retried after a 500 (first retry within 10 s) with the same webhook-id, and a redelivery repeats it with that id', async () => {
    const host = await makeHost();
    const sub = await makeSubscription(host.id, receiver.url, ['booking.created']);
    const t0 = new Date();
    await queueTestEvent(await getDb(), host.id, sub.id, t0);
    receiver.answers.push({ status: 500, body: 'upstream broke' });
    const lines: LogLine[] = [];
    await deliverDueWebhooks({ now: t0, log: (l) => lines.push(l) });
    let [row] = await deliveriesOf(sub.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500, responseBody: 'upstream broke', lastError: 'HTTP 500' });
    const wait = row!.nextAttemptAt.getTime() - t0.getTime();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(10_000);
    expect(lines[0]).toMatchObject({ level: 'warn', outcome: 'retry', status: 500, nextRetryAt: row!.nextAttemptAt.toISOString() });
    const [subAfterFailure] = await (await getDb()).select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
    expect(subAfterFailure!.failingSince).toEqual(t0);

    // Not before its time.
    expect(await deliverDueWebhooks({ now: at(t0, 1_000) })).toBe(0);
    expect(await deliverDueWebhooks({ now: at(t0, 11_000) })).toBe(1);
    [row] = await deliveriesOf(sub.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 204, lastError: null });
    // Any success clears the failing mark.
    const [subAfterSuccess] = await (await getDb()).select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
    expect(subAfterSuccess!.failingSince).toBeNull();

    const redeliveryId = await redeliver(await getDb(), host.id, row!.id, new Date());
    await deliverDueWebhooks();
    const rows = await deliveriesOf(sub.id);
    expect(rows[1]).toMatchObject({ id: redeliveryId, redeliveryOf: row!.id, messageId: row!.messageId, payload: row!.payload, status: 'delivered' });

    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toEqual([row!.messageId, row!.messageId, row!.messageId]);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    for (const [i, r] of receiver.received.entries()) verifyDelivery(sub.secret, r, { movedClock: i === 1 });
  });

  it('fails an attempt that gets no answer in time, follows no redirect, and keeps only the first 1 KB of an answer', async () => {
    const host = await makeHost();
    const sub = await makeSubscription(host.id, receiver.url, ['booking.created']);
    const t0 = new Date();
    await queueTestEvent(await getDb(), host.id, sub.id, t0);
    receiver.answers.push('hang');
    await deliverDueWebhooks({ now: t0, timeoutMs: 300 });
    let [row] = await deliveriesOf(sub.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null, lastError: 'timed out after 0 s' });
    expect(row!.durationMs).toBeGreaterThanOrEqual(250);

    receiver.answers.push({ status: 302, location: `${receiver.url}/elsewhere` });
    await deliverDueWebhooks({ now: at(t0, 60_000) });
    [row] = await deliveriesOf(sub.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, responseStatus: 302 });
    expect(row!.lastError).toMatch(/^HTTP 302 \(redirects are not followed/);
    // The hung attempt and the redirected one; the redirect's target was never asked.
    expect(receiver.received).toHaveLength(2);

    receiver.answers.push({ status: 410, body: 'x'.repeat(200_000) });
    await deliverDueWebhooks({ now: at(t0, 3_600_000) });
    [row] = await deliveriesOf(sub.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 3, responseStatus: 410 });
    expect(row!.responseBody).toBe('x'.repeat(1024));
    // The retry waits grow.
    expect(row!.nextAttemptAt.getTime() - 3_600_000 - t0.getTime()).toBeGreaterThan(90_000);
  });

  it('gives up after maxAttempts', async () => {
    const host = await makeHost();
    const sub = await makeSubscription(host.id, receiver.url, ['booking.created']);
    const t0 = new Date();
    await queueTestEvent(await getDb(), host.id, sub.id, t0);
    let now = t0;
    for (let i = 0; i < 12; i++) {
      receiver.answers.push({ status: 503 });
      expect(await deliverDueWebhooks({ now })).toBe(1);
      const [row] = await deliveriesOf(sub.id);
      now = row!.status === 'pending' ? row!.nextAttemptAt : now;
      // Keep the subscription alive: this is about one delivery's attempts, not the 3-day rule.
      await (await getDb()).update(webhookSubscriptions).set({ failingSince: null }).where(eq(webhookSubscriptions.id, sub.id));
    }
    const [row] = await deliveriesOf(sub.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 12, responseStatus: 503 });
    // About 32 hours between the first and the last attempt: at least the promised 24.
    expect(row!.lastAttemptAt!.getTime() - t0.getTime()).toBeGreaterThan(24 * 3_600_000);
    expect(await deliverDueWebhooks({ now: at(now, 86_400_000) })).toBe(0);
  });
});

describe('a subscription that keeps failing', () => {
  it('is switched off after 3 days, its waiting deliveries skipped and its host mailed once (in their language)', async () => {
    const host = await makeHost({ locale: 'ja', timeZone: 'Asia/Tokyo' });
    const sub = await makeSubscription(host.id, receiver.url, ['booking.created']);
    const db = await getDb();
    const t0 = new Date();
    await queueTestEvent(db, host.id, sub.id, t0);
    receiver.answers.push({ status: 500 });
    await deliverDueWebhooks({ now: t0 });
    // A day later, still failing (the retry and a new event): not yet.
    await queueTestEvent(db, host.id, sub.id, at(t0, 86_400_000));
    receiver.answers.push({ status: 500 }, { status: 500 });
    await deliverDueWebhooks({ now: at(t0, 86_400_000) });
    let [current] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
    expect(current).toMatchObject({ status: 'active', failingSince: t0 });

    // Three days after the first failure, the next failed attempt switches it off.
    const later = at(t0, DISABLE_AFTER_MS + 1_000);
    await queueTestEvent(db, host.id, sub.id, later);
    receiver.answers.push({ status: 500 });
    const lines: LogLine[] = [];
    await deliverDueWebhooks({ now: later, limit: 1, log: (l) => lines.push(l) });
    [current] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
    expect(current).toMatchObject({ status: 'disabled', disabledReason: 'failing', disabledAt: later });
    expect(lines[0]).toMatchObject({ level: 'error', outcome: 'failed', subscriptionDisabled: true });
    const rows = await deliveriesOf(sub.id);
    expect(rows.map((r) => r.status).sort()).toEqual(['failed', 'skipped', 'skipped']);

    const mails = await outboxFor(host.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Webhookを停止しました');
    expect(mails[0]!.text).toContain(`/settings/webhooks/${sub.id}`);
    expect(mails[0]!.text).toContain('HTTP 500');

    // Nothing more is sent to it: a delivery queued now is skipped, not posted.
    const sent = receiver.received.length;
    await queueTestEvent(db, host.id, sub.id, at(later, 1_000));
    await deliverDueWebhooks({ now: at(later, 120_000) });
    expect(receiver.received.length).toBe(sent);
    expect((await deliveriesOf(sub.id)).at(-1)).toMatchObject({ status: 'skipped', attempts: 0, lastError: 'subscription disabled after 3 days of failures' });
    expect(await outboxFor(host.email)).toHaveLength(1);
  });

  it('a subscription the host switched off gets nothing', async () => {
    const host = await makeHost();
    const sub = await makeSubscription(host.id, receiver.url, ['booking.created']);
    const db = await getDb();
    await queueTestEvent(db, host.id, sub.id, new Date());
    await db.update(webhookSubscriptions).set({ status: 'disabled', disabledReason: 'host', disabledAt: new Date() }).where(eq(webhookSubscriptions.id, sub.id));
    await deliverDueWebhooks();
    expect(receiver.received).toHaveLength(0);
    expect((await deliveriesOf(sub.id))[0]).toMatchObject({ status: 'skipped', lastError: 'subscription disabled' });
  });
});

describe('host actions', () => {
  it("refuse another host's subscription or delivery as not found", async () => {
    const owner = await makeHost();
    const other = await makeHost();
    const sub = await makeSubscription(owner.id, receiver.url, ['booking.created']);
    const db = await getDb();
    const id = await queueTestEvent(db, owner.id, sub.id, new Date());
    await expect(queueTestEvent(db, other.id, sub.id, new Date())).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'not_found');
    await expect(redeliver(db, other.id, id, new Date())).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'not_found');
    await expect(queueTestEvent(db, owner.id, crypto.randomUUID(), new Date())).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'not_found');
    await expect(redeliver(db, owner.id, 987_654_321, new Date())).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'not_found');
    expect(await deliveriesOf(sub.id)).toHaveLength(1);
  });
});
