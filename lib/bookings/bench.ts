/**
 * `npm run bench:booking` — confirm latency and throughput of the booking core, in process:
 * createBooking() (the function behind POST /api/public/.../bookings and the confirm action) against
 * the real database (in-memory PGlite, or Postgres when DATABASE_URL is set) and the standalone Zoom
 * emulator over real HTTP at 0 ms latency, with the inline Zoom create included. Not included: HTTP
 * parsing of our own route and the worker's mails (measured separately as "drain"). Prints figures;
 * asserts nothing.
 *
 * Options (env): BENCH_SEQUENTIAL (default 200), BENCH_PARALLEL (400), BENCH_CONCURRENCY (8), BENCH_RACE (50).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile } from '@/lib/testing/bench-server';
import { throwawayBenchDatabase } from '@/lib/testing/throwaway-database';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aki-bench-'));
process.env.AKI_DATA_DIR = dataDir;
process.env.AKI_WORKER = '0';
process.env.AKI_RATE_LIMIT = '0';
process.env.SMTP_URL = '';
// The figures are the output: no JSON line per step run (unless asked for).
process.env.AKI_LOG_LEVEL ??= 'silent';
if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = 'memory://';

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};
const SEQUENTIAL = num('BENCH_SEQUENTIAL', 200);
const PARALLEL = num('BENCH_PARALLEL', 400);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);
const RACE = num('BENCH_RACE', 50);

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  // On Postgres: a database of its own, dropped at the end, so the drain below counts only this run's steps.
  const dropDatabase = await throwawayBenchDatabase();
  const { startZoomEmulator } = await import('@/lib/emulators/zoom/testing');
  const { linkZoom, useZoomEmulatorEnv: pointEnvAtEmulator } = await import('@/lib/zoom/testing');
  const { getDbHandle, closeDb } = await import('@/lib/db/client');
  const { createBooking } = await import('./service');
  const { drainSteps } = await import('./effects/worker');
  const { makeHost, makePage, slotStart } = await import('./testing');
  const { AppError } = await import('@/lib/errors');

  const zoom = await startZoomEmulator();
  pointEnvAtEmulator(zoom.url);
  await fetch(`${zoom.url}/__control/config`, { method: 'POST', body: JSON.stringify({ dailyMeetingLimit: 1_000_000 }) });
  const handle = await getDbHandle();
  const host = await makeHost();
  const zoomUser = (await (
    await fetch(`${zoom.url}/__control/users`, { method: 'POST', body: JSON.stringify({ email: 'bench@zoom-demo.example', timezone: 'Asia/Tokyo' }) })
  ).json()) as { id: string };
  if ((await linkZoom(host.id, zoomUser.id)) !== 'connected') throw new Error('could not link Zoom');
  const page = await makePage(host.id, { location: { type: 'zoom' } });

  let slot = 0;
  const book = (start: Date, i: number) =>
    createBooking({ handle: host.handle!, slug: page.slug, start: start.toISOString(), name: `Bench ${i}`, email: `bench${i}@example.com`, timeZone: 'Asia/Tokyo' });

  console.log(`# bench:booking — in-process createBooking, ${handle.kind} (fresh database), Zoom emulator over HTTP at 0 ms, node ${process.version}, ${os.cpus().length} CPUs`);

  // Warm-up (JIT, connection pool, token cache).
  for (let i = 0; i < 20; i++) await book(slotStart(slot++), i);
  await drainSteps();

  // 1. Sequential latency.
  const latencies: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t0 = performance.now();
    const booking = await book(slotStart(slot++), 1000 + i);
    latencies.push(performance.now() - t0);
    if (booking.meeting?.status !== 'created') throw new Error('meeting not created inline');
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `confirm latency (sequential, n=${SEQUENTIAL}): p50 ${ms(percentile(latencies, 50))}, p90 ${ms(percentile(latencies, 90))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1)!)}`,
  );

  // 2. Throughput on distinct slots.
  const startIndex = slot;
  slot += PARALLEL;
  let next = 0;
  let created = 0;
  const parallelLatencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < PARALLEL) {
        const i = next++;
        const s = performance.now();
        await book(slotStart(startIndex + i), 5000 + i);
        parallelLatencies.push(performance.now() - s);
        created++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  parallelLatencies.sort((a, b) => a - b);
  console.log(
    `throughput (distinct slots on one page, n=${PARALLEL}, concurrency ${CONCURRENCY}): ${(created / seconds).toFixed(0)} bookings/s; latency under load p50 ${ms(percentile(parallelLatencies, 50))}, p99 ${ms(percentile(parallelLatencies, 99))}`,
  );

  // 2b. Throughput across pages of different hosts (no shared page lock, no shared exclusion range).
  const others = await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, k) => {
      const h = await makeHost();
      const user = (await (
        await fetch(`${zoom.url}/__control/users`, { method: 'POST', body: JSON.stringify({ email: `bench${k}@zoom-demo.example`, timezone: 'Asia/Tokyo' }) })
      ).json()) as { id: string };
      if ((await linkZoom(h.id, user.id)) !== 'connected') throw new Error('could not link Zoom');
      return { host: h, page: await makePage(h.id, { location: { type: 'zoom' } }) };
    }),
  );
  const perWorker = Math.ceil(PARALLEL / CONCURRENCY);
  const spreadLatencies: number[] = [];
  const s0 = performance.now();
  await Promise.all(
    others.map(async ({ host: h, page: p }, k) => {
      for (let i = 0; i < perWorker; i++) {
        const s = performance.now();
        await createBooking({ handle: h.handle!, slug: p.slug, start: slotStart(i).toISOString(), name: 'Spread', email: `s${k}-${i}@example.com`, timeZone: 'UTC' });
        spreadLatencies.push(performance.now() - s);
      }
    }),
  );
  const spreadSeconds = (performance.now() - s0) / 1000;
  spreadLatencies.sort((a, b) => a - b);
  console.log(
    `throughput (distinct slots on ${CONCURRENCY} hosts' pages, n=${perWorker * CONCURRENCY}, concurrency ${CONCURRENCY}): ${((perWorker * CONCURRENCY) / spreadSeconds).toFixed(0)} bookings/s; latency under load p50 ${ms(percentile(spreadLatencies, 50))}, p99 ${ms(percentile(spreadLatencies, 99))}`,
  );

  // 3. Follow-up work (mails to the outbox, calendar skipped) for everything booked so far.
  const d0 = performance.now();
  const steps = await drainSteps({ maxRounds: 10_000 });
  const drainSeconds = (performance.now() - d0) / 1000;
  console.log(`worker drain: ${steps} steps in ${drainSeconds.toFixed(1)} s (${(steps / drainSeconds).toFixed(0)} steps/s; mails rendered with .ics into the file outbox)`);

  // 4. Same-slot race.
  const raceSlot = slotStart(slot++);
  const r0 = performance.now();
  const results = await Promise.allSettled(Array.from({ length: RACE }, (_, i) => book(raceSlot, 9000 + i)));
  const raceMs = performance.now() - r0;
  const won = results.filter((r) => r.status === 'fulfilled').length;
  const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof AppError && r.reason.code === 'slot_unavailable').length;
  const other = RACE - won - refused;
  console.log(`same-slot race (${RACE} concurrent confirms): ${won} booked, ${refused} slot_unavailable, ${other} other errors, all settled in ${ms(raceMs)}`);

  await zoom.close();
  await closeDb();
  await dropDatabase?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
