import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, getTableColumns, gt, inArray, isNull, notInArray, or, sql, type Table } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type BookingPage, scheduleOfPage, scheduleRules } from '@/lib/booking-pages/queries';
import { withEffectiveRules } from '@/lib/booking-pages/rules';
import { isSlotAvailable } from './slots';
import type { BusyInterval } from '@/lib/calendar/types';
import type { Db, DbOrTx, Tx } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { users } from '@/lib/db/schema/hosts';
import { sha256Hex } from '@/lib/crypto';
import { preparedFor } from '@/lib/db/prepared';
import { AppError } from '@/lib/errors';
import { firstSyncAt, scheduleMeetingSync } from '@/lib/meetings/steps';
import type { HostInfo, StepSubject } from './effects/context';
import { ensureStep, insertSteps, type StepSpec, stepValues } from './effects/queue';
import { manageTokenFor, manageTokenHash } from './manage-token';
import { AFTER_MEETING_KINDS, plannedReminderSpecs, REMINDER_SKIP } from './reminders';
import type { ParsedBookingInput } from './schema';
import type { BookingRow, BookingStepRow, StepKind } from './types';
import { emitWebhookEvent, insertWebhookEmitSteps } from '@/lib/webhooks/emit';

/**
 * The booking transactions (README: How a booking happens): the booking row and the rows of its follow-up steps commit
 * together or not at all. The page row is locked first (serialises the daily cap and double clicks
 * per page); the exclusion constraint bookings_no_overlap is the last word on overlaps (invariant 1).
 */

/**
 * A request without Idempotency-Key that repeats a booking made within this window — same page, start,
 * email, name, zone and answers — gets that booking back (a double click / client retry). It is kept
 * short and strict because the answer carries the manage link.
 */
export const DOUBLE_SUBMIT_WINDOW_MS = 2 * 60_000;

const sameAnswers = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * What an Idempotency-Key is bound to (Stripe's contract): the parsed request, so the same key with
 * another guest, slot, zone, answers or locale is refused instead of answered with this booking and
 * its manage link.
 */
export function requestFingerprint(input: ParsedBookingInput): string {
  const answers = Object.entries(input.answers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(JSON.stringify(['v1', input.start.toISOString(), input.name, input.email, input.timeZone, answers, input.locale]));
}

/** The booking a reused key points at, if the request is the same one; otherwise idempotency_key_reused. */
function replayOf(booking: BookingRow, input: ParsedBookingInput, fingerprint: string): BookingRow {
  const same =
    booking.idempotencyFingerprint !== null
      ? booking.idempotencyFingerprint === fingerprint
      : // Rows from before fingerprints: the stored request fields.
        booking.startAt.getTime() === input.start.getTime() &&
        booking.guestName === input.name &&
        booking.guestEmail.toLowerCase() === input.email.toLowerCase() &&
        booking.guestTimeZone === input.timeZone &&
        sameAnswers(booking.answers, input.answers);
  if (!same) throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
  return booking;
}
/** Follow-up steps wait this much longer than the inline Zoom deadline before the worker may take them. */
const FOLLOW_UP_MARGIN_MS = 1_000;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** Public booking id: 20 base32 characters (100 random bits), URL- and agenda-friendly. */
export function newBookingUid(): string {
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

/** SQLSTATE of a driver error (Drizzle wraps it: err.cause.code). */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

const slotUnavailable = () => new AppError('slot_unavailable', 'This time is no longer available');

/** Locks the page row; the page comes with its effective hours (its schedule's when it uses one). */
async function lockPage(tx: Tx, pageId: string): Promise<BookingPage | null> {
  const [row] = await tx
    .select({ page: bookingPages, schedule: scheduleRules })
    .from(bookingPages)
    .leftJoin(availabilitySchedules, scheduleOfPage)
    .where(eq(bookingPages.id, pageId))
    .for('update', { of: bookingPages });
  return row ? withEffectiveRules(row.page, row.schedule) : null;
}

/** lockPage, with the host's fields the inline Zoom step needs read in the same statement (only the page row is locked). Built once. */
async function lockPageWithHost(tx: Tx, pageId: string): Promise<{ page: BookingPage; host: HostInfo } | null> {
  const [row] = await preparedFor(tx, 'lockPageWithHost', (client) =>
    client
      .select({
        page: bookingPages,
        schedule: scheduleRules,
        host: { id: users.id, name: users.name, email: users.email, handle: users.handle, timeZone: users.timeZone, locale: users.locale, hour12: users.hour12 },
      })
      .from(bookingPages)
      .innerJoin(users, eq(users.id, bookingPages.userId))
      .leftJoin(availabilitySchedules, scheduleOfPage)
      .where(eq(bookingPages.id, sql.placeholder('pageId')))
      .for('update', { of: bookingPages })
      .prepare(''),
  ).execute({ pageId });
  return row ? { page: withEffectiveRules(row.page, row.schedule), host: row.host } : null;
}

function blockedRange(page: BookingPage, start: Date) {
  const end = new Date(start.getTime() + page.durationMinutes * 60_000);
  return {
    startAt: start,
    endAt: end,
    blockedStartAt: new Date(start.getTime() - page.bufferBeforeMinutes * 60_000),
    blockedEndAt: new Date(end.getTime() + page.bufferAfterMinutes * 60_000),
  };
}

/** Every column of `table` as a CTE of its rows exposes it (for selecting a whole row from `… RETURNING *`, mapped like the table's). */
function columnsOf(cte: object, table: Table): Record<string, PgColumn> {
  const fields = cte as Record<string, PgColumn>;
  return Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, fields[key]!]));
}

export type InsertBookingResult = {
  booking: BookingRow;
  created: boolean;
  zoomStepId: number | null;
  /**
   * The Zoom step, inserted already claimed (when `inlineDeadlineMs` > 0), with what its handler reads
   * (booking, host, page as committed): the request runs it right after commit without claiming or loading.
   */
  inline?: { step: BookingStepRow; subject: StepSubject };
};

export async function insertBooking(
  db: Db,
  args: {
    pageId: string;
    input: ParsedBookingInput;
    idempotencyKey: string | null;
    now: Date;
    inlineDeadlineMs: number;
    /** The host's calendar busy times around the slot, read before the transaction. */
    calendarBusy?: readonly BusyInterval[];
  },
): Promise<InsertBookingResult> {
  const { input, now, idempotencyKey } = args;
  const fingerprint = requestFingerprint(input);
  try {
    return await db.transaction(async (tx): Promise<InsertBookingResult> => {
      const locked = await lockPageWithHost(tx, args.pageId);
      if (!locked?.page.published) throw new AppError('not_found', 'Booking page not found');
      const { page, host } = locked;

      if (idempotencyKey) {
        const [same] = await tx
          .select()
          .from(bookings)
          .where(and(eq(bookings.pageId, page.id), eq(bookings.idempotencyKey, idempotencyKey)))
          .limit(1);
        if (same) return { booking: replayOf(same, input, fingerprint), created: false, zoomStepId: null };
      }
      if (!(await isSlotAvailable(tx, page, input.start, now, { calendarBusy: args.calendarBusy }))) {
        // A double submit is looked for only here: its booking (confirmed, same host, same start) always
        // makes the slot unavailable, so a free slot cannot have one and is booked without that query.
        const [repeated] = await tx
          .select()
          .from(bookings)
          .where(
            and(
              eq(bookings.pageId, page.id),
              eq(bookings.startAt, input.start),
              eq(bookings.status, 'confirmed'),
              sql`lower(${bookings.guestEmail}) = ${input.email.toLowerCase()}`,
              gt(bookings.createdAt, new Date(now.getTime() - DOUBLE_SUBMIT_WINDOW_MS)),
            ),
          )
          .limit(1);
        if (repeated && repeated.guestName === input.name && repeated.guestTimeZone === input.timeZone && sameAnswers(repeated.answers, input.answers)) {
          return { booking: repeated, created: false, zoomStepId: null };
        }
        throw slotUnavailable();
      }

      const id = randomUUID();
      const zoom = page.location.type === 'zoom';
      const later = new Date(now.getTime() + args.inlineDeadlineMs + FOLLOW_UP_MARGIN_MS);
      const specs: StepSpec[] = [
        { kind: 'calendar.create', runAt: later },
        { kind: 'mail.guest.confirmed', runAt: later },
        { kind: 'mail.host.confirmed', runAt: later },
      ];
      // The request runs the Zoom step right after commit, so it is inserted claimed (as claimStepById would
      // claim it): should this process die first, the worker takes it when its lease ends. Without an
      // inline attempt it simply waits for the worker.
      const inline = zoom && args.inlineDeadlineMs > 0;
      if (zoom) specs.unshift({ kind: 'zoom.create', runAt: later, claimed: inline });
      const range = blockedRange(page, input.start);
      specs.push(...plannedReminderSpecs(page, range.startAt, range.endAt, now));

      // The booking and its steps in ONE statement (the page lock is held for one round trip less). The
      // steps' foreign key is checked at the end of the statement, when the booking row exists.
      const insertedBooking = tx.$with('inserted_booking').as(
        tx
          .insert(bookings)
          .values({
            id,
            uid: newBookingUid(),
            userId: page.userId,
            pageId: page.id,
            title: page.title,
            location: page.location,
            ...range,
            status: 'confirmed',
            guestName: input.name,
            guestEmail: input.email,
            guestTimeZone: input.timeZone,
            guestLocale: input.locale,
            guestHour12: input.hour12,
            answers: input.answers,
            manageTokenHash: manageTokenHash(manageTokenFor(id)),
            idempotencyKey,
            idempotencyFingerprint: idempotencyKey ? fingerprint : null,
            meetingStatus: zoom ? 'pending' : 'none',
            // Attendance is measured only for Zoom meetings (lib/meetings/attendance.ts).
            ...(zoom ? {} : { attendanceStatus: 'unknown' as const, attendanceReason: 'not_zoom' }),
            createdAt: now,
            updatedAt: now,
          })
          .returning(),
      );
      const insertedSteps = tx.$with('inserted_steps').as(tx.insert(bookingSteps).values(stepValues(id, specs, now)).returning());
      // booking.created for the host's webhooks, in the same statement (nothing without a subscription).
      const webhookStep = tx
        .$with('booking_created_webhook', { id: sql<number>`id` })
        .as(sql`${insertWebhookEmitSteps(sql`from inserted_booking b where true`, 'booking.created', sql`${now.toISOString()}::timestamptz`)} returning id`);
      const [row] = (await tx
        .with(insertedBooking, insertedSteps, webhookStep)
        .select({ booking: columnsOf(insertedBooking, bookings), zoomStep: columnsOf(insertedSteps, bookingSteps) })
        .from(insertedBooking)
        .leftJoin(insertedSteps, eq(insertedSteps.kind, 'zoom.create'))) as { booking: BookingRow; zoomStep: BookingStepRow | null }[];
      if (!row) throw new Error('insert returned no row');
      const { booking, zoomStep } = row;

      return {
        booking,
        created: true,
        zoomStepId: zoomStep?.id ?? null,
        inline: inline && zoomStep ? { step: zoomStep, subject: { booking, host, page: { id: page.id, slug: page.slug, questions: page.questions, registerGuests: page.registerGuests } } } : undefined,
      };
    });
  } catch (error) {
    if (sqlState(error) === '23P01') throw slotUnavailable();
    if (sqlState(error) === '23505' && idempotencyKey) {
      // Same key raced on another page lock holder: answer with the winner.
      const [same] = await db
        .select()
        .from(bookings)
        .where(and(eq(bookings.pageId, args.pageId), eq(bookings.idempotencyKey, idempotencyKey)))
        .limit(1);
      if (same) return { booking: replayOf(same, input, fingerprint), created: false, zoomStepId: null };
    }
    throw error;
  }
}

/** Steps that lose their point when the booking is cancelled. */
const OBSOLETE_ON_CANCEL: StepKind[] = [
  'zoom.create',
  'zoom.update',
  'calendar.create',
  'calendar.update',
  'mail.guest.confirmed',
  'mail.host.confirmed',
  'mail.guest.rescheduled',
  'mail.host.rescheduled',
  'mail.guest.link_ready',
  'mail.host.link_ready',
  'mail.host.zoom_problem',
  'meeting.sync',
  ...AFTER_MEETING_KINDS,
];

async function skipPending(tx: Tx, bookingId: string, kinds: StepKind[], reason: string, now: Date) {
  await tx
    .update(bookingSteps)
    .set({
      status: 'skipped',
      payload: sql`${bookingSteps.payload} || ${JSON.stringify({ reason })}::jsonb`,
      doneAt: now,
      updatedAt: now,
    })
    .where(and(eq(bookingSteps.bookingId, bookingId), eq(bookingSteps.status, 'pending'), inArray(bookingSteps.kind, kinds)));
}

export async function cancelBookingRow(
  db: Db,
  args: { bookingId: string; by: 'guest' | 'host'; reason: string | null; now: Date; guard?: (booking: BookingRow) => void },
): Promise<{ booking: BookingRow; changed: boolean }> {
  const { now } = args;
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(bookings).where(eq(bookings.id, args.bookingId)).for('update');
    if (!current) throw new AppError('not_found', 'Booking not found');
    if (current.status === 'cancelled') return { booking: current, changed: false };
    args.guard?.(current);
    const [booking] = await tx
      .update(bookings)
      .set({
        status: 'cancelled',
        cancelledAt: now,
        cancelledBy: args.by,
        cancelReason: args.reason,
        sequence: sql`${bookings.sequence} + 1`,
        updatedAt: now,
      })
      .where(eq(bookings.id, current.id))
      .returning();
    if (!booking) throw new Error('update returned no row');
    await skipPending(tx, booking.id, OBSOLETE_ON_CANCEL, 'booking cancelled', now);
    const specs: StepSpec[] = [
      { kind: 'calendar.delete', runAt: now },
      { kind: 'mail.guest.cancelled', runAt: now },
      { kind: 'mail.host.cancelled', runAt: now },
    ];
    if (booking.location.type === 'zoom') specs.unshift({ kind: 'zoom.delete', runAt: now });
    await insertSteps(tx, booking.id, specs, now);
    await emitWebhookEvent(tx, booking, 'booking.cancelled', now);
    return { booking, changed: true };
  });
}

export async function rescheduleBookingRow(
  db: Db,
  args: {
    bookingId: string;
    start: Date;
    now: Date;
    inlineDeadlineMs: number;
    calendarBusy?: readonly BusyInterval[];
    guard?: (booking: BookingRow) => void;
    /** Who moved it (the mails say so); the host may add a note for the guest. */
    by?: 'guest' | 'host';
    note?: string | null;
  },
): Promise<{ booking: BookingRow; changed: boolean; zoomStepId: number | null }> {
  const { now, start } = args;
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx.select().from(bookings).where(eq(bookings.id, args.bookingId)).limit(1);
      if (!current) throw new AppError('not_found', 'Booking not found');
      if (!current.pageId) throw new AppError('conflict', 'The booking page no longer exists; this booking can only be cancelled');
      // Page first, then booking: the same lock order as a new booking on this page.
      const page = await lockPage(tx, current.pageId);
      if (!page) throw new AppError('conflict', 'The booking page no longer exists; this booking can only be cancelled');
      const [locked] = await tx.select().from(bookings).where(eq(bookings.id, current.id)).for('update');
      if (!locked) throw new AppError('not_found', 'Booking not found');
      if (locked.status !== 'confirmed') throw new AppError('conflict', 'This booking is cancelled');
      args.guard?.(locked);
      if (locked.startAt.getTime() === start.getTime()) return { booking: locked, changed: false, zoomStepId: null };
      if (!(await isSlotAvailable(tx, page, start, now, { ignoreBookingId: locked.id, calendarBusy: args.calendarBusy }))) throw slotUnavailable();

      const [booking] = await tx
        .update(bookings)
        .set({ ...blockedRange(page, start), sequence: sql`${bookings.sequence} + 1`, updatedAt: now })
        .where(eq(bookings.id, locked.id))
        .returning();
      if (!booking) throw new Error('update returned no row');
      // An earlier reschedule's unsent mails would announce a time that no longer holds.
      await skipPending(tx, booking.id, ['mail.guest.rescheduled', 'mail.host.rescheduled'], 'superseded by a later reschedule', now);
      await skipPending(tx, booking.id, [...AFTER_MEETING_KINDS], REMINDER_SKIP.rescheduled, now);
      const later = new Date(now.getTime() + args.inlineDeadlineMs + FOLLOW_UP_MARGIN_MS);
      const previous = {
        previousStart: locked.startAt.toISOString(),
        previousEnd: locked.endAt.toISOString(),
        ...(args.by === 'host' ? { rescheduledBy: 'host', ...(args.note ? { note: args.note } : {}) } : {}),
      };
      const specs: StepSpec[] = [
        { kind: 'calendar.update', runAt: now },
        { kind: 'mail.guest.rescheduled', runAt: later, payload: previous },
        { kind: 'mail.host.rescheduled', runAt: later, payload: previous },
      ];
      if (booking.location.type === 'zoom') specs.unshift({ kind: 'zoom.update', runAt: later });
      specs.push(...plannedReminderSpecs(page, booking.startAt, booking.endAt, now));
      const steps = await insertSteps(tx, booking.id, specs, now);
      await emitWebhookEvent(tx, booking, 'booking.rescheduled', now);
      // The REST read of the meeting follows the booking's new end (one pending per booking).
      if (booking.location.type === 'zoom' && booking.zoomMeetingId) await scheduleMeetingSync(tx, booking.id, firstSyncAt(booking.endAt), now, 'set');
      return { booking, changed: true, zoomStepId: steps.find((s) => s.kind === 'zoom.update')?.id ?? null };
    });
  } catch (error) {
    if (sqlState(error) === '23P01') throw slotUnavailable();
    throw error;
  }
}

/** Puts a booking's failed or waiting steps back in line, now (the host's retry button). */
export async function requeueSteps(db: Db, bookingId: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(bookingSteps)
      .set({ status: 'pending', runAt: now, attempts: 0, updatedAt: now, doneAt: null })
      .where(
        and(
          eq(bookingSteps.bookingId, bookingId),
          // A planned reminder or follow-up waits for its time, not for a retry.
          or(eq(bookingSteps.status, 'failed'), and(eq(bookingSteps.status, 'pending'), notInArray(bookingSteps.kind, [...AFTER_MEETING_KINDS]))),
        ),
      )
      .returning({ id: bookingSteps.id, kind: bookingSteps.kind });
    if (rows.some((r) => r.kind === 'zoom.create')) {
      await tx
        .update(bookings)
        .set({ meetingStatus: 'pending', attendanceStatus: 'pending', attendanceReason: null, updatedAt: now })
        .where(and(eq(bookings.id, bookingId), eq(bookings.meetingStatus, 'failed')));
    }
    return rows.length;
  });
}

// ---- written by the pipeline steps (lib/bookings/effects) ----------------------------------------

/** calendar.create succeeded: the event id on the booking (what update/delete and the feed use). */
export async function setCalendarEventId(db: DbOrTx, bookingId: string, eventId: string, now: Date): Promise<void> {
  await db.update(bookings).set({ calendarEventId: eventId, updatedAt: now }).where(eq(bookings.id, bookingId));
}

/** The host deleted the calendar event: forget it and queue a new calendar.create, in one transaction. */
export async function recreateCalendarEvent(db: Db, bookingId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(bookings).set({ calendarEventId: null, updatedAt: now }).where(eq(bookings.id, bookingId));
    await ensureStep(tx, bookingId, { kind: 'calendar.create', runAt: now }, now);
  });
}

/** zoom.create gave up: the booking shows the meeting as failed, unless a meeting was stored meanwhile. */
export async function markMeetingFailed(db: DbOrTx, bookingId: string, now: Date): Promise<void> {
  await db
    .update(bookings)
    .set({ meetingStatus: 'failed', attendanceStatus: 'unknown', attendanceReason: 'meeting_failed', updatedAt: now })
    .where(and(eq(bookings.id, bookingId), isNull(bookings.zoomMeetingId)));
}

/** zoom.update: Zoom answered a new join link or password for the same meeting. */
export async function updateMeetingLink(db: DbOrTx, bookingId: string, meetingId: string, link: { joinUrl: string; password: string | null }, now: Date): Promise<void> {
  await db
    .update(bookings)
    .set({ zoomJoinUrl: link.joinUrl, zoomPassword: link.password, updatedAt: now })
    .where(and(eq(bookings.id, bookingId), eq(bookings.zoomMeetingId, meetingId)));
}

/**
 * The meeting is gone in Zoom (deleted, or started/ended so it cannot move): drop it from the booking
 * and queue a new zoom.create, in one transaction.
 */
export async function recreateMeeting(db: Db, bookingId: string, meetingId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(bookings)
      .set({ meetingStatus: 'pending', zoomMeetingId: null, zoomJoinUrl: null, zoomPassword: null, updatedAt: now })
      .where(and(eq(bookings.id, bookingId), eq(bookings.zoomMeetingId, meetingId)));
    await ensureStep(tx, bookingId, { kind: 'zoom.create', runAt: now }, now);
  });
}
