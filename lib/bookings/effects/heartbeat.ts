import 'server-only';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { and, eq, gt, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { workerHeartbeats } from '@/lib/db/schema/workers';
import { processSingleton } from '@/lib/process-singletons';

/**
 * Is anyone running the follow-up steps? Each worker loop touches its row in worker_heartbeats every
 * few seconds; /api/health, the host's banner and the guest's confirmation read it together with the
 * steps that are due but not taken.
 */

export type WorkerRole = 'in-process' | 'standalone';

/** How often a worker loop touches its heartbeat. */
export const HEARTBEAT_MS = 5_000;
/** A worker whose heartbeat is older than this counts as gone. */
export const WORKER_ALIVE_MS = 60_000;
/** A due step still not taken after this long means the workers are not keeping up (or absent). */
export const STEP_LATE_MS = 5 * 60_000;
/** Rows of workers that stopped without removing theirs (crash, kill -9) are deleted after this. */
export const HEARTBEAT_PRUNE_MS = 60 * 60_000;

/** This process's identity in logs and heartbeats: hostname-pid-random (unique per start). */
export type ProcessIdentity = { id: string; pid: number; hostname: string };
export function processIdentity(): ProcessIdentity {
  return processSingleton('bookings:process-identity', () => ({
    id: `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    pid: process.pid,
    hostname: os.hostname(),
  }));
}

/** Inserts or touches a worker's row. */
export async function touchHeartbeat(db: DbOrTx, worker: { id: string; pid: number; hostname: string; role: WorkerRole; startedAt: Date }, now: Date): Promise<void> {
  await db
    .insert(workerHeartbeats)
    .values({ id: worker.id, pid: worker.pid, hostname: worker.hostname, role: worker.role, startedAt: worker.startedAt, lastSeenAt: now })
    .onConflictDoUpdate({ target: workerHeartbeats.id, set: { lastSeenAt: now } });
}

export async function removeHeartbeat(db: DbOrTx, id: string): Promise<void> {
  await db.delete(workerHeartbeats).where(eq(workerHeartbeats.id, id));
}

export async function pruneHeartbeats(db: DbOrTx, now: Date): Promise<void> {
  await db.delete(workerHeartbeats).where(lt(workerHeartbeats.lastSeenAt, new Date(now.getTime() - HEARTBEAT_PRUNE_MS)));
}

/** Steps a worker would claim now: pending and due, or running with an expired lease (its executor died). */
function dueSteps(now: Date): SQL {
  return or(
    and(eq(bookingSteps.status, 'pending'), lte(bookingSteps.runAt, now)),
    and(eq(bookingSteps.status, 'running'), lt(bookingSteps.lockedUntil, now)),
  )!;
}

export type WorkerStatus = {
  /** Latest heartbeat of any worker (null: none ever, or all stopped cleanly). */
  lastSeenAt: string | null;
  /** Workers with a heartbeat within WORKER_ALIVE_MS. */
  workers: number;
  /** Steps due now and not taken (pending past their run time, or running with an expired lease). */
  pendingSteps: number;
  /** How long the oldest of those has been due, in whole seconds (null: none). */
  oldestPendingAgeSeconds: number | null;
  /** No live worker, or a due step older than STEP_LATE_MS. */
  degraded: boolean;
  /** Steps are waiting and nobody takes them: what the host's banner says. */
  stalled: boolean;
};

/**
 * The workers' state, two small queries (the heartbeat table has a row per worker; the due steps are
 * read through the partial index on pending/running steps). `userId` limits the steps to one host's.
 */
export async function workerStatus(db: DbOrTx, now: Date = new Date(), options: { userId?: string } = {}): Promise<WorkerStatus> {
  const aliveSince = new Date(now.getTime() - WORKER_ALIVE_MS);
  const [beats] = await db
    .select({
      lastSeenAt: sql<Date | null>`max(${workerHeartbeats.lastSeenAt})`.mapWith(workerHeartbeats.lastSeenAt),
      alive: sql<number>`count(*) filter (where ${gt(workerHeartbeats.lastSeenAt, aliveSince)})`.mapWith(Number),
    })
    .from(workerHeartbeats);
  const since = sql`case when ${bookingSteps.status} = 'pending' then ${bookingSteps.runAt} else ${bookingSteps.lockedUntil} end`;
  const stepsQuery = db
    .select({ n: sql<number>`count(*)`.mapWith(Number), oldest: sql<Date | null>`min(${since})`.mapWith(bookingSteps.runAt) })
    .from(bookingSteps);
  const [steps] = await (options.userId
    ? stepsQuery.where(and(dueSteps(now), inArray(bookingSteps.bookingId, db.select({ id: bookings.id }).from(bookings).where(eq(bookings.userId, options.userId)))))
    : stepsQuery.where(dueSteps(now)));
  const workers = beats?.alive ?? 0;
  const pendingSteps = steps?.n ?? 0;
  const oldest = steps?.oldest ?? null;
  const oldestPendingAgeSeconds = oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)) : null;
  const late = oldestPendingAgeSeconds !== null && oldestPendingAgeSeconds * 1000 > STEP_LATE_MS;
  return {
    lastSeenAt: beats?.lastSeenAt ? beats.lastSeenAt.toISOString() : null,
    workers,
    pendingSteps,
    oldestPendingAgeSeconds,
    degraded: workers === 0 || late,
    stalled: pendingSteps > 0 && (workers === 0 || late),
  };
}

/** A worker has sent a heartbeat recently (cheap: the heartbeat table only). */
export async function workerAlive(db: DbOrTx, now: Date = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ id: workerHeartbeats.id })
    .from(workerHeartbeats)
    .where(gt(workerHeartbeats.lastSeenAt, new Date(now.getTime() - WORKER_ALIVE_MS)))
    .limit(1);
  return row !== undefined;
}
