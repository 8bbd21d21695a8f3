import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, getTableColumns, gt, inArray, isNull, notInArray, or, sql, type Table } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type BookingPage, scheduleOfPage, scheduleRules } from '@/lib/booking-pages/queries';
import { withEffectiveRules } from '@/lib/booking-pages/rules';
import { freeMembersAt, isSlotAvailable, type KnownSpans, type SlotCheckRange } from './slots';
import { fairnessOrder } from '@/lib/availability/team';
import type { TeamKind } from '@/lib/db/schema/booking-pages';
import { assignmentRecords, type TeamMember, teamMembersOf } from '@/lib/booking-pages/team-members';
import type { BusyInterval } from '@/lib/calendar/types';
import type { Db, DbOrTx, Tx } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { users } from '@/lib/db/schema/hosts';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { sha256Hex } from '@/lib/crypto';
import { instantParam, iso, param, preparedFor } from '@/lib/db/prepared';
import { AppError } from '@/lib/errors';
import { zoomChoiceColumns, type ZoomChoiceAndLink, zoomChoiceFrom } from '@/lib/meetings/credentials';
import { firstSyncAt, scheduleMeetingSync } from '@/lib/meetings/steps';
import type { FormerHost, HostInfo, StepSubject } from './effects/context';
import { ensureStep, insertSteps, insertStepsFromJson, type StepSpec, stepsJson, stepValues } from './effects/queue';
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

/**
 * `lostRace`: the time looked free but a simultaneous booking took the host first (the exclusion
 * constraint's 23P01): a team booking tries its next free member then, and only then.
 */
const slotUnavailable = (details: { lostRace?: true } = {}) => new AppError('slot_unavailable', 'This time is no longer available', details);
/** A member's row of a collective booking is moved and cancelled only with the booking itself (its lead row). */
const memberHoldOnly = () => new AppError('conflict', 'This is a member’s part of a team booking: it is moved or cancelled with the booking itself');

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

/** The columns of a personal page's lock statement: the page with its hours, the host, their Zoom choice. */
const pageWithHostColumns = {
  page: bookingPages,
  schedule: scheduleRules,
  host: { id: users.id, name: users.name, email: users.email, handle: users.handle, timeZone: users.timeZone, locale: users.locale, hour12: users.hour12 },
  zoom: zoomChoiceColumns,
};

/** What aki_lock_page_and_spans answers (drizzle/0013): the locked row's xmin and the spans as arrays of epoch ms. */
type LockAndSpans = { version: string | null; spans: [id: string, pageId: string | null, startMs: number, blockedStartMs: number, blockedEndMs: number][] };

/**
 * The lock statement of a personal page: the page row locked, with what the transaction and the inline
 * Zoom step need read along (only the page row is locked). With `recheck`, the lock is taken by
 * aki_lock_page_and_spans (drizzle/0013), which also reads the host's bookings in that range after the
 * lock: the slot re-check needs no statement of its own. Built once per shape.
 */
function pageWithHostStatement(tx: Tx, recheck: boolean) {
  return preparedFor(tx, recheck ? 'lockPageWithHostAndSpans' : 'lockPageWithHost', (client, name) => {
    const query = client
      .select({
        ...pageWithHostColumns,
        version: sql<string>`${bookingPages}.xmin::text`,
        lockAndSpans: recheck
          ? sql<LockAndSpans>`aki_lock_page_and_spans(${bookingPages.id}, ${bookingPages.userId}, ${instantParam('from')}, ${instantParam('to')})`
          : sql<null>`null::json`,
      })
      .from(bookingPages)
      .innerJoin(users, eq(users.id, bookingPages.userId))
      .leftJoin(availabilitySchedules, scheduleOfPage)
      .leftJoin(zoomConnections, eq(zoomConnections.userId, users.id))
      .leftJoin(organisationMembers, eq(organisationMembers.userId, users.id))
      .leftJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
      .where(eq(bookingPages.id, sql.placeholder('pageId')))
      .limit(1);
    // Without the function the statement locks itself; with it, the function's lock comes after this
    // statement's snapshot, and its `version` tells whether the row read here is still the current one.
    return (recheck ? query : query.for('update', { of: bookingPages })).prepare(name);
  });
}

type LockedPageWithHost = { page: BookingPage; host: HostInfo; zoomChoice: ZoomChoiceAndLink; known?: KnownSpans };

/**
 * Locks a personal page, with its host's fields and Zoom choice. `recheck`: the range of bookings the
 * slot re-check will read (from the page as cached before the transaction), read here under the lock.
 */
async function lockPageWithHost(tx: Tx, pageId: string, recheck?: SlotCheckRange): Promise<LockedPageWithHost | null> {
  const locked = (row: { page: BookingPage; schedule: Parameters<typeof withEffectiveRules>[1]; host: HostInfo; zoom: Parameters<typeof zoomChoiceFrom>[0] }) => ({
    page: withEffectiveRules(row.page, row.schedule),
    host: row.host,
    zoomChoice: zoomChoiceFrom(row.zoom),
  });
  if (recheck) {
    const [row] = await pageWithHostStatement(tx, true).execute({ pageId, from: iso(new Date(recheck.from)), to: iso(new Date(recheck.to)) });
    if (!row) return null;
    const { version, spans } = row.lockAndSpans as LockAndSpans;
    if (version === row.version) {
      const known = spans.map(([id, spanPageId, startMs, blockedStartMs, blockedEndMs]) => ({
        id,
        pageId: spanPageId,
        startAt: new Date(startMs),
        blockedStartAt: new Date(blockedStartMs),
        blockedEndAt: new Date(blockedEndMs),
      }));
      return { ...locked(row), known: { ...recheck, spans: known } };
    }
    // The page changed (or went) while this transaction waited for its lock: the row above is older
    // than the lock. Read it again, locked (the lock is held already, so this does not wait).
  }
  const [row] = await pageWithHostStatement(tx, false).execute({ pageId });
  return row ? locked(row) : null;
}

/** A team page as it applies to one member (their hours); the page itself (with their id) if they left it. */
function memberPageOf(page: BookingPage, members: TeamMember[], userId: string): BookingPage {
  return members.find((m) => m.id === userId)?.page ?? { ...page, userId };
}

/** A team page, locked like a personal one; its members are booked, not the admin who made it. */
async function lockTeamPage(tx: Tx, pageId: string): Promise<{ page: BookingPage; host: null; zoomChoice?: undefined; known?: undefined } | null> {
  const page = await lockPage(tx, pageId);
  return page?.teamKind ? { page, host: null } : null;
}

/** What a team booking needs from before its transaction (lib/teams/booking.ts). */
export type TeamBookingArgs = {
  /** Each member's calendar busy times around the slot, read before the transaction. */
  calendarBusy: ReadonlyMap<string, readonly BusyInterval[]>;
};

const hostInfoOf = (m: TeamMember): HostInfo => ({
  id: m.id,
  name: m.name,
  email: m.email,
  handle: m.handle,
  timeZone: m.timeZone,
  locale: m.locale,
  hour12: m.hour12,
});

/**
 * Inside the page-locked transaction, with the live members and bookings: round-robin takes the first
 * free member in fairness order; collective needs every member free — the first hosts, the others get
 * hold rows. Null: nobody (round-robin) or not everybody (collective) is free.
 */
async function pickTeamHosts(
  tx: Tx,
  page: BookingPage & { teamKind: TeamKind },
  team: TeamBookingArgs,
  start: Date,
  now: Date,
): Promise<{ host: HostInfo; others: TeamMember[] } | null> {
  const members = await teamMembersOf(tx, page);
  const free = await freeMembersAt(tx, page.id, members, start, now, team.calendarBusy);
  if (page.teamKind === 'collective') {
    const [lead, ...others] = members;
    return lead && members.every((m) => free.has(m.id)) ? { host: hostInfoOf(lead), others } : null;
  }
  const order = fairnessOrder(await assignmentRecords(tx, page.id, members, now));
  const chosen = order.map((id) => members.find((m) => m.id === id)!).find((m) => free.has(m.id));
  return chosen ? { host: hostInfoOf(chosen), others: [] } : null;
}

/**
 * A collective booking's other members: one row each (the exclusion constraint holds their time too),
 * following the lead row; each gets the host mail and the event in their own calendar.
 */
async function insertMemberHolds(tx: Tx, lead: BookingRow, others: readonly TeamMember[], later: Date, now: Date): Promise<void> {
  const { id: _id, uid: _uid, idempotencyKey: _key, idempotencyFingerprint: _fp, ...shared } = lead;
  const rows = others.map((member) => {
    const id = randomUUID();
    return {
      ...shared,
      id,
      uid: newBookingUid(),
      userId: member.id,
      teamLeadId: lead.id,
      manageTokenHash: manageTokenHash(manageTokenFor(id)),
      attendanceStatus: 'unknown' as const,
      attendanceReason: 'team_member',
      createdAt: now,
      updatedAt: now,
    };
  });
  await tx.insert(bookings).values(rows);
  const specs: StepSpec[] = [
    { kind: 'calendar.create', runAt: later },
    { kind: 'mail.host.confirmed', runAt: later },
  ];
  await tx.insert(bookingSteps).values(rows.flatMap((row) => stepValues(row.id, specs, now)));
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
export function columnsOf(cte: object, table: Table): Record<string, PgColumn> {
  const fields = cte as Record<string, PgColumn>;
  return Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => [key, fields[key]!]));
}

/**
 * The statement of a new booking: the booking row, its steps (the step rows as one jsonb parameter,
 * so any number fits) and booking.created for the host's webhooks (nothing without a subscription);
 * answers the booking with its zoom.create step, if any. Built once per shape (Zoom or not): building
 * it cost more CPU than the round trip. The steps' foreign key is checked at the end of the
 * statement, when the booking row exists.
 */
function insertBookingStatement(tx: Tx, zoom: boolean) {
  return preparedFor(tx, zoom ? 'insertBooking:zoom' : 'insertBooking', (client, name) => {
    const now = instantParam('now');
    const json = (name: string) => sql`${sql.placeholder(name)}::jsonb`;
    const insertedBooking = client.$with('inserted_booking').as(
      client
        .insert(bookings)
        .values({
          id: param('id'),
          uid: param('uid'),
          userId: param('userId'),
          pageId: param('pageId'),
          title: param('title'),
          location: json('location'),
          startAt: instantParam('startAt'),
          endAt: instantParam('endAt'),
          blockedStartAt: instantParam('blockedStartAt'),
          blockedEndAt: instantParam('blockedEndAt'),
          status: 'confirmed',
          guestName: param('guestName'),
          guestEmail: param('guestEmail'),
          guestTimeZone: param('guestTimeZone'),
          guestLocale: param('guestLocale'),
          guestHour12: param('guestHour12'),
          answers: json('answers'),
          manageTokenHash: param('manageTokenHash'),
          idempotencyKey: param('idempotencyKey'),
          idempotencyFingerprint: param('idempotencyFingerprint'),
          meetingStatus: zoom ? 'pending' : 'none',
          // Attendance is measured only for Zoom meetings (lib/meetings/attendance.ts).
          ...(zoom ? {} : { attendanceStatus: 'unknown' as const, attendanceReason: 'not_zoom' }),
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
    );
    const insertedSteps = client.$with('inserted_steps', getTableColumns(bookingSteps)).as(insertStepsFromJson(param('id'), param('steps'), now));
    const webhookStep = client
      .$with('booking_created_webhook', { id: sql<number>`id` })
      .as(sql`${insertWebhookEmitSteps(sql`from inserted_booking b where true`, 'booking.created', now)} returning id`);
    return client
      .with(insertedBooking, insertedSteps, webhookStep)
      .select({ booking: columnsOf(insertedBooking, bookings), zoomStep: columnsOf(insertedSteps, bookingSteps) })
      .from(insertedBooking)
      .leftJoin(insertedSteps, eq(insertedSteps.kind, 'zoom.create'))
      .prepare(name);
  });
}

export type InsertBookingResult = {
  booking: BookingRow;
  created: boolean;
  /** Whose time the booking took (the host; on a collective page every member): their cached slots are stale. */
  bookedHostIds: string[];
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
    /**
     * The range the slot re-check reads bookings in, from the page as cached before the transaction
     * (slotCheckRange): read with the page lock, in the same statement. Checked against the locked page.
     */
    recheck?: SlotCheckRange;
    /** A team page: who may be booked (lib/teams/booking.ts). */
    team?: TeamBookingArgs;
  },
): Promise<InsertBookingResult> {
  const { input, now, idempotencyKey } = args;
  const fingerprint = requestFingerprint(input);
  try {
    return await db.transaction(async (tx): Promise<InsertBookingResult> => {
      const locked = args.team ? await lockTeamPage(tx, args.pageId) : await lockPageWithHost(tx, args.pageId, args.recheck);
      if (!locked?.page.published) throw new AppError('not_found', 'Booking page not found');
      const { page } = locked;

      if (idempotencyKey) {
        const [same] = await tx
          .select()
          .from(bookings)
          .where(and(eq(bookings.pageId, page.id), eq(bookings.idempotencyKey, idempotencyKey)))
          .limit(1);
        if (same) return { booking: replayOf(same, input, fingerprint), created: false, bookedHostIds: [], zoomStepId: null };
      }
      // Who is booked: the page's host, or on a team page the free member(s) (null: nobody is free).
      const booked = args.team
        ? page.teamKind && (await pickTeamHosts(tx, { ...page, teamKind: page.teamKind }, args.team, input.start, now))
        : locked.host && (await isSlotAvailable(tx, page, input.start, now, { calendarBusy: args.calendarBusy, known: locked.known }))
          ? { host: locked.host, others: [] }
          : null;
      if (!booked) {
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
              isNull(bookings.teamLeadId),
              sql`lower(${bookings.guestEmail}) = ${input.email.toLowerCase()}`,
              gt(bookings.createdAt, new Date(now.getTime() - DOUBLE_SUBMIT_WINDOW_MS)),
            ),
          )
          .limit(1);
        if (repeated && repeated.guestName === input.name && repeated.guestTimeZone === input.timeZone && sameAnswers(repeated.answers, input.answers)) {
          return { booking: repeated, created: false, bookedHostIds: [], zoomStepId: null };
        }
        throw slotUnavailable();
      }
      const { host } = booked;

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

      // The booking and its steps in ONE statement (the page lock is held for one round trip less), built once.
      const [row] = await insertBookingStatement(tx, zoom).execute({
        id,
        uid: newBookingUid(),
        userId: host.id,
        pageId: page.id,
        title: page.title,
        location: JSON.stringify(page.location),
        startAt: iso(range.startAt),
        endAt: iso(range.endAt),
        blockedStartAt: iso(range.blockedStartAt),
        blockedEndAt: iso(range.blockedEndAt),
        guestName: input.name,
        guestEmail: input.email,
        guestTimeZone: input.timeZone,
        guestLocale: input.locale,
        guestHour12: input.hour12 ?? null,
        answers: JSON.stringify(input.answers),
        manageTokenHash: manageTokenHash(manageTokenFor(id)),
        idempotencyKey,
        idempotencyFingerprint: idempotencyKey ? fingerprint : null,
        steps: stepsJson(specs, now),
        now: iso(now),
      });
      if (!row) throw new Error('insert returned no row');
      const { booking, zoomStep } = row as { booking: BookingRow; zoomStep: BookingStepRow | null };
      if (booked.others.length > 0) await insertMemberHolds(tx, booking, booked.others, later, now);

      return {
        booking,
        created: true,
        bookedHostIds: [host.id, ...booked.others.map((m) => m.id)],
        zoomStepId: zoomStep?.id ?? null,
        inline: inline && zoomStep ? { step: zoomStep, subject: { booking, host, page: { id: page.id, slug: page.slug, questions: page.questions, registerGuests: page.registerGuests, teamKind: page.teamKind }, zoomChoice: locked.zoomChoice } } : undefined,
      };
    });
  } catch (error) {
    if (sqlState(error) === '23P01') throw slotUnavailable({ lostRace: true });
    if (sqlState(error) === '23505' && idempotencyKey) {
      // Same key raced on another page lock holder: answer with the winner.
      const [same] = await db
        .select()
        .from(bookings)
        .where(and(eq(bookings.pageId, args.pageId), eq(bookings.idempotencyKey, idempotencyKey)))
        .limit(1);
      if (same) return { booking: replayOf(same, input, fingerprint), created: false, bookedHostIds: [], zoomStepId: null };
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
    if (current.teamLeadId) throw memberHoldOnly();
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
    await cancelMemberHolds(tx, booking, now);
    return { booking, changed: true };
  });
}

/** A collective booking's other members are freed with it: their event removed and each mailed. */
async function cancelMemberHolds(tx: Tx, lead: BookingRow, now: Date): Promise<void> {
  const holds = await tx
    .update(bookings)
    .set({ status: 'cancelled', cancelledAt: now, cancelledBy: lead.cancelledBy, cancelReason: lead.cancelReason, sequence: sql`${bookings.sequence} + 1`, updatedAt: now })
    .where(and(eq(bookings.teamLeadId, lead.id), eq(bookings.status, 'confirmed')))
    .returning({ id: bookings.id });
  for (const hold of holds) {
    await skipPending(tx, hold.id, OBSOLETE_ON_CANCEL, 'booking cancelled', now);
    await insertSteps(
      tx,
      hold.id,
      [
        { kind: 'calendar.delete', runAt: now },
        { kind: 'mail.host.cancelled', runAt: now },
      ],
      now,
    );
  }
}

/**
 * A collective booking's other members move with it: each must be free at the new time (their own
 * hold does not count), else the move is slot_unavailable.
 */
async function moveMemberHolds(
  tx: Tx,
  page: BookingPage,
  pageMembers: TeamMember[],
  lead: BookingRow,
  start: Date,
  now: Date,
  later: Date,
  previous: Record<string, string>,
): Promise<void> {
  const holds = await tx
    .select()
    .from(bookings)
    .where(and(eq(bookings.teamLeadId, lead.id), eq(bookings.status, 'confirmed')))
    .for('update');
  if (holds.length === 0) return;
  const members = pageMembers.filter((m) => holds.some((h) => h.userId === m.id));
  const free = await freeMembersAt(tx, page.id, members, start, now, new Map(), new Set(holds.map((h) => h.id)));
  for (const hold of holds) {
    const member = members.find((m) => m.id === hold.userId);
    // A member who left the page keeps their hold only if they are free under the page's rules.
    if (member ? !free.has(member.id) : !(await isSlotAvailable(tx, { ...page, userId: hold.userId }, start, now, { ignoreBookingId: hold.id }))) throw slotUnavailable();
    await tx
      .update(bookings)
      .set({ ...blockedRange(page, start), sequence: sql`${bookings.sequence} + 1`, updatedAt: now })
      .where(eq(bookings.id, hold.id));
    await skipPending(tx, hold.id, ['mail.host.rescheduled'], 'superseded by a later reschedule', now);
    await insertSteps(
      tx,
      hold.id,
      [
        { kind: 'calendar.update', runAt: now },
        { kind: 'mail.host.rescheduled', runAt: later, payload: previous },
      ],
      now,
    );
  }
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
      if (locked.teamLeadId) throw memberHoldOnly();
      args.guard?.(locked);
      if (locked.startAt.getTime() === start.getTime()) return { booking: locked, changed: false, zoomStepId: null };
      // On a team page the booking stays with its member, under that member's hours.
      // (The page's members are read once, for this check and for a collective booking's holds.)
      const members = page.teamKind ? await teamMembersOf(tx, page) : [];
      const hostPage = page.teamKind ? memberPageOf(page, members, locked.userId) : page;
      if (!(await isSlotAvailable(tx, hostPage, start, now, { ignoreBookingId: locked.id, calendarBusy: args.calendarBusy }))) throw slotUnavailable();

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
      if (page.teamKind === 'collective') await moveMemberHolds(tx, page, members, booking, start, now, later, previous);
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

/** Steps of the former host that must not run for the new one after a reassignment (they are planned again). */
const OBSOLETE_ON_REASSIGN: StepKind[] = [
  'zoom.create',
  'zoom.update',
  'calendar.create',
  'calendar.update',
  'mail.host.confirmed',
  'mail.host.rescheduled',
  'mail.host.link_ready',
  'mail.host.zoom_problem',
  'mail.guest.link_ready',
  'mail.guest.reassigned',
  'meeting.sync',
];

/**
 * Gives a round-robin team booking to another member of its page, who must be free at its time under
 * their own hours (the page's minimum notice does not apply: the guest booked long ago). In one
 * transaction: the booking changes hands and its meeting and event start afresh with the new member;
 * the former member's meeting and event are deleted and they are told, through steps acting for them
 * (payload `formerHost`, lib/bookings/effects/context.ts); the new member gets the host mail and the
 * guest hears whom they meet now (with the new link).
 */
export async function reassignBookingRow(
  db: Db,
  args: {
    bookingId: string;
    toUserId: string;
    now: Date;
    /** The new member's calendar busy times around the booking, read before the transaction. */
    calendarBusy: readonly BusyInterval[];
    /** Checks the caller may do this for the page (inside the transaction); throws otherwise. */
    authorize: (tx: Tx, page: BookingPage) => Promise<{ note: string }>;
  },
): Promise<{ booking: BookingRow; formerUserId: string; changed: boolean }> {
  const { now } = args;
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx.select().from(bookings).where(eq(bookings.id, args.bookingId)).limit(1);
      if (!current?.pageId) throw new AppError('not_found', 'Booking not found');
      const page = await lockPage(tx, current.pageId);
      if (!page) throw new AppError('not_found', 'Booking not found');
      const { note } = await args.authorize(tx, page);
      if (page.teamKind !== 'round_robin') throw new AppError('conflict', 'Only a round-robin team booking can be given to another member');
      const [locked] = await tx.select().from(bookings).where(eq(bookings.id, current.id)).for('update');
      if (!locked || locked.teamLeadId) throw new AppError('not_found', 'Booking not found');
      if (locked.status !== 'confirmed') throw new AppError('conflict', 'This booking is cancelled');
      if (locked.startAt <= now) throw new AppError('conflict', 'This booking has already started');
      if (locked.userId === args.toUserId) return { booking: locked, formerUserId: locked.userId, changed: false };
      const target = (await teamMembersOf(tx, page)).find((m) => m.id === args.toUserId);
      if (!target) throw new AppError('invalid_input', 'Please check the highlighted fields', { fields: { to: 'not_a_member' } });
      // As of the latest moment the guest could have booked this time: notice and window as they were then.
      const asOf = new Date(locked.startAt.getTime() - page.minimumNoticeMinutes * 60_000);
      const free = await freeMembersAt(tx, page.id, [target], locked.startAt, asOf, new Map([[target.id, args.calendarBusy]]));
      if (!free.has(target.id)) throw slotUnavailable();

      const zoom = locked.location.type === 'zoom';
      const [booking] = await tx
        .update(bookings)
        .set({
          userId: target.id,
          zoomMeetingId: null,
          zoomJoinUrl: null,
          zoomPassword: null,
          zoomCredential: null,
          zoomHostUserId: null,
          calendarEventId: null,
          meetingStatus: zoom ? 'pending' : 'none',
          ...(zoom ? { attendanceStatus: 'pending' as const, attendanceReason: null } : {}),
          sequence: sql`${bookings.sequence} + 1`,
          updatedAt: now,
        })
        .where(eq(bookings.id, locked.id))
        .returning();
      if (!booking) throw new Error('update returned no row');
      await skipPending(tx, booking.id, OBSOLETE_ON_REASSIGN, 'given to another member', now);
      const formerHost: FormerHost = {
        userId: locked.userId,
        zoomMeetingId: locked.zoomMeetingId,
        zoomCredential: locked.zoomCredential,
        zoomHostUserId: locked.zoomHostUserId,
        calendarEventId: locked.calendarEventId,
        note,
      };
      const specs: StepSpec[] = [];
      if (locked.zoomMeetingId) specs.push({ kind: 'zoom.delete', runAt: now, payload: { formerHost } });
      if (locked.calendarEventId) specs.push({ kind: 'calendar.delete', runAt: now, payload: { formerHost } });
      specs.push({ kind: 'mail.host.cancelled', runAt: now, payload: { formerHost } });
      if (zoom) specs.push({ kind: 'zoom.create', runAt: now });
      specs.push(
        { kind: 'calendar.create', runAt: now },
        { kind: 'mail.host.confirmed', runAt: now },
        { kind: 'mail.guest.reassigned', runAt: now },
      );
      await insertSteps(tx, booking.id, specs, now);
      return { booking, formerUserId: locked.userId, changed: true };
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
