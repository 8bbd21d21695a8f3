import 'server-only';
import { eq } from 'drizzle-orm';
import type { BookingQuestion } from '@/lib/booking-pages/schema';
import type { Db, DbOrTx } from '@/lib/db/client';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookings } from '@/lib/db/schema/bookings';
import { users } from '@/lib/db/schema/hosts';
import type { BookingRow, BookingStepRow } from '@/lib/bookings/types';
import type { ZoomChoiceAndLink } from '@/lib/meetings/credentials';

/** What a step handler gets: its claimed row, the booking as it is now, its host and page. */
export type StepContext = {
  db: Db;
  step: BookingStepRow;
  booking: BookingRow;
  host: HostInfo;
  /** `registerGuests` and `teamKind` as read with the booking (left out: the Zoom step reads what it needs). */
  page: { id: string; slug: string; questions: BookingQuestion[]; registerGuests?: boolean; teamKind?: 'round_robin' | 'collective' | null } | null;
  now: Date;
  /** Per-call timeout for Zoom (the inline attempt uses its deadline; the worker the client's default). */
  zoomTimeoutMs?: number;
  /** When the step's result is recorded: the caller's fixed time (tests), else the moment it is asked. */
  clock?: () => Date;
  /** Set for the request's inline attempt (see runClaimedStepInline). */
  inline?: InlineRun;
  /** The host's Zoom choice and own link as the booking's transaction read them (inline attempt only). */
  zoomChoice?: ZoomChoiceAndLink;
};

/**
 * The request's inline attempt. While `releaseFollowUps` holds (the request still waits), the booking's
 * mail and calendar steps are held back for this step: a handler that records its result may release
 * them in the same statement (and says so with `followUpsReleased`), sparing the request its own release.
 */
export type InlineRun = { releaseFollowUps: boolean };

export type HostInfo = { id: string; name: string | null; email: string; handle: string | null; timeZone: string; locale: 'ja' | 'en'; hour12: boolean | null };

/**
 * How a step ended:
 * - done / skipped (nothing to do, e.g. no calendar linked) — final;
 * - defer: waiting for another step (not counted as an attempt);
 * - retry: failed, try again after backoff (or `delayMs`, e.g. Retry-After); fails for good at maxAttempts;
 * - wait: cannot proceed until the host acts (Zoom revoked/not connected): slow retry, never gives up;
 * - fail: permanent failure.
 */
export type StepOutcome =
  /** `booking`: the booking row as the step left it, when it wrote it (not stored; lets the inline caller skip a re-read). */
  /** `finished`: the handler recorded the step as done in its own last statement (as finishStep would): whether that took. */
  | { type: 'done'; payload?: Record<string, unknown>; booking?: BookingRow; followUpsReleased?: boolean; finished?: boolean }
  | { type: 'skipped'; reason: string }
  | { type: 'defer'; delayMs: number; reason: string }
  | { type: 'retry'; error: string; delayMs?: number; payload?: Record<string, unknown> }
  | { type: 'wait'; error: string; delayMs: number }
  | { type: 'fail'; error: string };

export type StepHandler = {
  run(ctx: StepContext): Promise<StepOutcome>;
  /** Called once when the step is marked failed for good (attempts exhausted or permanent failure). */
  onFailed?(ctx: StepContext, error: string): Promise<void>;
};

export async function loadHost(db: DbOrTx, userId: string): Promise<HostInfo | null> {
  const [host] = await db
    .select({ id: users.id, name: users.name, email: users.email, handle: users.handle, timeZone: users.timeZone, locale: users.locale, hour12: users.hour12 })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return host ?? null;
}

/** What loadStepContext reads, for a caller that already holds it (the request that just booked). */
export type StepSubject = Pick<StepContext, 'booking' | 'host' | 'page' | 'zoomChoice'>;

/** The booking, its host and its page in one query. */
export async function loadStepContext(db: Db, step: BookingStepRow, now: Date): Promise<StepContext | null> {
  const [row] = await db
    .select({
      booking: bookings,
      host: { id: users.id, name: users.name, email: users.email, handle: users.handle, timeZone: users.timeZone, locale: users.locale, hour12: users.hour12 },
      page: {
        id: bookingPages.id,
        slug: bookingPages.slug,
        questions: bookingPages.questions,
        registerGuests: bookingPages.registerGuests,
        teamKind: bookingPages.teamKind,
      },
    })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.userId))
    .leftJoin(bookingPages, eq(bookingPages.id, bookings.pageId))
    .where(eq(bookings.id, step.bookingId))
    .limit(1);
  if (!row) return null;
  const former = formerHostOf(step.payload);
  if (former) {
    // The step acts for the host the booking had before it was given to another member: on their meeting,
    // their calendar event and to them, as if the booking were cancelled for them.
    const host = await loadHost(db, former.userId);
    if (!host) return null;
    const booking: BookingRow = {
      ...row.booking,
      userId: former.userId,
      zoomMeetingId: former.zoomMeetingId,
      zoomCredential: former.zoomCredential,
      zoomHostUserId: former.zoomHostUserId,
      calendarEventId: former.calendarEventId,
      status: 'cancelled',
      cancelledBy: 'host',
      cancelReason: null,
    };
    return { db, step, booking, host, page: row.page, now };
  }
  return { db, step, booking: row.booking, host: row.host, page: row.page, now };
}

/**
 * What a step acting for a booking's former host carries (payload `formerHost`; lib/teams/reassign.ts):
 * the booking's fields as they were for that host.
 */
export type FormerHost = {
  userId: string;
  zoomMeetingId: string | null;
  zoomCredential: string | null;
  zoomHostUserId: string | null;
  calendarEventId: string | null;
  /** Who has the booking now (their display name): the former host's mail says so. */
  note: string;
};

function formerHostOf(payload: Record<string, unknown>): FormerHost | null {
  const value = payload.formerHost as Partial<FormerHost> | undefined;
  if (!value || typeof value !== 'object' || typeof value.userId !== 'string') return null;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    userId: value.userId,
    zoomMeetingId: text(value.zoomMeetingId),
    zoomCredential: text(value.zoomCredential),
    zoomHostUserId: text(value.zoomHostUserId),
    calendarEventId: text(value.calendarEventId),
    note: text(value.note) ?? '',
  };
}

export const hostDisplayName = (host: HostInfo) => host.name?.trim() || host.handle || host.email;
export const zoomMarker = (uid: string) => `aki:${uid}`;
export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);
