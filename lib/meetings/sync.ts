import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { isIntegrationError } from '@/lib/errors';
import { getPastMeeting, listPastParticipants, type ZoomPastMeeting, type ZoomPastParticipant } from '@/lib/zoom/client';
import type { ZoomCredentialSource } from '@/lib/zoom/types';
import type { BookingRow } from '@/lib/bookings/types';
import { recomputeAttendance } from './attendance';
import type { RestObservation } from './attendance-core';
import { lockBooking, parseZoomTime, recordMeetingEnded, recordMeetingStarted, recordRestSegment } from './facts';
import { syncRecordings } from './recordings';
import { scheduleMeetingSync } from './steps';

/**
 * The REST safety net (the `meeting.sync` step): webhooks get lost, or were never subscribed, so
 * after the scheduled end Aki reads the past meeting, its participants and its recordings, and
 * merges them with whatever the webhooks said (facts.ts). Zoom's quirks: 404/3001 until the meeting
 * has ended; an empty list for a one-person meeting; 400/200 on a free plan.
 */

/** A meeting Zoom still does not know as held this long after the scheduled end was never held. */
export const NOT_STARTED_AFTER_MS = 6 * 3_600_000;
/** Runs after the end (the second one for recordings that come late), then the net stops. */
export const SYNC_RUNS_AFTER_END = 2;
export const LATE_RECORDINGS_SYNC_MS = 3_600_000;

export type SyncRun =
  /**
   * Read; `nextAt`: the follow-up read for late recordings, when one was scheduled. `recordingsError`:
   * the recordings could not be read (attendance is stored; the step retries for the recordings).
   */
  | { type: 'synced'; rest: RestObservation; nextAt: Date | null; recordingsError: unknown; laterReadPending: boolean }
  /** Zoom has no past meeting yet and it is not too late for one: read again later. */
  | { type: 'not_ended'; rest: RestObservation }
  /** Still none long after the end: recorded as nobody / not_started. */
  | { type: 'not_started'; rest: RestObservation };

const observation = (now: Date, patch: Partial<RestObservation>): RestObservation => ({
  at: now.toISOString(),
  pastMeeting: 'not_found',
  participantsCount: null,
  participants: 'not_read',
  listed: 0,
  ...patch,
});

async function markSynced(db: Db, bookingId: string, now: Date): Promise<void> {
  await db.update(bookings).set({ meetingSyncedAt: now, updatedAt: now }).where(eq(bookings.id, bookingId));
}

/** Earlier meeting.sync runs that saw the meeting ended (payload.rest.pastMeeting = found). */
async function runsAfterEnd(db: Db, bookingId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(bookingSteps)
    .where(
      and(
        eq(bookingSteps.bookingId, bookingId),
        eq(bookingSteps.kind, 'meeting.sync'),
        eq(bookingSteps.status, 'done'),
        sql`${bookingSteps.payload} -> 'rest' ->> 'pastMeeting' = 'found'`,
      ),
    );
  return row?.n ?? 0;
}

async function hasPendingSync(db: Db, bookingId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: bookingSteps.id })
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, bookingId), eq(bookingSteps.kind, 'meeting.sync'), eq(bookingSteps.status, 'pending')))
    .limit(1);
  return row !== undefined;
}

/**
 * One REST read of the booking's meeting. Errors other than Zoom's quirks propagate (rate_limited
 * with Retry-After, unavailable, revoked…) for the step to retry; a missing scope is recorded first
 * (attendance unknown / missing_scope, not a silent failure) and then thrown.
 */
export async function syncMeetingFromZoom(db: Db, booking: BookingRow, source: ZoomCredentialSource, now: Date): Promise<SyncRun> {
  const meetingId = booking.zoomMeetingId;
  if (!meetingId) throw new Error('syncMeetingFromZoom: the booking has no Zoom meeting');

  let past: ZoomPastMeeting;
  try {
    past = await getPastMeeting(source, meetingId);
  } catch (error) {
    if (isIntegrationError(error, 'missing_scope')) {
      await recomputeAttendance(db, booking.id, now, observation(now, { participants: 'missing_scope' }));
      throw error;
    }
    if (!isIntegrationError(error, 'not_found')) throw error;
    if (now.getTime() < booking.endAt.getTime() + NOT_STARTED_AFTER_MS) {
      const rest = observation(now, { pastMeeting: 'not_found' });
      await recomputeAttendance(db, booking.id, now, rest);
      return { type: 'not_ended', rest };
    }
    const rest = observation(now, { pastMeeting: 'not_started' });
    await recomputeAttendance(db, booking.id, now, rest);
    await markSynced(db, booking.id, now);
    return { type: 'not_started', rest };
  }

  let participants: ZoomPastParticipant[] = [];
  let listed: RestObservation['participants'] = 'listed';
  let scopeError: unknown = null;
  try {
    participants = await listPastParticipants(source, meetingId);
  } catch (error) {
    if (isIntegrationError(error, 'plan_required')) listed = 'plan_required';
    else if (isIntegrationError(error, 'missing_scope')) {
      listed = 'missing_scope';
      scopeError = error;
    } else throw error;
  }
  const rest = observation(now, { pastMeeting: 'found', participantsCount: past.participantsCount, participants: listed, listed: participants.length });

  await db.transaction(async (tx) => {
    if (!(await lockBooking(tx, booking.id))) return;
    const startedAt = parseZoomTime(past.startTime);
    const endedAt = parseZoomTime(past.endTime);
    if (endedAt) await recordMeetingEnded(tx, booking.id, { uuid: past.uuid, startedAt, endedAt }, now);
    else await recordMeetingStarted(tx, booking.id, { uuid: past.uuid, startedAt }, now);
    // Zoom's past-meeting answer means the meeting is over even when it names no end time.
    if (!endedAt && !booking.meetingEndedAt) await recordMeetingEnded(tx, booking.id, { uuid: past.uuid, startedAt, endedAt: now }, now);
    for (const p of participants) {
      await recordRestSegment(
        tx,
        booking.id,
        { name: p.name, email: p.email, zoomUserId: p.id, registrantId: p.registrantId },
        { joinAt: parseZoomTime(p.joinTime), leaveAt: parseZoomTime(p.leaveTime) },
        now,
      );
    }
    await recomputeAttendance(tx, booking.id, now, rest);
    await tx.update(bookings).set({ meetingSyncedAt: now, updatedAt: now }).where(eq(bookings.id, booking.id));
  });
  if (scopeError) throw scopeError;

  // One more read an hour later for recordings that come late (SYNC_RUNS_AFTER_END reads in all).
  let nextAt: Date | null = null;
  if ((await runsAfterEnd(db, booking.id)) + 1 < SYNC_RUNS_AFTER_END) {
    nextAt = new Date(now.getTime() + LATE_RECORDINGS_SYNC_MS);
    await scheduleMeetingSync(db, booking.id, nextAt, now, 'keep');
  }
  let recordingsError: unknown = null;
  try {
    await syncRecordings(db, booking, source, now);
  } catch (error) {
    recordingsError = error;
  }
  return { type: 'synced', rest, nextAt, recordingsError, laterReadPending: await hasPendingSync(db, booking.id) };
}
