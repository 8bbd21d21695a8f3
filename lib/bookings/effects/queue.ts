import 'server-only';
import { and, asc, eq, gt, inArray, like, lt, lte, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { bookingSteps } from '@/lib/db/schema/bookings';
import type { BookingStepRow, StepKind } from '@/lib/bookings/types';
import { instantParam, iso, param, prepared } from '@/lib/db/prepared';

/**
 * The hand-rolled outbox (FOR UPDATE SKIP LOCKED; README: Steps and the worker): booking_steps rows are inserted in
 * the booking's transaction and claimed with FOR UPDATE SKIP LOCKED. A claim sets status=running,
 * bumps attempts and takes a lease (locked_until); a crashed executor's step is reclaimed when the
 * lease ends. Every write goes through db.transaction (PGlite is one session).
 */

/** How long a claimed step is ours. Longer than any single Zoom/SMTP/Google call (their clients time out sooner). */
export const LEASE_MS = 90_000;

export type StepSpec = {
  kind: StepKind;
  runAt: Date;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
  /**
   * Insert the step already claimed (status running, first attempt, lease of LEASE_MS from `now`) — exactly
   * what claimStepById would make of it right after commit, without that extra statement. For the step
   * the request runs inline; should the process die, the worker takes it when the lease ends.
   */
  claimed?: boolean;
  /** Record the step as skipped right away, with this reason (e.g. a reminder whose time had passed at booking). */
  skipped?: string;
};

export const DEFAULT_MAX_ATTEMPTS = 10;

export async function insertSteps(tx: DbOrTx, bookingId: string, specs: StepSpec[], now: Date): Promise<BookingStepRow[]> {
  if (specs.length === 0) return [];
  return tx.insert(bookingSteps).values(stepValues(bookingId, specs, now)).returning();
}

/** The rows insertSteps inserts (for a statement that inserts them along with something else). */
export function stepValues(bookingId: string, specs: StepSpec[], now: Date) {
  return specs.map(
    (s): typeof bookingSteps.$inferInsert => ({
        bookingId,
        kind: s.kind,
        runAt: s.runAt,
        payload: s.skipped ? { ...s.payload, reason: s.skipped } : (s.payload ?? {}),
        maxAttempts: s.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      ...(s.claimed ? { status: 'running' as const, attempts: 1, lockedUntil: new Date(now.getTime() + LEASE_MS) } : {}),
      ...(s.skipped ? { status: 'skipped' as const, doneAt: now } : {}),
      createdAt: now,
      updatedAt: now,
    }),
  );
}

/**
 * insertSteps for a statement built once (lib/db/prepared.ts): the rows come as ONE jsonb parameter
 * (`stepsJson`), so any number and mix of steps fits the same statement; inserted in their order.
 * `bookingId` and `now` are SQL (placeholders); the statement ends in `returning *`.
 */
export function insertStepsFromJson(bookingId: SQL, steps: SQL, now: SQL): SQL {
  return sql`
    insert into booking_steps (booking_id, kind, status, payload, attempts, max_attempts, run_at, locked_until, done_at, created_at, updated_at)
    select ${bookingId}, s.step->>'kind', s.step->>'status', s.step->'payload', (s.step->>'attempts')::int, (s.step->>'maxAttempts')::int,
      (s.step->>'runAt')::timestamptz, (s.step->>'lockedUntil')::timestamptz, (s.step->>'doneAt')::timestamptz, ${now}, ${now}
    from jsonb_array_elements(${steps}::jsonb) with ordinality as s(step, n)
    order by s.n
    returning *`;
}

/** The rows of insertStepsFromJson, as its parameter. Every column is given (the table's defaults do not apply here). */
export function stepsJson(specs: StepSpec[], now: Date): string {
  return JSON.stringify(
    stepValues('', specs, now).map((v) => ({
      kind: v.kind,
      status: v.status ?? 'pending',
      payload: v.payload,
      attempts: v.attempts ?? 0,
      maxAttempts: v.maxAttempts,
      runAt: (v.runAt as Date).toISOString(),
      lockedUntil: v.lockedUntil ? v.lockedUntil.toISOString() : null,
      doneAt: v.doneAt ? v.doneAt.toISOString() : null,
    })),
  );
}

/** Adds a step unless one of that kind is already pending for the booking (then only pulls its run time forward). */
export async function ensureStep(tx: DbOrTx, bookingId: string, spec: StepSpec, now: Date): Promise<void> {
  const [existing] = await tx
    .select({ id: bookingSteps.id, runAt: bookingSteps.runAt })
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, bookingId), eq(bookingSteps.kind, spec.kind), eq(bookingSteps.status, 'pending')))
    .limit(1);
  if (existing) {
    if (existing.runAt > spec.runAt) {
      await tx.update(bookingSteps).set({ runAt: spec.runAt, updatedAt: now }).where(eq(bookingSteps.id, existing.id));
    }
    return;
  }
  await insertSteps(tx, bookingId, [spec], now);
}

/**
 * Claims up to `limit` due steps (pending and due, or running with an expired lease) in one statement:
 * UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING *.
 */
export async function claimDueSteps(db: DbOrTx, now: Date, limit: number): Promise<BookingStepRow[]> {
  const due = db
    .select({ id: bookingSteps.id })
    .from(bookingSteps)
    .where(
      or(
        and(eq(bookingSteps.status, 'pending'), lte(bookingSteps.runAt, now)),
        and(eq(bookingSteps.status, 'running'), lt(bookingSteps.lockedUntil, now)),
      ),
    )
    .orderBy(asc(bookingSteps.runAt), asc(bookingSteps.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(bookingSteps)
    .set({
      status: 'running',
      lockedUntil: new Date(now.getTime() + LEASE_MS),
      attempts: sql`${bookingSteps.attempts} + 1`,
      updatedAt: now,
    })
    .where(inArray(bookingSteps.id, due))
    .returning();
}

/** Claims one specific pending step regardless of its run time (the inline Zoom attempt). Null when someone else has it. */
export async function claimStepById(db: DbOrTx, id: number, now: Date): Promise<BookingStepRow | null> {
  const [claimed] = await db
    .update(bookingSteps)
    .set({ status: 'running', lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${bookingSteps.attempts} + 1`, updatedAt: now })
    .where(and(eq(bookingSteps.id, id), eq(bookingSteps.status, 'pending')))
    .returning();
  return claimed ?? null;
}

/** A booking's mail and calendar steps still held back for its inline Zoom attempt (what releaseFollowUps pulls forward). */
export function followUpsWaiting(bookingId: SQLWrapper | string, now: SQLWrapper | Date): SQL {
  return and(
    eq(bookingSteps.bookingId, bookingId),
    eq(bookingSteps.status, 'pending'),
    gt(bookingSteps.runAt, now),
    or(like(bookingSteps.kind, 'mail.%'), like(bookingSteps.kind, 'calendar.%')),
  )!;
}

export type FinishUpdate = {
  status: 'pending' | 'done' | 'failed' | 'skipped';
  runAt?: Date;
  lastError?: string | null;
  /** Merged into the step's payload. */
  payload?: Record<string, unknown>;
  /** A deferral (waiting for another step) does not count as an attempt. */
  uncountAttempt?: boolean;
};

/**
 * Records the end of an execution. Guarded by (status=running, attempts): an executor whose lease
 * expired and whose step was reclaimed meanwhile does not overwrite the newer claim. Returns false then.
 * Every executed step ends here: one statement, built once per client.
 */
export async function finishStep(db: Db, step: BookingStepRow, update: FinishUpdate, now: Date): Promise<boolean> {
  const rows = await prepared(db, 'finishStep', (root, name) =>
    root
      .update(bookingSteps)
      .set({
        status: param('status'),
        runAt: instantParam('runAt'),
        lockedUntil: null,
        lastError: param('lastError'),
        payload: sql`${sql.placeholder('payload')}::jsonb`,
        attempts: param('attempts'),
        doneAt: instantParam('doneAt'),
        updatedAt: instantParam('now'),
      })
      .where(and(eq(bookingSteps.id, sql.placeholder('id')), eq(bookingSteps.status, 'running'), eq(bookingSteps.attempts, sql.placeholder('claimedAttempts'))))
      .returning({ id: bookingSteps.id })
      .prepare(name),
  ).execute({
    status: update.status,
    runAt: iso(update.runAt ?? step.runAt),
    lastError: update.lastError === undefined ? step.lastError : update.lastError,
    payload: JSON.stringify(update.payload ? { ...step.payload, ...update.payload } : step.payload),
    attempts: update.uncountAttempt ? Math.max(0, step.attempts - 1) : step.attempts,
    doneAt: update.status === 'done' || update.status === 'skipped' ? iso(now) : null,
    now: iso(now),
    id: step.id,
    claimedAttempts: step.attempts,
  });
  return rows.length > 0;
}

export async function stepsOfBooking(db: DbOrTx, bookingId: string): Promise<BookingStepRow[]> {
  return db.select().from(bookingSteps).where(eq(bookingSteps.bookingId, bookingId)).orderBy(asc(bookingSteps.id));
}

export { backoffMs } from '@/lib/backoff';
