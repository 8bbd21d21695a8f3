import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { bookingSteps } from '@/lib/db/schema/bookings';
import type { StepKind } from '@/lib/bookings/types';

/**
 * The booking steps lib/meetings queues (meeting.event, meeting.sync, zoom.create on a recreate).
 * lib/bookings runs them (effects/worker.ts) and imports lib/meetings, so these write booking_steps
 * rows here rather than through lib/bookings/effects/queue.ts (one direction between the two domains).
 */

/** Same as lib/bookings/effects/queue.ts DEFAULT_MAX_ATTEMPTS. */
const MAX_ATTEMPTS = 10;

/** The REST safety net runs this long after the booking's scheduled end. */
export const SYNC_AFTER_END_MS = 15 * 60_000;
/** After `meeting.ended` (participant lists are complete only after the end). */
export const SYNC_AFTER_ENDED_EVENT_MS = 2 * 60_000;

export async function insertStep(tx: DbOrTx, bookingId: string, kind: StepKind, runAt: Date, now: Date, payload: Record<string, unknown> = {}): Promise<number> {
  const [row] = await tx
    .insert(bookingSteps)
    .values({ bookingId, kind, runAt, payload, maxAttempts: MAX_ATTEMPTS, createdAt: now, updatedAt: now })
    .returning({ id: bookingSteps.id });
  return row!.id;
}

/**
 * One pending step of `kind` per booking: an existing pending one is moved (`set`: to `runAt`;
 * `earlier`: only when `runAt` is earlier; `keep`: left as it is), otherwise one is added.
 */
export async function ensurePendingStep(
  tx: DbOrTx,
  bookingId: string,
  kind: StepKind,
  runAt: Date,
  now: Date,
  how: 'set' | 'earlier' | 'keep',
  payload: Record<string, unknown> = {},
): Promise<void> {
  const [existing] = await tx
    .select({ id: bookingSteps.id, runAt: bookingSteps.runAt })
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, bookingId), eq(bookingSteps.kind, kind), eq(bookingSteps.status, 'pending')))
    .orderBy(asc(bookingSteps.id))
    .limit(1);
  if (!existing) {
    await insertStep(tx, bookingId, kind, runAt, now, payload);
    return;
  }
  if (how === 'keep' || (how === 'earlier' && existing.runAt <= runAt)) return;
  await tx
    .update(bookingSteps)
    .set({ runAt, updatedAt: now, payload: sql`${bookingSteps.payload} || ${JSON.stringify(payload)}::jsonb` })
    .where(eq(bookingSteps.id, existing.id));
}

/** The booking's REST read (meeting.sync), one pending per booking. */
export function scheduleMeetingSync(tx: DbOrTx, bookingId: string, runAt: Date, now: Date, how: 'set' | 'earlier' | 'keep' = 'set'): Promise<void> {
  return ensurePendingStep(tx, bookingId, 'meeting.sync', runAt, now, how);
}

/** When the booking's first REST read is due: its scheduled end + 15 min. */
export const firstSyncAt = (endAt: Date) => new Date(endAt.getTime() + SYNC_AFTER_END_MS);
