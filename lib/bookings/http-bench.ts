/**
 * `npm run bench:http` — the whole HTTP path under load: two `next start` processes (production
 * build, own dist dir) on one Postgres database, driven by autocannon (one instance per process, run
 * at once): guests reading slots and confirming distinct slots, mixed; then a trivial route (the slots
 * route answering 400 before any lookup — the framework's own per-request cost) the same way, so the
 * ratio says how close the product is to the framework's floor on this machine. Prints figures;
 * asserts nothing. The page is a phone page (no Zoom call) so the figures are Aki's own; the worker is
 * off in both processes (mails wait in the outbox), as the confirm request never waits for it.
 *
 * Needs Postgres (two processes cannot share the embedded PGlite): DATABASE_URL's server, else
 * postgres://postgres@127.0.0.1:5432/postgres; a throwaway database is created and dropped.
 * Options (after `npm run bench:http --`): --skip-build, --seconds N (default 10), --connections N
 * (per process, default 25), --confirm-share P (percent of requests that confirm, default 20).
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildNext, productionEnv, ROOT, runScript, startNextServer } from '@/lib/testing/bench-server';
import { createThrowawayDatabase } from '@/lib/testing/throwaway-database';

const DIST_DIR = '.next-bench-http';
const DATA_DIR = path.join(ROOT, '.data', 'bench-http');
const HANDLE = 'benchhttp';
const SLUG = 'any-time';
const SLOT_MINUTES = 15;

/** Child mode: a host and a page open around the clock for a year, 15-minute slots (tens of thousands of distinct starts). */
async function seed(): Promise<void> {
  const [{ getDb, closeDb }, { users }, { bookingPages }] = await Promise.all([
    import('@/lib/db/client'),
    import('@/lib/db/schema/hosts'),
    import('@/lib/db/schema/booking-pages'),
  ]);
  const db = await getDb();
  const [host] = await db.insert(users).values({ email: 'bench-http@example.com', handle: HANDLE, timeZone: 'UTC' }).returning();
  const day = [{ start: '00:00', end: '24:00' }];
  await db.insert(bookingPages).values({
    userId: host!.id,
    slug: SLUG,
    title: 'Bench',
    durationMinutes: SLOT_MINUTES,
    location: { type: 'phone' },
    timeZone: 'UTC',
    weeklyHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
    bookingWindowDays: 365,
    reminders: [],
  });
  await closeDb();
}

type Mix = { requests: number; rps: number; p50: number; p99: number; statuses: Record<string, number>; errors: number };

function fire(url: string, connections: number, seconds: number, setup?: (req: autocannon.Request) => autocannon.Request): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections,
    duration: seconds,
    // setupRequest runs per request: the mix and the distinct confirm starts are decided there.
    requests: setup ? [{ setupRequest: setup as never }] : undefined,
  });
}

function combine(results: autocannon.Result[]): Mix {
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  const seconds = Math.max(...results.map((r) => r.duration));
  const statuses: Record<string, number> = {};
  for (const r of results) {
    for (const [code, value] of Object.entries((r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) {
      statuses[code] = (statuses[code] ?? 0) + value.count;
    }
  }
  // Latency percentiles of the two halves, weighted by their request counts (both ran at once).
  const weighted = (key: 'p50' | 'p99') => results.reduce((sum, r) => sum + r.latency[key] * r.requests.total, 0) / Math.max(1, requests);
  return { requests, rps: requests / seconds, p50: weighted('p50'), p99: weighted('p99'), statuses, errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0) };
}

const line = (label: string, m: Mix) =>
  `${label}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, ${m.requests} requests, statuses ${JSON.stringify(m.statuses)}, errors ${m.errors}`;

async function main(): Promise<void> {
  if (process.argv.includes('--seed')) {
    await seed();
    return;
  }
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    const value = i >= 0 ? Number(argv[i + 1]) : Number.NaN;
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  const seconds = option('--seconds', 10);
  const connections = option('--connections', 25);
  const confirmShare = option('--confirm-share', 20) / 100;

  const database = await createThrowawayDatabase(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', 'aki_bench_http');
  const env = productionEnv(DIST_DIR, DATA_DIR, { DATABASE_URL: database.url });
  const servers: Awaited<ReturnType<typeof startNextServer>>[] = [];
  try {
    if (!argv.includes('--skip-build')) {
      console.log(`building (next build → ${DIST_DIR}) …`);
      console.log(`built in ${(await buildNext(env)).toFixed(1)} s`);
    }
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
    await runScript(path.join('lib', 'bookings', 'http-bench.ts'), ['--seed'], env, 'seed');
    servers.push(await startNextServer(env), await startNextServer(env));
    console.log(`bench:http — 2 × next start on one Postgres, ${connections} connections each, ${seconds} s per run, ${Math.round(confirmShare * 100)} % confirms`);

    const today = new Date().toISOString().slice(0, 10);
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const slotsPath = `/api/public/pages/${HANDLE}/${SLUG}/slots?from=${today}&to=${until}&timeZone=Asia%2FTokyo`;
    const bookPath = `/api/public/pages/${HANDLE}/${SLUG}/bookings`;
    // Distinct starts shared by both load generators: tomorrow 00:00 UTC onward, one per confirm.
    const firstStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1);
    let nextSlot = 0;
    let sent = 0;
    const mixed = (req: autocannon.Request): autocannon.Request => {
      sent++;
      if (sent * confirmShare - Math.floor((sent - 1) * confirmShare) >= 1) {
        const start = new Date(firstStart + nextSlot++ * SLOT_MINUTES * 60_000).toISOString();
        const body = JSON.stringify({ start, name: 'Bench Guest', email: `guest${nextSlot}@example.com`, timeZone: 'Asia/Tokyo', locale: 'en' });
        return { ...req, method: 'POST', path: bookPath, body, headers: { 'content-type': 'application/json' } };
      }
      return { ...req, method: 'GET', path: slotsPath, body: undefined };
    };

    // Warm-up (JIT, connection pools, caches), not reported.
    await Promise.all(servers.map((s) => fire(`http://127.0.0.1:${s.port}`, connections, 3, mixed)));
    const mix = combine(await Promise.all(servers.map((s) => fire(`http://127.0.0.1:${s.port}`, connections, seconds, mixed))));
    console.log(line('slots + confirm (mixed)', mix));

    const floorPath = `/api/public/pages/${HANDLE}/${SLUG}/slots?from=${today}&to=${today}&timeZone=Nope%2FNope`;
    const floor = combine(
      await Promise.all(servers.map((s) => fire(`http://127.0.0.1:${s.port}${floorPath}`, connections, Math.min(seconds, 5)))),
    );
    console.log(line('trivial route (400 before any lookup)', floor));
    console.log(`ratio mixed / trivial: ${(mix.rps / floor.rps).toFixed(2)} (1.00 = the framework's floor)`);
  } finally {
    for (const server of servers) server.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await database.drop().catch(() => undefined);
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
