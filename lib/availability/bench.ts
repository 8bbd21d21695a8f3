/**
 * `npm run bench:slots` — prints figures, asserts nothing (targets: engine ≤ 1 ms median; endpoint
 * p99 ≤ 15 ms and ≥ 1,000 req/s on the 2-core build machine).
 *
 * 1. The engine: 60 viewer days × 2 windows/day against 1,000 busy intervals, warm (the steady state
 *    of a server: zone offsets memoised) and cold (offset memo cleared before every call).
 * 2. The HTTP endpoint: a production build (`next build` into its own dist dir), `next start` on a
 *    free port with its own data dir and one seeded host/page/bookings, over loopback:
 *    - closed loop: 50 keep-alive clients, each sending its next request when the last one answers
 *      (throughput at saturation; latency there is ≈ 50 / throughput by Little's law);
 *    - open loop: fixed offered rates over up to 50 connections (latency at a given traffic level).
 *
 * Options (after `npm run bench:slots --`):
 *   --engine-only | --http-only
 *   --skip-build            reuse an existing build in the bench dist dir
 *   --seconds N             measured seconds of load (default 10; 3 s of warm-up first)
 *   --connections N         concurrent clients (default 50)
 *   --rates 250,500,1000    offered rates for the open-loop latency runs (5 s each)
 *   --database-url URL      run the server on a fresh Postgres database created under URL
 *                           (default: the embedded PGlite in the bench data dir)
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { WeeklyHours } from '@/lib/booking-pages/schema';
import { type Busy, computeSlots, type PageRules } from './engine';
import { addCalendarDays, resetOffsetCache, todayIn } from './time-zone';
import { buildNext, httpGet, productionEnv, ROOT, runScript, startNextServer, stats } from '@/lib/testing/bench-server';

const DIST_DIR = '.next-bench-slots';
const DATA_DIR = path.join(ROOT, '.data', 'bench-slots');
const HANDLE = 'bench';
const SLUG = 'consult';

type Options = {
  engine: boolean;
  http: boolean;
  build: boolean;
  seconds: number;
  connections: number;
  databaseUrl: string | null;
  /** Offered rates (req/s) for the open-loop latency runs. */
  rates: number[];
};

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    engine: !argv.includes('--http-only'),
    http: !argv.includes('--engine-only'),
    build: !argv.includes('--skip-build'),
    seconds: Number(value('--seconds') ?? 10),
    connections: Number(value('--connections') ?? 50),
    databaseUrl: value('--database-url') ?? null,
    rates: (value('--rates') ?? '250,500,1000').split(',').map(Number).filter((n) => n > 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared fixtures
// ---------------------------------------------------------------------------------------------

const twoWindows = (): WeeklyHours => {
  const day = [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '18:00' },
  ];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
};

const RULES: PageRules = {
  timeZone: 'Asia/Tokyo',
  weeklyHours: twoWindows(),
  dateOverrides: [
    { date: '2030-01-01', intervals: [] },
    { date: '2030-01-02', intervals: [{ start: '10:00', end: '12:00' }] },
  ],
  durationMinutes: 30,
  slotIntervalMinutes: null,
  bufferBeforeMinutes: 10,
  bufferAfterMinutes: 10,
  minimumNoticeMinutes: 120,
  bookingWindowDays: 120,
  maxBookingsPerDay: 20,
};

/** Deterministic pseudo-random numbers (mulberry32) so every run measures the same input. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` busy intervals of 15–90 minutes on a 5-minute grid spread over `[from, from + days)`. */
function randomBusy(from: number, days: number, count: number, seed = 42): Busy[] {
  const random = prng(seed);
  const out: Busy[] = [];
  for (let i = 0; i < count; i++) {
    const start = from + Math.floor(random() * days * 288) * 300_000;
    out.push({ start: new Date(start), end: new Date(start + (3 + Math.floor(random() * 16)) * 300_000) });
  }
  return out;
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

// ---------------------------------------------------------------------------------------------
// 1. Engine
// ---------------------------------------------------------------------------------------------

function benchEngine(): void {
  const now = new Date('2029-12-20T00:00:00Z');
  const viewerZone = 'America/New_York';
  const from = addCalendarDays(todayIn(viewerZone, now), 1);
  const to = addCalendarDays(from, 59);
  const busy = randomBusy(new Date(`${from}T00:00:00Z`).getTime(), 61, 1000);
  const pageBookingStarts = busy.slice(0, 200).map((b) => b.start);
  const query = { rules: RULES, busy, pageBookingStarts, now, from, to, timeZone: viewerZone };

  const sample = computeSlots(query);
  const slotCount = sample.days.reduce((n, d) => n + d.slots.length, 0);
  console.log(
    `engine input: ${sample.days.length} viewer days (${from}..${to}, ${viewerZone}), page ${RULES.timeZone} 2 windows/day, ` +
      `${busy.length} busy intervals, daily cap on → ${slotCount} slots`,
  );

  for (let i = 0; i < 300; i++) computeSlots(query); // JIT warm-up
  const warm: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    computeSlots(query);
    warm.push(performance.now() - t0);
  }
  const w = stats(warm);
  console.log(`engine (warm offset memo): n=${w.n} median=${ms(w.median)} p99=${ms(w.p99)} mean=${ms(w.mean)} max=${ms(w.max)}`);

  const cold: number[] = [];
  for (let i = 0; i < 300; i++) {
    resetOffsetCache();
    const t0 = performance.now();
    computeSlots(query);
    cold.push(performance.now() - t0);
  }
  const c = stats(cold);
  console.log(`engine (cold offset memo): n=${c.n} median=${ms(c.median)} p99=${ms(c.p99)} mean=${ms(c.mean)}`);

  benchEngineLarge(now);
  benchEngineJoinedAcrossMidnight(now);
}

/** Times `fn` (after a warm-up) and prints its median and p99. */
function timeCalls(label: string, n: number, fn: () => void): void {
  for (let i = 0; i < Math.min(20, n); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  const s = stats(samples);
  console.log(`${label}: n=${s.n} median=${ms(s.median)} p99=${ms(s.p99)}`);
}

/** The heaviest query the engine accepts in practice: a year of viewer days against 100,000 busy intervals (target ≤ 50 ms). */
function benchEngineLarge(now: Date): void {
  const viewerZone = 'America/New_York';
  const from = addCalendarDays(todayIn(viewerZone, now), 1);
  const to = addCalendarDays(from, 364);
  const busy = randomBusy(new Date(`${from}T00:00:00Z`).getTime(), 366, 100_000, 7);
  const rules: PageRules = { ...RULES, bookingWindowDays: 366, maxBookingsPerDay: null };
  const query = { rules, busy, pageBookingStarts: [], now, from, to, timeZone: viewerZone };
  timeCalls('engine 365 days × 100,000 busy intervals', 30, () => computeSlots(query));
}

/**
 * Hours that join across midnight every day (18:00–24:00 and 00:00–02:00): one chain of windows runs
 * through the whole booking window. A week's query should not cost more with a longer window.
 */
function benchEngineJoinedAcrossMidnight(now: Date): void {
  const night = [
    { start: '00:00', end: '02:00' },
    { start: '18:00', end: '24:00' },
  ];
  const weeklyHours = { mon: night, tue: night, wed: night, thu: night, fri: night, sat: night, sun: night } as WeeklyHours;
  const viewerZone = 'Asia/Tokyo';
  const from = addCalendarDays(todayIn(viewerZone, now), 1);
  const to = addCalendarDays(from, 6);
  for (const windowDays of [30, 365]) {
    const rules: PageRules = { ...RULES, timeZone: 'Asia/Tokyo', weeklyHours, dateOverrides: [], bookingWindowDays: windowDays, maxBookingsPerDay: null };
    const query = { rules, busy: [], pageBookingStarts: [], now, from, to, timeZone: viewerZone };
    timeCalls(`engine 7 days, hours joined across midnight, ${windowDays}-day window`, 2000, () => computeSlots(query));
  }
}

// ---------------------------------------------------------------------------------------------
// 2. HTTP endpoint
// ---------------------------------------------------------------------------------------------

/** Child mode: seed the bench host, page and bookings straight into the database, then exit (releasing PGlite's lock). */
async function seed(): Promise<void> {
  const [{ getDb, closeDb }, { users }, { bookingPages }, { bookings }] = await Promise.all([
    import('@/lib/db/client'),
    import('@/lib/db/schema/hosts'),
    import('@/lib/db/schema/booking-pages'),
    import('@/lib/db/schema/bookings'),
  ]);
  const db = await getDb();
  const [host] = await db.insert(users).values({ email: 'bench@example.com', handle: HANDLE, timeZone: RULES.timeZone }).returning();
  const [page] = await db
    .insert(bookingPages)
    .values({ ...RULES, dateOverrides: [...RULES.dateOverrides], userId: host!.id, slug: SLUG, title: 'Bench', location: { type: 'phone' } })
    .returning();
  // ~5 confirmed bookings a day on the page over 120 days, plus a year of past ones the query must not scan.
  const start = Date.now() - 365 * 86_400_000;
  const rows: (typeof bookings.$inferInsert)[] = [];
  for (let day = 0; day < 365 + 120; day++) {
    for (let k = 0; k < 5; k++) {
      const startAt = new Date(Math.floor((start + day * 86_400_000) / 3_600_000) * 3_600_000 + k * 2 * 3_600_000);
      const endAt = new Date(startAt.getTime() + 30 * 60_000);
      rows.push({
        uid: randomBytes(8).toString('hex'),
        userId: host!.id,
        pageId: page!.id,
        title: 'Bench',
        location: { type: 'phone' },
        startAt,
        endAt,
        blockedStartAt: new Date(startAt.getTime() - 10 * 60_000),
        blockedEndAt: new Date(endAt.getTime() + 10 * 60_000),
        guestName: 'Guest',
        guestEmail: 'guest@example.com',
        guestTimeZone: 'UTC',
        manageTokenHash: 'x',
      });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(bookings).values(rows.slice(i, i + 500));
  console.log(`seeded host ${HANDLE}, page ${SLUG}, ${rows.length} bookings`);
  await closeDb();
}

async function load(port: number, paths: string[], connections: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  const stopAt = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, client) => {
      for (let i = client; performance.now() < stopAt; i += connections) {
        const t0 = performance.now();
        try {
          const res = await httpGet(agent, port, paths[i % paths.length]!);
          latencies.push(performance.now() - t0);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, statuses, errors, elapsed };
}

/**
 * Open loop: requests are SENT at a fixed rate whatever the server does (up to `connections` at
 * once), and latency counts from the scheduled send time, so a slow server cannot hide its queue
 * (no coordinated omission). Shows the latency a given traffic level gets, unlike the closed loop,
 * where 50 clients always wait for each other and latency ≈ 50 / throughput by construction.
 */
async function openLoad(port: number, paths: string[], connections: number, rate: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      httpGet(agent, port, paths[i % paths.length]!).then(
        () => {
          latencies.push(performance.now() - due);
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, errors, elapsed };
}

async function benchHttp(options: Options): Promise<void> {
  const env = productionEnv(DIST_DIR, DATA_DIR);
  let dropDatabase: (() => Promise<void>) | null = null;
  if (options.databaseUrl) {
    const { default: pg } = await import('pg');
    const name = `aki_bench_slots_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: options.databaseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(options.databaseUrl);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      const again = new pg.Client({ connectionString: options.databaseUrl! });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    };
  }

  if (options.build) {
    console.log(`building (next build → ${DIST_DIR}) …`);
    console.log(`built in ${(await buildNext(env)).toFixed(1)} s`);
  }

  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  await runScript(path.join('lib', 'availability', 'bench.ts'), ['--seed'], env, 'seed');

  const server = await startNextServer(env);
  const { port } = server;
  try {
    const today = todayIn(RULES.timeZone, new Date());
    // What the guest page asks for: about a month, in a handful of viewer zones.
    const paths = ['Asia/Tokyo', 'America/New_York', 'Europe/Berlin', 'Asia/Kathmandu'].map(
      (zone) => `/api/public/pages/${HANDLE}/${SLUG}/slots?from=${today}&to=${addCalendarDays(today, 34)}&timeZone=${encodeURIComponent(zone)}`,
    );
    const probe = await httpGet(new http.Agent(), port, paths[0]!);
    const parsed = JSON.parse(probe.body) as { days?: { slots: string[] }[] };
    console.log(
      `endpoint: ${paths[0]} → ${probe.status}, ${parsed.days?.length ?? 0} days, ${parsed.days?.reduce((n, d) => n + d.slots.length, 0) ?? 0} slots, ${probe.body.length} bytes`,
    );
    console.log(`database: ${options.databaseUrl ? 'postgres' : 'pglite'}; warming up 3 s …`);
    await load(port, paths, options.connections, 3);
    const result = await load(port, paths, options.connections, options.seconds);
    const s = stats(result.latencies);
    const throughput = result.latencies.length / result.elapsed;
    console.log(
      `endpoint (${options.connections} keep-alive clients, ${options.seconds} s): n=${s.n} ${throughput.toFixed(0)} req/s ` +
        `median=${ms(s.median)} p90=${ms(s.p90)} p99=${ms(s.p99)} max=${ms(s.max)} statuses=${JSON.stringify(Object.fromEntries(result.statuses))} errors=${result.errors}`,
    );
    // The framework's floor: the same route answering 400 before any lookup (no database, no engine).
    const floorPath = `/api/public/pages/${HANDLE}/${SLUG}/slots?from=${today}&to=${today}&timeZone=Nope%2FNope`;
    const floor = await load(port, [floorPath], options.connections, Math.min(options.seconds, 5));
    const f = stats(floor.latencies);
    console.log(
      `framework floor (same route, 400 before any lookup, closed loop): ${(floor.latencies.length / floor.elapsed).toFixed(0)} req/s ` +
        `median=${ms(f.median)} p99=${ms(f.p99)} statuses=${JSON.stringify(Object.fromEntries(floor.statuses))}`,
    );
    for (const rate of options.rates) {
      const open = await openLoad(port, paths, options.connections, rate, Math.min(options.seconds, 5));
      const o = stats(open.latencies);
      console.log(
        `endpoint (open loop, ${rate} req/s offered over ≤${options.connections} connections): n=${o.n} achieved=${(o.n / open.elapsed).toFixed(0)} req/s ` +
          `median=${ms(o.median)} p90=${ms(o.p90)} p99=${ms(o.p99)} max=${ms(o.max)} errors=${open.errors}`,
      );
    }
  } finally {
    server.stop();
    await new Promise((r) => setTimeout(r, 500));
    await dropDatabase?.();
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--seed')) {
    await seed();
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  console.log(`bench:slots on ${(await import('node:os')).cpus().length} cores, node ${process.version}`);
  if (options.engine) benchEngine();
  if (options.http) await benchHttp(options);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
