import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHost } from '@/lib/bookings/testing';
import { getDb } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { deliverDueWebhooks } from './deliver';
import { queueTestEvent } from './deliveries';
import { deliveriesOf, makeSubscription, startReceiver } from './testing';

/**
 * With AKI_WEBHOOK_ALLOW_PRIVATE off (the default), a delivery never connects to this machine, the
 * private network or the cloud metadata service, whatever the saved URL says: the check is made on the
 * address connected to. A receiver listening on 127.0.0.1 proves nothing got through.
 */

delete process.env.AKI_WEBHOOK_ALLOW_PRIVATE;
resetEnvCache();

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe('refused addresses', () => {
  it.each([
    ['loopback', () => receiver.url, /^refused: address 127\.0\.0\.1 is loopback/],
    ['private', () => 'http://10.0.0.1/hooks', /^refused: address 10\.0\.0\.1 is private/],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', /^refused: address 169\.254\.169\.254 is link-local/],
    ['localhost (a name resolving to loopback)', () => `http://localhost:${receiver.port}/hooks`, /^refused: address (127\.0\.0\.1|::1) is loopback \(localhost resolves to it\)/],
  ])('%s: a failed attempt saying why, nothing sent', async (_name, url, reason) => {
    const host = await makeHost();
    const sub = await makeSubscription(host.id, url(), ['booking.created']);
    await queueTestEvent(await getDb(), host.id, sub.id, new Date());
    await deliverDueWebhooks({ timeoutMs: 3_000 });
    const [row] = await deliveriesOf(sub.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null });
    expect(row!.lastError).toMatch(reason);
    expect(receiver.received).toHaveLength(0);
  });
});
