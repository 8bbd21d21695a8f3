import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/lib/db/client';
import { workerHeartbeats } from '@/lib/db/schema/workers';
import { startZoomEmulator } from '@/lib/emulators/zoom/testing';
import { resetEnvCache } from '@/lib/env';
import type { LogLine } from '@/lib/log';
import { waitFor } from '@/lib/testing/wait';
import { linkZoom, useZoomEmulatorEnv } from '@/lib/zoom/testing';
import { processIdentity, touchHeartbeat, WORKER_ALIVE_MS } from './effects/heartbeat';
import { drainSteps, startWorker } from './effects/worker';
import { getWorkerStatus, healthReport } from './queries';
import { createBooking, getBookingForConfirmation } from './service';
import { makeHost, makePage, outboxFor, slotStart } from './testing';

/**
 * Issue "Self-hosting for real", defect 3: the worker is visible. A heartbeat row per worker loop,
 * /api/health reports it with the steps waiting, every step run writes one JSON log line naming the
 * process that ran it, and the guest's confirmation only says "sent" for a mail that was sent.
 * (The integration setup runs without an in-process worker, like AKI_WORKER=0 with no `npm run worker`.)
 */

const minutes = (n: number) => n * 60_000;

async function phoneBooking(index: number, email: string) {
  const host = await makeHost();
  const page = await makePage(host.id, { location: { type: 'phone' } });
  const booking = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(index).toISOString(), name: 'Guest', email, timeZone: 'UTC' });
  return { host, booking };
}

let closeEmulator: (() => Promise<void>) | undefined;
let emulatorUrl = '';

beforeAll(async () => {
  await getDb(); // the first open (migrations) is not what the health check's deadline is about
  const started = await startZoomEmulator();
  closeEmulator = started.close;
  emulatorUrl = started.url;
  useZoomEmulatorEnv(emulatorUrl);
});

afterAll(async () => {
  await closeEmulator?.();
});

describe('worker heartbeat and /api/health', () => {
  it('no worker: 200 with degraded ["worker"], the waiting steps counted and aged; the host banner condition holds', async () => {
    const empty = await healthReport();
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      ok: true,
      database: expect.stringMatching(/^(postgres|pglite)$/),
      worker: { lastSeenAt: null, workers: 0, pendingSteps: 0, oldestPendingAgeSeconds: null },
      degraded: ['worker'],
    });

    const { host } = await phoneBooking(2, 'nobody-sends@example.com');
    const now = new Date();
    const health = await healthReport(now);
    expect(health.status).toBe(200);
    if (!health.body.ok) throw new Error('database down');
    // The guest's and the host's confirmation mails (and the calendar step) wait.
    expect(health.body.worker!.pendingSteps).toBeGreaterThanOrEqual(2);
    expect(health.body.worker!.oldestPendingAgeSeconds).toBeLessThan(60);
    expect(health.body.degraded).toEqual(['worker']);

    // Ten minutes later nothing has moved: the age says so.
    const later = await healthReport(new Date(now.getTime() + minutes(10)));
    if (!later.body.ok) throw new Error('database down');
    expect(later.body.worker!.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(600);

    const forHost = await getWorkerStatus(now, { userId: host.id });
    expect(forHost).toMatchObject({ workers: 0, stalled: true });
    // Another host with nothing waiting sees no banner.
    const other = await makeHost();
    expect(await getWorkerStatus(now, { userId: other.id })).toMatchObject({ pendingSteps: 0, stalled: false });
    await drainSteps();
  });

  it('a running worker beats, drains the steps (one log line each, naming the process), and removes its row when stopped', async () => {
    const lines: LogLine[] = [];
    const worker = startWorker({ pollMs: 100, heartbeatMs: 200, log: (line) => lines.push(line) });
    let uid = '';
    try {
      await waitFor(async () => (await getWorkerStatus()).workers === 1, { what: 'the heartbeat' });
      const { booking } = await phoneBooking(4, 'worker-sends@example.com');
      uid = booking.uid;
      await waitFor(async () => (await outboxFor('worker-sends@example.com')).length === 1, { what: 'the guest mail' });
      await waitFor(async () => (await getWorkerStatus()).pendingSteps === 0, { what: 'the steps to drain' });

      const health = await healthReport();
      expect(health.status).toBe(200);
      if (!health.body.ok) throw new Error('database down');
      expect(health.body.degraded).toEqual([]);
      expect(health.body.worker).toMatchObject({ workers: 1, pendingSteps: 0, oldestPendingAgeSeconds: null });
      expect(Date.now() - Date.parse(health.body.worker!.lastSeenAt!)).toBeLessThan(WORKER_ALIVE_MS);

      const db = await getDb();
      const [row] = await db.select().from(workerHeartbeats).where(eq(workerHeartbeats.id, processIdentity().id));
      expect(row).toMatchObject({ pid: process.pid, role: 'in-process' });
    } finally {
      await worker.stop();
    }

    const me = processIdentity();
    const guestMail = lines.find((l) => l.msg === 'step' && l.booking === uid && l.step === 'mail.guest.confirmed');
    expect(guestMail).toMatchObject({ level: 'info', stepId: expect.any(Number), attempt: 1, outcome: 'done', worker: me.id, role: 'in-process', pid: process.pid });
    expect(guestMail!.durationMs).toEqual(expect.any(Number));
    // One line per step run of this booking, every one a JSON-serialisable object.
    const ofBooking = lines.filter((l) => l.msg === 'step' && l.booking === uid);
    expect(new Set(ofBooking.map((l) => l.step))).toEqual(new Set(['mail.guest.confirmed', 'mail.host.confirmed', 'calendar.create']));
    for (const line of ofBooking) expect(JSON.parse(JSON.stringify(line))).toEqual(line);
    expect(lines.some((l) => l.msg === 'worker started' && l.worker === me.id)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'worker stopped', worker: me.id });

    // A clean stop leaves no heartbeat: health says "no worker" right away.
    const after = await healthReport();
    if (!after.body.ok) throw new Error('database down');
    expect(after.body.worker!.workers).toBe(0);
    expect(after.body.degraded).toEqual(['worker']);
  });

  it('a worker whose heartbeat is older than a minute counts as gone', async () => {
    const db = await getDb();
    const now = new Date();
    await touchHeartbeat(db, { id: 'crashed-1', pid: 1, hostname: 'elsewhere', role: 'standalone', startedAt: new Date(now.getTime() - minutes(10)) }, new Date(now.getTime() - minutes(2)));
    const status = await getWorkerStatus(now);
    expect(status.workers).toBe(0);
    expect(status.lastSeenAt).toBe(new Date(now.getTime() - minutes(2)).toISOString());
    expect(status.degraded).toBe(true);
    await touchHeartbeat(db, { id: 'crashed-1', pid: 1, hostname: 'elsewhere', role: 'standalone', startedAt: now }, now);
    expect(await getWorkerStatus(now)).toMatchObject({ workers: 1, degraded: false });
    await db.delete(workerHeartbeats).where(eq(workerHeartbeats.id, 'crashed-1'));
  });
});

describe('step log lines', () => {
  it('the inline Zoom attempt of the booking request writes its line as JSON on stdout (role "inline"), retries say when', async () => {
    const host = await makeHost();
    const created = await fetch(`${emulatorUrl}/__control/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'log-inline@zoom-demo.example', timezone: 'UTC' }),
    });
    const zoomUser = (await created.json()) as { id: string };
    expect(await linkZoom(host.id, String(zoomUser.id))).toBe('connected');
    const page = await makePage(host.id);
    const fault = await fetch(`${emulatorUrl}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'POST', path: '/v2/users/me/meetings', status: 500, times: 1, body: { code: 500, message: 'Internal error' } }),
    });
    expect(fault.status).toBe(200);

    // The default sink: JSON lines on stdout, at AKI_LOG_LEVEL (the integration setup keeps errors only).
    const level = process.env.AKI_LOG_LEVEL;
    process.env.AKI_LOG_LEVEL = 'info';
    resetEnvCache();
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    let uid: string;
    try {
      uid = (await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(6).toISOString(), name: 'G', email: 'log-inline@example.com', timeZone: 'UTC' })).uid;
    } finally {
      spy.mockRestore();
      if (level === undefined) delete process.env.AKI_LOG_LEVEL;
      else process.env.AKI_LOG_LEVEL = level;
      resetEnvCache();
    }
    const parsed = written.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line) as Record<string, unknown>);
    const inline = parsed.find((l) => l.msg === 'step' && l.booking === uid && l.step === 'zoom.create');
    expect(inline).toMatchObject({ level: 'warn', attempt: 1, outcome: 'retry', role: 'inline', pid: process.pid, worker: processIdentity().id });
    expect(String(inline!.error)).toMatch(/500/);
    expect(Date.parse(String(inline!.nextRetryAt))).toBeGreaterThan(Date.now());
    expect(Date.parse(String(inline!.time))).not.toBeNaN();

    // A direct run (script, test) with a sink of its own.
    const lines: LogLine[] = [];
    await drainSteps({ now: new Date(Date.now() + minutes(10)), log: (line) => lines.push(line) });
    expect(lines.find((l) => l.booking === uid && l.step === 'zoom.create')).toMatchObject({ attempt: 2, outcome: 'done', role: 'direct' });
    expect(lines.find((l) => l.booking === uid && l.step === 'zoom.create')).not.toHaveProperty('error');
  });
});

describe('the guest confirmation is truthful about the mail', () => {
  it('with no worker it says the mail will follow; with a live worker that it is on its way; once sent, that it was sent', async () => {
    const { booking } = await phoneBooking(8, 'truthful@example.com');
    const token = new URL(booking.manageUrl).searchParams.get('token');
    const pending = await getBookingForConfirmation(booking.uid, token);
    expect(pending!.guestMail).toEqual({ status: 'pending', workerRunning: false });

    const db = await getDb();
    const me = processIdentity();
    await touchHeartbeat(db, { id: 'alive-1', pid: me.pid, hostname: me.hostname, role: 'standalone', startedAt: new Date() }, new Date());
    expect((await getBookingForConfirmation(booking.uid, token))!.guestMail).toEqual({ status: 'pending', workerRunning: true });
    await db.delete(workerHeartbeats).where(eq(workerHeartbeats.id, 'alive-1'));

    await drainSteps();
    expect(await outboxFor('truthful@example.com')).toHaveLength(1);
    expect((await getBookingForConfirmation(booking.uid, token))!.guestMail).toEqual({ status: 'sent', workerRunning: false });
  });
});
