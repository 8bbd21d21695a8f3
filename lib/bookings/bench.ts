/**
 * `npm run bench:booking` — confirm latency, CPU and throughput of the booking core: createBooking()
 * (the function behind POST /api/public/.../bookings and the confirm action) run in TWO app processes
 * (children of this one, each with its own connection pool, caches and JIT) on one Postgres database,
 * against the standalone Zoom emulator over real HTTP at 0 ms latency, which runs in this parent
 * process (so the app processes' CPU is the app's own), with the inline Zoom create included. Not
 * included: HTTP parsing of our own route (`npm run bench:http`) and the worker's mails (measured
 * separately as "drain"). CPU per confirm is the app processes' CPU time (user + system, from
 * process.cpuUsage) over the phase ÷ bookings made; next to it the emulator's, and Postgres's when the
 * server runs on this machine (Linux /proc: its postmaster and backends). Prints figures; asserts nothing.
 *
 * On PGlite (no DATABASE_URL, a database directory of the bench's own) one app process only: the
 * embedded database cannot be shared.
 *
 * Options (env): BENCH_SEQUENTIAL (default 200), BENCH_PARALLEL (400), BENCH_CONCURRENCY (8 per
 * process), BENCH_RACE (50), BENCH_PROCESSES (2 on Postgres), BENCH_DRAIN (0: skip the drain),
 * BENCH_CPU_PROF (a directory: each app process writes a V8 CPU profile of the measured confirms
 * there, for Chrome DevTools or speedscope).
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile } from '@/lib/testing/bench-server';
import { throwawayBenchDatabase } from '@/lib/testing/throwaway-database';

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};
const SEQUENTIAL = num('BENCH_SEQUENTIAL', 200);
const PARALLEL = num('BENCH_PARALLEL', 400);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);
const RACE = num('BENCH_RACE', 50);
const WARMUP = 40;

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** One confirm to make: the page's public URL and the slot. */
type Job = { handle: string; slug: string; start: string; email: string };
type Run =
  | { cmd: 'book'; jobs: Job[]; concurrency: number; expectMeeting: boolean }
  | { cmd: 'drain' }
  | { cmd: 'profile'; dir: string | null }
  | { cmd: 'exit' };
/** What an app process answers for a run: counts by outcome, latencies, its own CPU and wall time over the run. */
type RunResult = { booked: number; refused: number; other: string[]; latencies: number[]; cpuMs: number; wallMs: number; steps?: number; cpuPerJob?: number[] };

// ---- app process (child) -------------------------------------------------------------------------

async function child(): Promise<void> {
  const { createBooking } = await import('./service');
  const { drainSteps } = await import('./effects/worker');
  const { AppError } = await import('@/lib/errors');
  const { closeDb, getDb } = await import('@/lib/db/client');
  await getDb();

  const runBook = async (jobs: Job[], concurrency: number, expectMeeting: boolean): Promise<RunResult> => {
    const cpuPerJob: number[] = [];
    const result: RunResult = { booked: 0, refused: 0, other: [], latencies: [], cpuMs: 0, wallMs: 0, cpuPerJob };
    let next = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          const s = performance.now();
          // One confirm at a time: the process's CPU over it is that confirm's.
          const c = concurrency === 1 ? process.cpuUsage() : null;
          try {
            const booking = await createBooking({ handle: job.handle, slug: job.slug, start: job.start, name: 'Bench guest', email: job.email, timeZone: 'Asia/Tokyo' });
            if (expectMeeting && booking.meeting?.status !== 'created') result.other.push(`meeting ${booking.meeting?.status ?? 'missing'}`);
            else result.booked++;
          } catch (error) {
            if (error instanceof AppError && error.code === 'slot_unavailable') result.refused++;
            else result.other.push(error instanceof Error ? error.message : String(error));
          }
          result.latencies.push(performance.now() - s);
          if (c) {
            const used = process.cpuUsage(c);
            cpuPerJob.push((used.user + used.system) / 1000);
          }
        }
      }),
    );
    result.wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    result.cpuMs = (cpu.user + cpu.system) / 1000;
    return result;
  };

  // BENCH_CPU_PROF: V8's sampling profiler over the measured confirms only (not start-up, warm-up or drain).
  const inspector = await import('node:inspector/promises');
  let session: InstanceType<typeof inspector.Session> | null = null;
  const profile = async (dir: string | null): Promise<void> => {
    if (dir && !session) {
      session = new inspector.Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    } else if (!dir && session) {
      const { profile: result } = await session.post('Profiler.stop');
      const file = path.join(process.env.BENCH_CPU_PROF!, `confirm-${process.pid}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(result));
      session.disconnect();
      session = null;
    }
  };

  process.on('message', async (message: Run) => {
    if (message.cmd === 'profile') {
      await profile(message.dir);
      process.send!({ booked: 0, refused: 0, other: [], latencies: [], cpuMs: 0, wallMs: 0 } satisfies RunResult);
      return;
    }
    if (message.cmd === 'exit') {
      await closeDb();
      process.disconnect();
      return;
    }
    if (message.cmd === 'drain') {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const steps = await drainSteps({ maxRounds: 10_000 });
      const cpu = process.cpuUsage(cpu0);
      process.send!({ booked: 0, refused: 0, other: [], latencies: [], cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0, steps } satisfies RunResult);
      return;
    }
    process.send!(await runBook(message.jobs, message.concurrency, message.expectMeeting));
  });
  process.send!({ ready: true });
}

// ---- orchestration (parent: database setup, Zoom emulator) ----------------------------------------

function startApp(): Promise<ChildProcess> {
  const app = fork(process.argv[1]!, [], { env: { ...process.env, BENCH_APP_PROCESS: '1' }, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    app.once('message', () => resolve(app));
    app.once('exit', (code) => reject(new Error(`app process exited (${code}) before it was ready`)));
  });
}

const ask = (app: ChildProcess, run: Run): Promise<RunResult> =>
  new Promise((resolve) => {
    app.once('message', (result) => resolve(result as RunResult));
    app.send(run);
  });

/** utime, stime, cutime, cstime (clock ticks) and the parent pid of a process, from /proc/<pid>/stat (Linux). */
function procStat(pid: number | string): { ticks: number; ppid: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, ppid 4, utime 14 … cstime 17.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) };
  } catch {
    return null;
  }
}

/** Linux's clock tick (USER_HZ): 100 per second on every mainstream build. */
const TICK_MS = 10;

/**
 * Postgres's CPU so far, in ms, when the server runs on this machine: the postmaster's own and its exited
 * children's (cutime/cstime), plus every living backend's. Null when /proc does not show it (another host, a
 * container, another OS): the line then leaves Postgres out.
 */
function postgresCpu(postmaster: number | null): number | null {
  if (postmaster === null) return null;
  const own = procStat(postmaster);
  if (!own) return null;
  let ticks = own.ticks;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = procStat(entry);
    if (child?.ppid === postmaster) ticks += child.ticks;
  }
  return ticks * TICK_MS;
}

let postmasterPid: number | null = null;

/** Runs `jobsOf(k)` in app process k, all at once; sums what they answer, with this process's CPU (the emulator) over the same time. */
async function together(apps: ChildProcess[], run: (k: number) => Run) {
  const postgres0 = postgresCpu(postmasterPid);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results = await Promise.all(apps.map((app, k) => ask(app, run(k))));
  const wallMs = performance.now() - t0;
  const parentCpu = process.cpuUsage(cpu0);
  const postgres1 = postgresCpu(postmasterPid);
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    booked: results.reduce((n, r) => n + r.booked, 0),
    refused: results.reduce((n, r) => n + r.refused, 0),
    other: results.flatMap((r) => r.other),
    steps: results.reduce((n, r) => n + (r.steps ?? 0), 0),
    appCpuMs: results.reduce((n, r) => n + r.cpuMs, 0),
    emulatorCpuMs: (parentCpu.user + parentCpu.system) / 1000,
    postgresCpuMs: postgres0 !== null && postgres1 !== null ? postgres1 - postgres0 : null,
    wallMs,
    latencies,
    cpuPerJob: results.flatMap((r) => r.cpuPerJob ?? []).sort((a, b) => a - b),
  };
}

type Summary = Awaited<ReturnType<typeof together>>;
const cpuLine = (s: Summary) => {
  const per = (total: number) => ms(total / Math.max(1, s.booked));
  const postgres = s.postgresCpuMs === null ? '' : `, Postgres ${per(s.postgresCpuMs)}`;
  return `CPU per confirm ${per(s.appCpuMs)} in the app processes (Zoom emulator ${per(s.emulatorCpuMs)}${postgres})`;
};
const errorsLine = (s: Summary) => (s.other.length > 0 ? `; ${s.other.length} OTHER ERRORS, first: ${s.other[0]}` : '');

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aki-bench-'));
  Object.assign(process.env, { AKI_DATA_DIR: dataDir, AKI_WORKER: '0', AKI_RATE_LIMIT: '0', SMTP_URL: '' });
  // The figures are the output: no JSON line per step run (unless asked for).
  process.env.AKI_LOG_LEVEL ??= 'silent';
  // PGlite on disk: this process sets it up and closes it, then the one app process opens it.
  if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = path.join(dataDir, 'pglite');
  // On Postgres: a database of its own, dropped at the end, so the drain below counts only this run's steps.
  const dropDatabase = await throwawayBenchDatabase();
  const onPostgres = dropDatabase !== undefined;
  const processes = onPostgres ? num('BENCH_PROCESSES', 2) : 1;

  const { startZoomEmulator } = await import('@/lib/emulators/zoom/testing');
  const { linkZoom, useZoomEmulatorEnv: pointEnvAtEmulator } = await import('@/lib/zoom/testing');
  const { closeDb, getDb } = await import('@/lib/db/client');
  const { makeHost, makePage, slotStart } = await import('./testing');

  const zoom = await startZoomEmulator();
  pointEnvAtEmulator(zoom.url);
  await fetch(`${zoom.url}/__control/config`, { method: 'POST', body: JSON.stringify({ dailyMeetingLimit: 1_000_000 }) });
  await getDb();
  let zoomUsers = 0;
  const zoomPage = async () => {
    const host = await makeHost();
    const user = (await (
      await fetch(`${zoom.url}/__control/users`, { method: 'POST', body: JSON.stringify({ email: `bench${zoomUsers++}@zoom-demo.example`, timezone: 'Asia/Tokyo' }) })
    ).json()) as { id: string };
    if ((await linkZoom(host.id, user.id)) !== 'connected') throw new Error('could not link Zoom');
    const page = await makePage(host.id, { location: { type: 'zoom' } });
    return { handle: host.handle!, slug: page.slug, next: 0 };
  };
  const [warm, main, ...spread] = await Promise.all(Array.from({ length: 2 + CONCURRENCY }, zoomPage));
  if (!warm || !main) throw new Error('no pages');
  // Slots counted from one base instant, so every process books the same calendar.
  const base = new Date();
  let guest = 0;
  const job = (page: { handle: string; slug: string; next: number }): Job => ({
    handle: page.handle,
    slug: page.slug,
    start: slotStart(page.next++, base).toISOString(),
    email: `guest${guest++}@example.com`,
  });
  const jobs = (page: { handle: string; slug: string; next: number }, n: number) => Array.from({ length: n }, () => job(page));

  // Postgres on this machine: its CPU is counted too (the backend's parent is the postmaster).
  if (onPostgres) {
    const { sql } = await import('drizzle-orm');
    const result = (await (await getDb()).execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] };
    postmasterPid = procStat(result.rows[0]!.pid)?.ppid ?? null;
  }
  await closeDb();
  // PGlite: the directory's lock file names this (still living) process until it exits; it is closed now.
  if (!onPostgres) fs.rmSync(`${process.env.PGLITE_DIR}.lock`, { force: true });
  const profileDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null;
  if (profileDir) {
    fs.mkdirSync(profileDir, { recursive: true });
    process.env.BENCH_CPU_PROF = profileDir;
  }
  const apps = await Promise.all(Array.from({ length: processes }, () => startApp()));
  console.log(
    `# bench:booking — createBooking in ${processes} app process${processes > 1 ? 'es' : ''} on one ${onPostgres ? 'postgres' : 'pglite'} database (fresh), Zoom emulator over HTTP at 0 ms in a process of its own, node ${process.version}, ${os.cpus().length} CPUs`,
  );

  // Warm-up of every app process (JIT, connection pool, caches).
  await together(apps, () => ({ cmd: 'book', jobs: jobs(warm, WARMUP), concurrency: 1, expectMeeting: true }));
  await together(apps, () => ({ cmd: 'book', jobs: jobs(warm, WARMUP), concurrency: CONCURRENCY, expectMeeting: true }));

  if (profileDir) await together(apps, () => ({ cmd: 'profile', dir: profileDir }));

  // 1. Sequential latency: one confirm at a time, in one app process.
  const sequential = await together(apps.slice(0, 1), () => ({ cmd: 'book', jobs: jobs(main, SEQUENTIAL), concurrency: 1, expectMeeting: true }));
  const l = sequential.latencies;
  console.log(
    `confirm latency (sequential, one process, n=${SEQUENTIAL}): p50 ${ms(percentile(l, 50))}, p90 ${ms(percentile(l, 90))}, p99 ${ms(percentile(l, 99))}, max ${ms(l.at(-1)!)}; ${cpuLine(sequential)}, median confirm ${ms(percentile(sequential.cpuPerJob, 50))}${errorsLine(sequential)}`,
  );

  // 2. Throughput on distinct slots of one page, every process at once (they queue on the page lock).
  const perProcess = Math.ceil(PARALLEL / processes);
  const onePage = await together(apps, () => ({ cmd: 'book', jobs: jobs(main, perProcess), concurrency: CONCURRENCY, expectMeeting: true }));
  console.log(
    `throughput (distinct slots on one page, n=${onePage.booked}, ${processes} processes × concurrency ${CONCURRENCY}): ${(onePage.booked / (onePage.wallMs / 1000)).toFixed(0)} bookings/s; latency under load p50 ${ms(percentile(onePage.latencies, 50))}, p99 ${ms(percentile(onePage.latencies, 99))}; ${cpuLine(onePage)}${errorsLine(onePage)}`,
  );

  // 2b. Throughput across pages of different hosts (no shared page lock, no shared exclusion range).
  const spreadJobs = (k: number) => {
    const mine: Job[] = [];
    for (let i = 0; mine.length < perProcess; i++) mine.push(job(spread[(i + k) % spread.length]!));
    return mine;
  };
  const prepared = apps.map((_, k) => spreadJobs(k));
  const many = await together(apps, (k) => ({ cmd: 'book', jobs: prepared[k]!, concurrency: CONCURRENCY, expectMeeting: true }));
  console.log(
    `throughput (distinct slots on ${spread.length} hosts' pages, n=${many.booked}, ${processes} processes × concurrency ${CONCURRENCY}): ${(many.booked / (many.wallMs / 1000)).toFixed(0)} bookings/s; latency under load p50 ${ms(percentile(many.latencies, 50))}, p99 ${ms(percentile(many.latencies, 99))}; ${cpuLine(many)}${errorsLine(many)}`,
  );

  if (profileDir) {
    await together(apps, () => ({ cmd: 'profile', dir: null }));
    console.log(`CPU profiles of the confirms above (each app process): ${profileDir}/confirm-<pid>.cpuprofile`);
  }

  // 3. Follow-up work (mails to the outbox, calendar skipped) for everything booked so far, in one process.
  if (process.env.BENCH_DRAIN !== '0') {
    const drain = await together(apps.slice(0, 1), () => ({ cmd: 'drain' }));
    console.log(
      `worker drain (one process): ${drain.steps} steps in ${(drain.wallMs / 1000).toFixed(1)} s (${(drain.steps / (drain.wallMs / 1000)).toFixed(0)} steps/s; mails rendered with .ics into the file outbox)`,
    );
  }

  // 4. Same-slot race, split over the processes.
  const raceSlot = job(main);
  const race = await together(apps, (k) => ({
    cmd: 'book',
    jobs: Array.from({ length: Math.ceil(RACE / processes) }, (_, i) => ({ ...raceSlot, email: `race${k}-${i}@example.com` })),
    concurrency: RACE,
    expectMeeting: true,
  }));
  console.log(
    `same-slot race (${race.latencies.length} concurrent confirms over ${processes} processes): ${race.booked} booked, ${race.refused} slot_unavailable, ${race.other.length} other errors, all settled in ${ms(race.wallMs)}`,
  );

  await Promise.all(
    apps.map(
      (app) =>
        new Promise<void>((resolve) => {
          app.once('exit', () => resolve());
          app.send({ cmd: 'exit' } satisfies Run);
        }),
    ),
  );
  await zoom.close();
  await dropDatabase?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

(process.env.BENCH_APP_PROCESS === '1' ? child() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
