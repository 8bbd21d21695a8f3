import 'server-only';
import { applyMeetingEvent } from '@/lib/meetings/events';
import { firstSyncAt } from '@/lib/meetings/steps';
import { syncMeetingFromZoom } from '@/lib/meetings/sync';
import { accountBackoff, credentialForBooking, recordAccountRateLimit } from '@/lib/meetings/credentials';
import { errorMessage, type StepHandler } from './context';
import { failureOutcome } from './outcomes';

/**
 * The after-meeting steps (lib/meetings does the work): `meeting.event` applies one stored Zoom
 * webhook; `meeting.sync` is the REST read of the past meeting (README "Zoom": after the meeting).
 */

/** How long after the meeting a REST read waits for the host to reconnect Zoom. */
export const STOP_WAITING_AFTER_END_MS = 7 * 86_400_000;

export const meetingEvent: StepHandler = {
  async run(ctx) {
    const eventId = ctx.step.payload.eventId;
    if (typeof eventId !== 'string') return { type: 'fail', error: 'meeting.event without eventId' };
    const applied = await applyMeetingEvent(ctx.db, ctx.booking, eventId, ctx.now);
    if (applied.outcome === 'gone') return { type: 'skipped', reason: 'webhook event no longer stored' };
    return { type: 'done', payload: { outcome: applied.outcome } };
  },
};

/**
 * How long to wait for Zoom to know the meeting as ended: before the scheduled end + 15 min (a read
 * pulled forward by Refresh from Zoom or the Retry button), until then; after it, a quarter of the
 * time since the scheduled end, 2–30 min.
 */
export function notEndedDelayMs(endAt: Date, now: Date): number {
  const firstRead = firstSyncAt(endAt).getTime();
  if (now.getTime() < firstRead) return Math.max(2 * 60_000, firstRead - now.getTime());
  return Math.min(30 * 60_000, Math.max(2 * 60_000, Math.round((now.getTime() - endAt.getTime()) / 4)));
}

export const meetingSync: StepHandler = {
  async run(ctx) {
    const { booking, now } = ctx;
    if (booking.status !== 'confirmed') return { type: 'skipped', reason: 'booking cancelled' };
    if (booking.location.type !== 'zoom' || !booking.zoomMeetingId) return { type: 'skipped', reason: 'no Zoom meeting' };
    let run: Awaited<ReturnType<typeof syncMeetingFromZoom>>;
    let organisationId: string | null = null;
    try {
      // The credential that made the meeting (an organisation's meetings are read with its app).
      const credential = await credentialForBooking(ctx.db, booking);
      organisationId = credential.organisationId;
      const backoff = organisationId ? await accountBackoff(ctx.db, organisationId, now) : null;
      if (backoff) {
        const delayMs = Math.max(1_000, backoff.until.getTime() - now.getTime()) + Math.round(Math.random() * 2_000);
        return { type: 'defer', delayMs, reason: `the organisation's Zoom account is rate-limited until ${backoff.until.toISOString()} (${backoff.reason})` };
      }
      run = await syncMeetingFromZoom(ctx.db, booking, credential.source, now);
    } catch (error) {
      // An organisation's 429 backs off its whole account (every host's steps wait for it).
      const until = await recordAccountRateLimit(ctx.db, { organisationId }, error, now);
      // 429 → Retry-After; revoked / missing scope → wait for the host; 5xx → backoff.
      const failure = failureOutcome(ctx, error).outcome;
      const outcome = until && failure.type === 'retry' ? { ...failure, delayMs: Math.max(failure.delayMs ?? 0, until.getTime() - now.getTime()) } : failure;
      // A host who never reconnects: stop asking a week after the meeting (Refresh from Zoom reads it again).
      if (outcome.type === 'wait' && now.getTime() > booking.endAt.getTime() + STOP_WAITING_AFTER_END_MS) {
        return { type: 'fail', error: `${outcome.error} (stopped waiting a week after the meeting; Refresh from Zoom reads it again)` };
      }
      return outcome;
    }
    switch (run.type) {
      case 'not_ended':
        return { type: 'defer', delayMs: notEndedDelayMs(booking.endAt, now), reason: 'Zoom has no record of the meeting ending yet' };
      case 'not_started':
        return { type: 'done', payload: { rest: run.rest } };
      case 'synced': {
        const payload = { rest: run.rest, ...(run.nextAt ? { nextAt: run.nextAt.toISOString() } : {}) };
        // Attendance is stored either way. A later read (pending) takes the recordings again; without
        // one this step retries for them (one pending read per booking either way).
        if (run.recordingsError && run.laterReadPending) {
          return { type: 'done', payload: { ...payload, recordingsError: errorMessage(run.recordingsError) } };
        }
        if (run.recordingsError) {
          const failure = failureOutcome(ctx, run.recordingsError).outcome;
          if (failure.type === 'retry') return { ...failure, payload: { ...failure.payload, ...payload } };
          if (failure.type === 'wait' || failure.type === 'fail') return { type: 'retry', error: `recordings: ${failure.error}`, payload };
          return { type: 'retry', error: `recordings: ${errorMessage(run.recordingsError)}`, payload };
        }
        return { type: 'done', payload };
      }
    }
  },
};
