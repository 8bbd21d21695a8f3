import { and, desc, eq, exists, inArray, isNull, like, ne, notExists, sql } from 'drizzle-orm';
import { bookingSteps, bookings, hostNotices } from '@/lib/db/schema/bookings';
import type { ZoomProblemCode } from '@/lib/mail/templates/booking';
import { createMeeting, deleteMeeting, findMeetingByAgenda, syncMeeting } from '@/lib/zoom/client';
import {
  ZoomError,
  ZoomLookupIncompleteError,
  type ZoomMeeting,
  ZoomMeetingEndedError,
  type ZoomMeetingInput,
  ZoomMeetingNotFoundError,
  ZoomMeetingStartedError,
  ZoomMissingScopeError,
  ZoomNotConnectedError,
  ZoomRateLimitedError,
  ZoomRevokedError,
  ZoomUnavailableError,
} from '@/lib/zoom/types';
import { markMeetingFailed, recreateMeeting, updateMeetingLink } from '@/lib/bookings/mutations';
import type { BookingRow, BookingStepRow, StepKind } from '@/lib/bookings/types';
import { errorMessage, type StepContext, type StepHandler, type StepOutcome, zoomMarker } from './context';
import { instantParam, iso, param, prepared } from './prepared';
import { ensureStep, followUpsWaiting, insertSteps } from './queue';

/**
 * zoom.create / zoom.update / zoom.delete. The booking uid goes into the agenda (`aki:<uid>`); any
 * retry of a create first looks for a meeting with that marker (an earlier attempt may have succeeded
 * without us seeing the answer), so a booking never gets two meetings.
 */

/** Revoked / not connected / missing scope: retried slowly until the host reconnects (wakeZoomSteps pulls it forward). */
export const ZOOM_WAIT_MS = 15 * 60_000;
/** A transient failure this many times in a row tells the host (once per booking). */
const TELL_HOST_AFTER_ATTEMPTS = 3;

const callOptions = (ctx: StepContext) => (ctx.zoomTimeoutMs ? { timeoutMs: ctx.zoomTimeoutMs } : undefined);

export function meetingInput(booking: BookingRow, hostTimeZone: string): ZoomMeetingInput {
  const topic = `${booking.title} (${booking.guestName})`.replace(/\s+/g, ' ').slice(0, 200);
  return {
    topic,
    start: booking.startAt,
    durationMinutes: Math.max(1, Math.round((booking.endAt.getTime() - booking.startAt.getTime()) / 60_000)),
    timeZone: hostTimeZone,
    agenda: `Booked with Aki by ${booking.guestName.slice(0, 120)}.\n${zoomMarker(booking.uid)}`,
  };
}

const CONFIRMATION_MAILS: Record<'guest' | 'host', StepKind[]> = {
  guest: ['mail.guest.confirmed', 'mail.guest.rescheduled'],
  host: ['mail.host.confirmed', 'mail.host.rescheduled'],
};

async function latestStep(ctx: StepContext, kinds: StepKind[]): Promise<BookingStepRow | null> {
  const [row] = await ctx.db
    .select()
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, ctx.booking.id), inArray(bookingSteps.kind, kinds)))
    .orderBy(desc(bookingSteps.id))
    .limit(1);
  return row ?? null;
}

/**
 * Stores the meeting on the booking (once) and queues what follows from it: link mails, calendar update, or deletion if cancelled meanwhile.
 * Returns the updated booking row (and whether the inline attempt's follow-ups were released with it),
 * or null when the booking already had a meeting.
 */
async function recordMeeting(ctx: StepContext, meeting: ZoomMeeting): Promise<{ booking: BookingRow; followUpsReleased: boolean } | null> {
  const { now } = ctx;
  // The usual case in one statement: the booking is confirmed, has no calendar event yet and no
  // confirmation mail has been claimed (they are locked by the statement, as below), so nothing follows
  // from the meeting but the booking update itself. Anything else takes the transaction below.
  const quiet = await recordMeetingQuietly(ctx, meeting);
  if (quiet) return quiet;
  const booking = await ctx.db.transaction(async (tx) => {
    // Lock the confirmation mail steps first: a mail executor cannot claim one of them between our
    // check below and our commit, so it either sees the link or we queue a "link ready" mail.
    const mails = await tx
      .select({ kind: bookingSteps.kind, status: bookingSteps.status })
      .from(bookingSteps)
      .where(and(eq(bookingSteps.bookingId, ctx.booking.id), inArray(bookingSteps.kind, [...CONFIRMATION_MAILS.guest, ...CONFIRMATION_MAILS.host])))
      .for('update');
    const [updated] = await tx
      .update(bookings)
      .set({
        meetingStatus: 'created',
        zoomMeetingId: meeting.id,
        zoomJoinUrl: meeting.joinUrl,
        zoomPassword: meeting.password ?? null,
        sequence: sql`${bookings.sequence} + 1`,
        updatedAt: now,
      })
      .where(and(eq(bookings.id, ctx.booking.id), isNull(bookings.zoomMeetingId)))
      .returning();
    if (!updated) return null;
    if (updated.status === 'cancelled') {
      await ensureStep(tx, updated.id, { kind: 'zoom.delete', runAt: now }, now);
      return updated;
    }
    for (const who of ['guest', 'host'] as const) {
      const sentOrSending = mails.some((m) => (CONFIRMATION_MAILS[who] as string[]).includes(m.kind) && m.status !== 'pending');
      if (sentOrSending) await ensureStep(tx, updated.id, { kind: who === 'guest' ? 'mail.guest.link_ready' : 'mail.host.link_ready', runAt: now }, now);
    }
    if (updated.calendarEventId) await ensureStep(tx, updated.id, { kind: 'calendar.update', runAt: now }, now);
    return updated;
  });
  return booking ? { booking, followUpsReleased: false } : null;
}

/**
 * recordMeeting's fast path: ONE statement (so its locks last until its commit) that locks the
 * booking's confirmation mail steps and stores the meeting only if none of them is claimed yet, the
 * booking is confirmed and has no calendar event. A mail executor claiming meanwhile waits for the
 * lock and then sees the link; one that claimed first makes this a no-op (null) and the caller takes
 * the transaction that queues the "link ready" mail. For the request's inline attempt the same
 * statement releases the follow-ups held back for it (releaseFollowUps), only if the meeting was stored.
 */
async function recordMeetingQuietly(ctx: StepContext, meeting: ZoomMeeting): Promise<{ booking: BookingRow; followUpsReleased: boolean } | null> {
  const release = ctx.inline?.releaseFollowUps === true;
  const statement = prepared(ctx.db, release ? 'recordMeetingAndRelease' : 'recordMeeting', (db) => {
    const bookingId = sql.placeholder('bookingId');
    const now = instantParam('now');
    const mails = db.$with('confirmation_mails').as(
      db
        .select({ status: bookingSteps.status })
        .from(bookingSteps)
        .where(and(eq(bookingSteps.bookingId, bookingId), inArray(bookingSteps.kind, [...CONFIRMATION_MAILS.guest, ...CONFIRMATION_MAILS.host])))
        .for('update'),
    );
    // Without the release, the update is the statement; with it, a CTE of the statement below (which defines the mails CTE).
    const update = (release ? db : db.with(mails))
      .update(bookings)
      .set({
        meetingStatus: 'created',
        zoomMeetingId: param('meetingId'),
        zoomJoinUrl: param('joinUrl'),
        zoomPassword: param('password'),
        sequence: sql`${bookings.sequence} + 1`,
        updatedAt: now,
      })
      .where(
        and(
          eq(bookings.id, bookingId),
          isNull(bookings.zoomMeetingId),
          eq(bookings.status, 'confirmed'),
          isNull(bookings.calendarEventId),
          notExists(db.select({ one: sql`1` }).from(mails).where(ne(mails.status, 'pending'))),
        ),
      );
    if (!release) return update.returning().prepare('');
    const updated = db.$with('updated_booking').as(update.returning());
    const released = db.$with('released_follow_ups').as(
      db
        .update(bookingSteps)
        .set({ runAt: now, updatedAt: now })
        .where(and(followUpsWaiting(bookingId, now), exists(db.select({ one: sql`1` }).from(updated))))
        .returning({ id: bookingSteps.id }),
    );
    return db.with(mails, updated, released).select().from(updated).prepare('');
  });
  const [row] = await statement.execute({
    bookingId: ctx.booking.id,
    now: iso(ctx.now),
    meetingId: meeting.id,
    joinUrl: meeting.joinUrl,
    password: meeting.password ?? null,
  });
  return row ? { booking: row, followUpsReleased: release } : null;
}

/**
 * Tells the host that a booking's meeting is not there yet (or failed) — once per host and problem,
 * not once per booking: the booking joins the host's open notice for the problem (host_notices);
 * the first one also queues the mail, which lists every booking still affected when it is sent.
 * A later booking with the same problem joins silently until the notice is closed (closeZoomNotices).
 */
export async function tellHostAboutZoom(ctx: StepContext, code: ZoomProblemCode, detail: string): Promise<void> {
  const { booking, now } = ctx;
  const bookingId = JSON.stringify([booking.id]);
  await ctx.db.transaction(async (tx) => {
    const [notice] = await tx
      .insert(hostNotices)
      .values({ userId: booking.userId, problem: `zoom.${code}`, bookingIds: [booking.id], openedAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [hostNotices.userId, hostNotices.problem],
        targetWhere: sql`${hostNotices.closedAt} is null`,
        set: {
          bookingIds: sql`case when ${hostNotices.bookingIds} @> ${bookingId}::jsonb then ${hostNotices.bookingIds} else ${hostNotices.bookingIds} || ${bookingId}::jsonb end`,
          updatedAt: now,
        },
      })
      .returning({ id: hostNotices.id, mailStepId: hostNotices.mailStepId });
    if (!notice || notice.mailStepId !== null) return;
    const [mail] = await insertSteps(tx, booking.id, [{ kind: 'mail.host.zoom_problem', runAt: now, payload: { code, detail, noticeId: notice.id } }], now);
    await tx.update(hostNotices).set({ mailStepId: mail!.id, updatedAt: now }).where(eq(hostNotices.id, notice.id));
  });
}

/** A Zoom call of this host went through: its open Zoom notices are over (a later problem mails again). */
export async function closeZoomNotices(ctx: StepContext): Promise<void> {
  await ctx.db
    .update(hostNotices)
    .set({ closedAt: ctx.now, updatedAt: ctx.now })
    .where(and(eq(hostNotices.userId, ctx.booking.userId), isNull(hostNotices.closedAt), like(hostNotices.problem, 'zoom.%')));
}

/** The step error (and notice) of a reconciliation that could not prove the meeting absent. */
const UNVERIFIED = 'Aki could not confirm at Zoom whether this booking already has a meeting, so it did not create one (that could make a duplicate). Check your Zoom meetings for one whose description contains';

export function zoomProblemCode(error: unknown): ZoomProblemCode {
  if (error instanceof ZoomRevokedError) return 'revoked';
  if (error instanceof ZoomNotConnectedError) return 'not_connected';
  if (error instanceof ZoomMissingScopeError) return 'missing_scope';
  if (error instanceof ZoomRateLimitedError) return 'rate_limited';
  if (error instanceof ZoomUnavailableError) return 'unavailable';
  return 'failed';
}

/** Maps a Zoom failure to the step outcome (and tells the host when `tellHost`). */
async function zoomFailure(ctx: StepContext, error: unknown, tellHost: boolean): Promise<StepOutcome> {
  const message = errorMessage(error);
  const code = zoomProblemCode(error);
  if (code === 'revoked' || code === 'not_connected' || code === 'missing_scope') {
    if (tellHost) await tellHostAboutZoom(ctx, code, message);
    return { type: 'wait', error: message, delayMs: ZOOM_WAIT_MS };
  }
  if (error instanceof ZoomLookupIncompleteError) {
    // Creating now might make a second meeting: stop and let the host look (Retry reconciles again).
    const marker = zoomMarker(ctx.booking.uid);
    const explained = `${UNVERIFIED} "${marker}", delete any extra one, then press Retry. (${message})`;
    if (tellHost) await tellHostAboutZoom(ctx, 'unverified', explained);
    return { type: 'fail', error: explained };
  }
  if (error instanceof ZoomRateLimitedError && error.daily) {
    // Zoom's 100 create/update per host per UTC day: nothing will succeed before 00:00 UTC. Waiting
    // for it is not a failed attempt (it must not use up the step's attempts).
    if (tellHost) await tellHostAboutZoom(ctx, 'rate_limited', message);
    return { type: 'wait', error: message, delayMs: error.retryAfterMs + Math.round(Math.random() * 60_000) };
  }
  if (error instanceof ZoomRateLimitedError) {
    if (tellHost) await tellHostAboutZoom(ctx, 'rate_limited', message);
    // Retry-After is honoured: never earlier, plus a little jitter so a host's queued steps spread out.
    return { type: 'retry', error: message, delayMs: error.retryAfterMs + Math.round(Math.random() * Math.min(5_000, error.retryAfterMs * 0.1)) };
  }
  if (error instanceof ZoomUnavailableError) {
    if (tellHost && ctx.step.attempts >= TELL_HOST_AFTER_ATTEMPTS) await tellHostAboutZoom(ctx, 'unavailable', message);
    return { type: 'retry', error: message, payload: error.ambiguous ? { ambiguous: true } : undefined };
  }
  if (error instanceof ZoomError && !error.retryable) return { type: 'fail', error: message };
  return { type: 'retry', error: message };
}

export const zoomCreate: StepHandler = {
  async run(ctx) {
    const { booking, step, now } = ctx;
    if (booking.status !== 'confirmed') return { type: 'skipped', reason: 'booking cancelled' };
    if (booking.location.type !== 'zoom') return { type: 'skipped', reason: 'location is not Zoom' };
    if (booking.zoomMeetingId) return { type: 'done', payload: { meetingId: booking.zoomMeetingId } };
    if (booking.endAt <= now) return { type: 'fail', error: 'The booking ended before a meeting could be created' };
    try {
      let meeting: ZoomMeeting | null = null;
      let reconciled = false;
      // Any earlier attempt may have created the meeting without us seeing the answer: look first.
      if (step.attempts > 1 || step.payload.ambiguous === true) {
        // Narrowed to the booking's days; throws ZoomLookupIncompleteError when it cannot prove absence.
        meeting = await findMeetingByAgenda(booking.userId, zoomMarker(booking.uid), { start: booking.startAt }, callOptions(ctx));
        reconciled = meeting !== null;
      }
      meeting ??= await createMeeting(booking.userId, meetingInput(booking, ctx.host.timeZone), callOptions(ctx));
      const recorded = await recordMeeting(ctx, meeting);
      await closeZoomNotices(ctx);
      return {
        type: 'done',
        payload: { meetingId: meeting.id, reconciled, recorded: recorded ? 'recorded' : 'already' },
        booking: recorded?.booking,
        followUpsReleased: recorded?.followUpsReleased,
      };
    } catch (error) {
      return zoomFailure(ctx, error, true);
    }
  },
  async onFailed(ctx, error) {
    await markMeetingFailed(ctx.db, ctx.booking.id, ctx.now);
    await tellHostAboutZoom(ctx, error.startsWith(UNVERIFIED) ? 'unverified' : 'failed', error);
  },
};

async function createStepInFlight(ctx: StepContext): Promise<BookingStepRow | null> {
  const create = await latestStep(ctx, ['zoom.create']);
  return create && (create.status === 'pending' || create.status === 'running') ? create : null;
}

export const zoomUpdate: StepHandler = {
  async run(ctx) {
    const { booking, now } = ctx;
    if (booking.status !== 'confirmed') return { type: 'skipped', reason: 'booking cancelled' };
    if (booking.location.type !== 'zoom') return { type: 'skipped', reason: 'location is not Zoom' };
    const meetingId = booking.zoomMeetingId;
    if (!meetingId) {
      // The create has not happened yet: it will use the new time, or we update right after it.
      if (await createStepInFlight(ctx)) return { type: 'defer', delayMs: 3_000, reason: 'waiting for zoom.create' };
      return { type: 'skipped', reason: 'no meeting to update' };
    }
    try {
      // Only what changed is PATCHed (each PATCH counts toward Zoom's 100 per host per day).
      const { meeting: fresh, patched } = await syncMeeting(booking.userId, meetingId, meetingInput(booking, ctx.host.timeZone), callOptions(ctx));
      if (fresh.joinUrl !== booking.zoomJoinUrl || (fresh.password ?? null) !== booking.zoomPassword) {
        await updateMeetingLink(ctx.db, booking.id, meetingId, { joinUrl: fresh.joinUrl, password: fresh.password ?? null }, now);
      }
      await closeZoomNotices(ctx);
      return { type: 'done', payload: { meetingId, patched } };
    } catch (error) {
      if (error instanceof ZoomMeetingNotFoundError || error instanceof ZoomMeetingStartedError || error instanceof ZoomMeetingEndedError) {
        // Deleted in Zoom, or already started/ended (Zoom refuses to move a started meeting): the
        // booking at its new time gets a new meeting, and the guest its link; a running meeting is left alone.
        await recreateMeeting(ctx.db, booking.id, meetingId, now);
        return { type: 'done', payload: { meetingId, recreated: true, reason: errorMessage(error) } };
      }
      return zoomFailure(ctx, error, false);
    }
  },
};

export const zoomDelete: StepHandler = {
  async run(ctx) {
    const { booking } = ctx;
    let meetingId = booking.zoomMeetingId;
    if (!meetingId) {
      const create = await latestStep(ctx, ['zoom.create']);
      if (create?.status === 'running') return { type: 'defer', delayMs: 3_000, reason: 'waiting for zoom.create' };
      if (!create || create.attempts === 0) return { type: 'skipped', reason: 'no meeting was created' };
      try {
        // A create may have reached Zoom without us hearing back: clean that one up too.
        meetingId = (await findMeetingByAgenda(booking.userId, zoomMarker(booking.uid), { start: booking.startAt }))?.id ?? null;
      } catch (error) {
        if (error instanceof ZoomLookupIncompleteError) {
          const marker = zoomMarker(booking.uid);
          return {
            type: 'fail',
            error: `Aki could not confirm at Zoom whether a meeting was made for this cancelled booking. Delete any Zoom meeting whose description contains "${marker}". (${errorMessage(error)})`,
          };
        }
        return zoomFailure(ctx, error, false);
      }
      if (!meetingId) return { type: 'skipped', reason: 'no meeting was created' };
    }
    try {
      await deleteMeeting(booking.userId, meetingId);
      await closeZoomNotices(ctx);
      return { type: 'done', payload: { meetingId } };
    } catch (error) {
      // Zoom refuses to delete a meeting that is in progress (3002) or has ended (3007); an ended one
      // cannot be joined again by anyone who was not told, and a running one ends by itself — and then
      // could not be deleted either. Nothing left to do: done, with a note the host sees.
      if (error instanceof ZoomMeetingEndedError || error instanceof ZoomMeetingStartedError) {
        const note = error instanceof ZoomMeetingEndedError ? 'the meeting had already ended; Zoom keeps ended meetings' : 'the meeting was in progress; Zoom does not delete a running meeting';
        return { type: 'done', payload: { meetingId, note } };
      }
      return zoomFailure(ctx, error, false);
    }
  },
};
