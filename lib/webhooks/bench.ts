/**
 * `npm run bench:webhooks` — outgoing webhooks, in process, against the real database (in-memory
 * PGlite, or a throwaway Postgres database when DATABASE_URL is set) and a local HTTP receiver:
 * 1. confirm latency of createBooking() for a host with a subscription vs one without (interleaved,
 *    so both see the same conditions): the target is no added latency, since the request only inserts
 *    a webhook.emit step and never sends anything;
 * 2. the worker loop fanning out and delivering every booking.created (signed, over HTTP): deliveries/s.
 * Prints figures; asserts only that every delivery arrived.
 *
 * Options (env): BENCH_WEBHOOK_BOOKINGS (default 1000).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { percentile } from '@/lib/testing/bench-server';
import { throwawayBenchDatabase } from '@/lib/testing/throwaway-database';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aki-bench-'));
process.env.AKI_DATA_DIR = dataDir;
process.env.AKI_WORKER = '0';
process.env.AKI_RATE_LIMIT = '0';
process.env.SMTP_URL = '';
// The receiver listens on 127.0.0.1.
process.env.AKI_WEBHOOK_ALLOW_PRIVATE = '1';
process.env.AKI_LOG_LEVEL ??= 'silent';
if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = 'memory://';

const BOOKINGS = Math.max(1, Math.floor(Number(process.env.BENCH_WEBHOOK_BOOKINGS) || 1000));

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  const dropDatabase = await throwawayBenchDatabase();
  const { getDbHandle, closeDb } = await import('@/lib/db/client');
  const { createBooking } = await import('@/lib/bookings/service');
  const { drainSteps, startWorker } = await import('@/lib/bookings/effects/worker');
  const { makeHost, makePage, slotStart } = await import('@/lib/bookings/testing');
  const { drainWebhooks } = await import('./deliver');
  const { makeSubscription } = await import('./testing');

  let received = 0;
  const ids = new Set<string>();
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received++;
      ids.add(String(request.headers['webhook-id']));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;

  const handle = await getDbHandle();
  const plain = await makeHost();
  const subscribed = await makeHost();
  const plainPage = await makePage(plain.id, { location: { type: 'phone' } });
  const subscribedPage = await makePage(subscribed.id, { location: { type: 'phone' } });
  await makeSubscription(subscribed.id, url, ['booking.created', 'booking.rescheduled', 'booking.cancelled']);
  const book = (host: typeof plain, page: typeof plainPage, index: number) =>
    createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(index).toISOString(), name: `Bench ${index}`, email: `bench${index}@example.com`, timeZone: 'UTC' });

  console.log(`# bench:webhooks — in-process createBooking, ${handle.kind} (fresh database), receiver on 127.0.0.1, node ${process.version}, ${os.cpus().length} CPUs`);

  // Warm-up (JIT, pool), then nothing left over for the delivery figure.
  const WARM = 20;
  for (let i = 0; i < WARM; i++) {
    await book(plain, plainPage, i);
    await book(subscribed, subscribedPage, i);
  }
  await drainSteps({ maxRounds: 10_000 });
  await drainWebhooks();
  received = 0;
  ids.clear();

  // 1. Confirm latency, interleaved: without / with a subscription.
  const without: number[] = [];
  const withSub: number[] = [];
  for (let i = WARM; i < WARM + BOOKINGS; i++) {
    let t0 = performance.now();
    await book(plain, plainPage, i);
    without.push(performance.now() - t0);
    t0 = performance.now();
    await book(subscribed, subscribedPage, i);
    withSub.push(performance.now() - t0);
  }
  without.sort((a, b) => a - b);
  withSub.sort((a, b) => a - b);
  console.log(`confirm latency without a subscription (n=${BOOKINGS}): p50 ${ms(percentile(without, 50))}, p95 ${ms(percentile(without, 95))}`);
  console.log(`confirm latency with a subscription    (n=${BOOKINGS}): p50 ${ms(percentile(withSub, 50))}, p95 ${ms(percentile(withSub, 95))}`);

  // 2. The steps (mails, and the webhook.emit fan-out into deliveries), then the deliveries themselves.
  const s0 = performance.now();
  const steps = await drainSteps({ maxRounds: 100_000 });
  const stepSeconds = (performance.now() - s0) / 1000;
  console.log(`steps: ${steps} (booking mails and ${BOOKINGS} webhook fan-outs) in ${stepSeconds.toFixed(1)} s`);
  const d0 = performance.now();
  const attempted = await drainWebhooks({ maxRounds: 100_000 });
  const seconds = (performance.now() - d0) / 1000;
  if (received < BOOKINGS) throw new Error(`only ${received} of ${BOOKINGS} deliveries arrived`);
  console.log(
    `deliveries: ${received} booking.created delivered (${attempted} attempts, ${ids.size} distinct webhook-ids) in ${seconds.toFixed(1)} s: ${(received / seconds).toFixed(0)} deliveries/s (signed, over HTTP, 50 per pass)`,
  );

  // 3. The worker loop end to end: a booking's event at the receiver, kicked rather than polled.
  const worker = startWorker({ pollMs: 60_000, log: () => {} });
  const lags: number[] = [];
  for (let i = 0; i < 20; i++) {
    const before = received;
    const t0 = performance.now();
    await book(subscribed, subscribedPage, WARM + BOOKINGS + i);
    while (received === before && performance.now() - t0 < 10_000) await new Promise((resolve) => setTimeout(resolve, 1));
    lags.push(performance.now() - t0);
  }
  await worker.stop();
  lags.sort((a, b) => a - b);
  console.log(`confirm → delivered at the receiver through the worker loop (n=20, poll 60 s, so kicked): p50 ${ms(percentile(lags, 50))}, max ${ms(lags.at(-1)!)}`);

  server.close();
  await closeDb();
  await dropDatabase?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
