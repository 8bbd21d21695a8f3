import 'server-only';
import { eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '@/lib/db/client';
import { bookings } from '@/lib/db/schema/bookings';
import { meetingParticipants } from '@/lib/db/schema/meetings';
import { emitWebhookEvent } from '@/lib/webhooks/emit';
import { normaliseName } from './attendance-core';

/**
 * The facts of a booking's meeting as Zoom reports them, merged from two sources (webhooks and the
 * REST safety net) without duplicates, whatever the order or repetition: join segments in
 * meeting_participants (identity: booking, person, join time) and the meeting's actual start/end on
 * the booking. Callers run these inside a transaction that holds the booking row (lockBooking), so
 * two events of one meeting never merge at the same time.
 */

/** Who a participant is, as far as Zoom says. `zoomUserId`: Zoom user id of a signed-in participant. */
export type ParticipantIdentity = { name: string; email: string | null; zoomUserId: string | null; registrantId: string | null };

type ParticipantRow = typeof meetingParticipants.$inferSelect;

export { normaliseName };

const blank = (value: string | null | undefined): string | null => (value === null || value === undefined || value.trim() === '' ? null : value.trim());

/** `email:<lower>`, else `registrant:<id>`, else `user:<zoom user id>`, else `name:<normalised>` (schema comment). */
export function personKey(p: ParticipantIdentity): string {
  const email = blank(p.email);
  if (email) return `email:${email.toLowerCase()}`;
  const registrant = blank(p.registrantId);
  if (registrant) return `registrant:${registrant}`;
  const user = blank(p.zoomUserId);
  if (user) return `user:${user}`;
  return `name:${normaliseName(p.name)}`;
}

/**
 * The same person across sources, which may not report the same fields (a webhook without the email
 * the REST list has): the same key, or agreeing on an id both report, or — with nothing that
 * disagrees — the same name.
 */
export function samePerson(row: Pick<ParticipantRow, 'personKey' | 'name' | 'email' | 'zoomUserId' | 'registrantId'>, p: ParticipantIdentity): boolean {
  if (row.personKey === personKey(p)) return true;
  const pairs: [string | null, string | null][] = [
    [blank(row.email)?.toLowerCase() ?? null, blank(p.email)?.toLowerCase() ?? null],
    [blank(row.registrantId), blank(p.registrantId)],
    [blank(row.zoomUserId), blank(p.zoomUserId)],
  ];
  if (pairs.some(([a, b]) => a !== null && b !== null && a !== b)) return false;
  if (pairs.some(([a, b]) => a !== null && b !== null)) return true;
  const name = normaliseName(p.name);
  return name !== '' && normaliseName(row.name) === name;
}

/** Locks the booking row for the rest of the transaction: facts of one meeting are merged one at a time. */
export async function lockBooking(tx: DbOrTx, bookingId: string): Promise<boolean> {
  const [row] = await tx.select({ id: bookings.id }).from(bookings).where(eq(bookings.id, bookingId)).for('update');
  return row !== undefined;
}

async function rowsOf(tx: DbOrTx, bookingId: string, p: ParticipantIdentity): Promise<ParticipantRow[]> {
  const rows = await tx.select().from(meetingParticipants).where(eq(meetingParticipants.bookingId, bookingId));
  return rows.filter((row) => samePerson(row, p));
}

const sameInstant = (a: Date | null, b: Date | null) => a !== null && b !== null && a.getTime() === b.getTime();

/** What a source knows that the row does not have yet (never overwrites a known value). */
function missingFields(row: ParticipantRow, p: ParticipantIdentity): Partial<ParticipantRow> {
  const set: Partial<ParticipantRow> = {};
  if (!blank(row.name) && blank(p.name)) set.name = p.name.trim();
  if (!blank(row.email) && blank(p.email)) set.email = blank(p.email);
  if (!blank(row.zoomUserId) && blank(p.zoomUserId)) set.zoomUserId = blank(p.zoomUserId);
  if (!blank(row.registrantId) && blank(p.registrantId)) set.registrantId = blank(p.registrantId);
  return set;
}

async function updateRow(tx: DbOrTx, row: ParticipantRow, set: Partial<ParticipantRow>, now: Date): Promise<void> {
  if (Object.keys(set).length === 0) return;
  await tx
    .update(meetingParticipants)
    .set({ ...set, updatedAt: now })
    .where(eq(meetingParticipants.id, row.id));
}

async function insertRow(
  tx: DbOrTx,
  bookingId: string,
  p: ParticipantIdentity,
  segment: { joinAt: Date | null; leaveAt: Date | null },
  source: 'webhook' | 'rest',
  now: Date,
): Promise<void> {
  await tx
    .insert(meetingParticipants)
    .values({
      bookingId,
      personKey: personKey(p),
      name: p.name.trim(),
      email: blank(p.email),
      zoomUserId: blank(p.zoomUserId),
      registrantId: blank(p.registrantId),
      joinAt: segment.joinAt,
      leaveAt: segment.leaveAt,
      source,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
}

/**
 * One person's segments from every join and leave time known for them, whatever order they came in
 * (pure). Joins ascending; each join takes the earliest unused leave between it and the next join
 * (a person is in a meeting once at a time: a rejoin follows a leave); a join without one is still
 * open (or its leave has not arrived); a leave no join takes is kept with joinAt null until its join
 * arrives.
 */
export function pairSegments(joins: readonly Date[], leaves: readonly Date[]): { joinAt: Date | null; leaveAt: Date | null }[] {
  const unique = (dates: readonly Date[]) =>
    [...new Set(dates.map((d) => d.getTime()))].sort((a, b) => a - b).map((ms) => new Date(ms));
  const js = unique(joins);
  const ls = unique(leaves);
  const used = new Set<number>();
  const out: { joinAt: Date | null; leaveAt: Date | null }[] = [];
  js.forEach((join, i) => {
    const next = js[i + 1]?.getTime() ?? Number.POSITIVE_INFINITY;
    const k = ls.findIndex((leave, index) => !used.has(index) && leave.getTime() >= join.getTime() && leave.getTime() <= next);
    if (k >= 0) used.add(k);
    out.push({ joinAt: join, leaveAt: k >= 0 ? ls[k]! : null });
  });
  ls.forEach((leave, index) => {
    if (!used.has(index)) out.push({ joinAt: null, leaveAt: leave });
  });
  return out;
}

/**
 * Adds what a source observed of one person (a join, a leave, or both for a REST entry) and rewrites
 * that person's rows to pairSegments of everything known: the same facts in any order, repeated any
 * number of times, give the same rows. Rows keep their id (and first source) where the segment stays.
 */
async function observe(
  tx: DbOrTx,
  bookingId: string,
  p: ParticipantIdentity,
  observed: { joinAt?: Date | null; leaveAt?: Date | null },
  source: 'webhook' | 'rest',
  now: Date,
): Promise<void> {
  const rows = await rowsOf(tx, bookingId, p);
  const joins = [...rows.map((r) => r.joinAt), observed.joinAt ?? null].filter((d): d is Date => d !== null);
  const leaves = [...rows.map((r) => r.leaveAt), observed.leaveAt ?? null].filter((d): d is Date => d !== null);
  const desired = pairSegments(joins, leaves);
  const unused = new Set(rows);
  const take = (match: (row: ParticipantRow) => boolean) => {
    for (const row of unused) {
      if (match(row)) {
        unused.delete(row);
        return row;
      }
    }
    return undefined;
  };
  const pending: { joinAt: Date | null; leaveAt: Date | null }[] = [];
  for (const segment of desired) {
    // The row of this segment: the same join, else (a leave-only segment) the same leave.
    const row = segment.joinAt
      ? take((r) => sameInstant(r.joinAt, segment.joinAt))
      : take((r) => r.joinAt === null && sameInstant(r.leaveAt, segment.leaveAt));
    if (!row) {
      pending.push(segment);
      continue;
    }
    const set: Partial<ParticipantRow> = missingFields(row, p);
    if (!sameInstantOrBothNull(row.leaveAt, segment.leaveAt)) set.leaveAt = segment.leaveAt;
    await updateRow(tx, row, set, now);
  }
  for (const segment of pending) {
    // A leave-only row whose join arrived becomes that segment; otherwise a new row.
    const reuse = take((r) => r.joinAt === null);
    if (reuse) await updateRow(tx, reuse, { ...missingFields(reuse, p), joinAt: segment.joinAt, leaveAt: segment.leaveAt }, now);
    else await insertRow(tx, bookingId, p, segment, source, now);
  }
  for (const row of unused) await tx.delete(meetingParticipants).where(eq(meetingParticipants.id, row.id));
}

const sameInstantOrBothNull = (a: Date | null, b: Date | null) => (a === null && b === null) || sameInstant(a, b);

/** A join (meeting.participant_joined). */
export function recordJoin(tx: DbOrTx, bookingId: string, p: ParticipantIdentity, joinAt: Date, now: Date): Promise<void> {
  return observe(tx, bookingId, p, { joinAt }, 'webhook', now);
}

/** A leave (meeting.participant_left); one that arrives before its join is kept until the join completes it. */
export function recordLeave(tx: DbOrTx, bookingId: string, p: ParticipantIdentity, leaveAt: Date, now: Date): Promise<void> {
  return observe(tx, bookingId, p, { leaveAt }, 'webhook', now);
}

/**
 * One entry of the REST participants list (a closed segment, or open when Zoom has no leave time):
 * merged with what the webhooks said (name, e-mail, registrant filled in where missing).
 */
export function recordRestSegment(
  tx: DbOrTx,
  bookingId: string,
  p: ParticipantIdentity,
  segment: { joinAt: Date | null; leaveAt: Date | null },
  now: Date,
): Promise<void> {
  return observe(tx, bookingId, p, segment, 'rest', now);
}

const validDate = (value: string | null | undefined): Date | null => {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
};
export { validDate as parseZoomTime };

/**
 * The meeting started (meeting.started, or the past meeting's start_time): the first start is kept;
 * a start after a recorded end is the meeting running again (the end is cleared).
 */
export async function recordMeetingStarted(tx: DbOrTx, bookingId: string, facts: { uuid: string | null; startedAt: Date | null }, now: Date): Promise<void> {
  if (!facts.startedAt && !facts.uuid) return;
  const at = facts.startedAt;
  await updateMeetingTimes(tx, bookingId, now, {
    meetingUuid: facts.uuid ? sql`coalesce(${bookings.meetingUuid}, ${facts.uuid})` : bookings.meetingUuid,
    meetingStartedAt: at ? sql`coalesce(${bookings.meetingStartedAt}, ${at.toISOString()}::timestamptz)` : bookings.meetingStartedAt,
    meetingEndedAt: at ? sql`case when ${bookings.meetingEndedAt} < ${at.toISOString()}::timestamptz then null else ${bookings.meetingEndedAt} end` : bookings.meetingEndedAt,
  });
}

/** The meeting ended (meeting.ended, or the past meeting's end_time): the latest end is kept; a missing start is filled in. */
export async function recordMeetingEnded(
  tx: DbOrTx,
  bookingId: string,
  facts: { uuid: string | null; startedAt: Date | null; endedAt: Date },
  now: Date,
): Promise<void> {
  const end = facts.endedAt.toISOString();
  await updateMeetingTimes(tx, bookingId, now, {
    meetingUuid: facts.uuid ? sql`coalesce(${bookings.meetingUuid}, ${facts.uuid})` : bookings.meetingUuid,
    meetingStartedAt: facts.startedAt ? sql`coalesce(${bookings.meetingStartedAt}, ${facts.startedAt.toISOString()}::timestamptz)` : bookings.meetingStartedAt,
    meetingEndedAt: sql`greatest(${bookings.meetingEndedAt}, ${end}::timestamptz)`,
  });
}

/**
 * Writes the meeting's start/end and tells the host's webhooks when one is newly known: meeting.started
 * the first time a start is stored, meeting.ended whenever an end is stored where there was none (a
 * repeated delivery or REST read changes nothing and emits nothing).
 */
async function updateMeetingTimes(
  tx: DbOrTx,
  bookingId: string,
  now: Date,
  set: Record<'meetingUuid' | 'meetingStartedAt' | 'meetingEndedAt', SQL | PgColumn>,
): Promise<void> {
  const [before] = await tx
    .select({ startedAt: bookings.meetingStartedAt, endedAt: bookings.meetingEndedAt })
    .from(bookings)
    .where(eq(bookings.id, bookingId))
    .limit(1);
  const [after] = await tx
    .update(bookings)
    .set({ ...set, updatedAt: now })
    .where(eq(bookings.id, bookingId))
    .returning({ id: bookings.id, userId: bookings.userId, startedAt: bookings.meetingStartedAt, endedAt: bookings.meetingEndedAt });
  if (!before || !after) return;
  if (!before.startedAt && after.startedAt) await emitWebhookEvent(tx, after, 'meeting.started', now);
  if (!before.endedAt && after.endedAt) await emitWebhookEvent(tx, after, 'meeting.ended', now);
}
