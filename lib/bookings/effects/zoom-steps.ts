import 'server-only';
import { and, desc, eq, exists, inArray, isNull, like, sql } from 'drizzle-orm';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookingSteps, bookings, hostNotices } from '@/lib/db/schema/bookings';
import type { ZoomProblemCode } from '@/lib/bookings/notifications';
import { isIntegrationError } from '@/lib/errors';
import { type AlternativeHostsOutcome, createMeetingWithAlternativeHosts, deleteMeeting, findMeetingByAgenda, syncMeeting } from '@/lib/zoom/client';
import { addMeetingRegistrant, type ZoomRegistrant } from '@/lib/zoom/recordings';
import type { ZoomMeeting, ZoomMeetingInput } from '@/lib/zoom/types';
import { columnsOf, markMeetingFailed, recreateMeeting, updateMeetingLink } from '@/lib/bookings/mutations';
import {
  accountBackoff,
  alternativeHostCandidates,
  credentialForBooking,
  credentialForNewMeeting,
  type MeetingCredential,
  meetingOptionsFor,
  recordAccountRateLimit,
} from '@/lib/meetings/credentials';
import { SYNC_AFTER_END_MS } from '@/lib/meetings/steps';
import type { BookingRow, BookingStepRow, StepKind } from '@/lib/bookings/types';
import { errorMessage, type StepContext, type StepHandler, type StepOutcome, zoomMarker } from './context';
import { failureOutcome, UNVERIFIED } from './outcomes';
import { instantParam, iso, param, prepared } from '@/lib/db/prepared';
import { DEFAULT_MAX_ATTEMPTS, followUpsWaiting, insertSteps } from './queue';
import { insertWebhookEmitSteps } from '@/lib/webhooks/emit';

/**
 * zoom.create / zoom.update / zoom.delete. The booking uid goes into the agenda (`aki:<uid>`); any
 * retry of a create first looks for a meeting with that marker (an earlier attempt may have succeeded
 * without us seeing the answer), so a booking never gets two meetings.
 */

/**
 * The credential a create uses (lib/meetings/credentials.ts): the one an earlier attempt chose and
 * stored on the booking (its reconciliation must look in the same account), else the host's current
 * choice — an organisation credential is stored before the call, so a retry looks where it created.
 */
async function createCredential(ctx: StepContext): Promise<MeetingCredential> {
  if (ctx.booking.zoomCredential) return credentialForBooking(ctx.db, ctx.booking);
  const chosen = await credentialForNewMeeting(ctx.db, ctx.host, ctx.zoomChoice);
  if (chosen.credential !== 'own') {
    await ctx.db
      .update(bookings)
      .set({ zoomCredential: chosen.credential, zoomHostUserId: chosen.zoomHostUserId })
      .where(and(eq(bookings.id, ctx.booking.id), isNull(bookings.zoomMeetingId)));
  }
  return chosen;
}

/** The credential that made the booking's meeting (update, delete): never the host's current choice. */
const bookingCredential = (ctx: StepContext) => credentialForBooking(ctx.db, ctx.booking);

/**
 * Every host of an organisation shares its Zoom account's rate limits: while the account backs off
 * (an earlier 429), the step waits instead of calling Zoom. Null when it may go ahead.
 */
async function waitForAccount(ctx: StepContext, credential: MeetingCredential): Promise<StepOutcome | null> {
  if (!credential.organisationId) return null;
  const backoff = await accountBackoff(ctx.db, credential.organisationId, ctx.now);
  if (!backoff) return null;
  const delayMs = Math.max(1_000, backoff.until.getTime() - ctx.now.getTime()) + Math.round(Math.random() * 2_000);
  return { type: 'defer', delayMs, reason: `the organisation's Zoom account is rate-limited until ${backoff.until.toISOString()} (${backoff.reason})` };
}

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

const inList = (kinds: StepKind[]) => sql.join(kinds.map((kind) => sql`${kind}`), sql`, `);

/**
 * Stores the meeting on the booking (once) and queues what follows from it, in ONE statement (built
 * once per client, so its locks last until its commit and the confirm path pays for one round trip):
 * - it locks the booking's confirmation mail steps first, so a mail executor cannot claim one between
 *   our look at them and our commit: it either waits and then sees the link, or claimed earlier — then
 *   a "link ready" mail is queued for that side;
 * - a booking cancelled meanwhile gets its zoom.delete; one with a calendar event its calendar.update
 *   (each as ensureStep would: added unless one is pending, whose run time is then pulled forward);
 * - for the request's inline attempt (releaseFollowUps) it also releases the follow-ups held back for it;
 * - the call went through, so the host's open Zoom notices are over (as closeZoomNotices; also when the
 *   booking had its meeting already).
 * - the step itself is recorded as done with `stepPayload` (as finishStep would, with its guard), sparing
 *   the step its own finishing statement.
 * Nothing else happens when the booking already had a meeting: null then (the step is finished as usual).
 * Otherwise the updated booking row, whether the follow-ups were released with it and whether the step's
 * end was recorded (false: another executor had taken the step over).
 */
async function recordMeeting(
  ctx: StepContext,
  meeting: ZoomMeeting,
  credential: MeetingCredential,
  registrant: ZoomRegistrant | null,
  stepPayload: Record<string, unknown>,
): Promise<{ booking: BookingRow; followUpsReleased: boolean; stepFinished: boolean } | null> {
  const release = ctx.inline?.releaseFollowUps === true;
  const statement = prepared(ctx.db, release ? 'recordMeetingAndRelease' : 'recordMeeting', (db, name) => {
    const bookingId = sql.placeholder('bookingId');
    const now = instantParam('now');
    const mails = db.$with('confirmation_mails').as(
      db
        .select({ kind: bookingSteps.kind, status: bookingSteps.status })
        .from(bookingSteps)
        .where(and(eq(bookingSteps.bookingId, bookingId), inArray(bookingSteps.kind, [...CONFIRMATION_MAILS.guest, ...CONFIRMATION_MAILS.host])))
        .for('update'),
    );
    // An aggregate reads (and so locks) every confirmation mail, not just up to the first match.
    const sent = (who: 'guest' | 'host') => sql`coalesce(bool_or(kind in (${inList(CONFIRMATION_MAILS[who])}) and status <> 'pending'), false)`;
    const mailState = db
      .$with('mail_state', { guestSent: sql<boolean>`guest_sent`, hostSent: sql<boolean>`host_sent` })
      .as(sql`select ${sent('guest')} as guest_sent, ${sent('host')} as host_sent from confirmation_mails`);
    const updated = db.$with('updated_booking').as(
      db
        .update(bookings)
        .set({
          meetingStatus: 'created',
          zoomMeetingId: param('meetingId'),
          zoomJoinUrl: param('joinUrl'),
          zoomPassword: param('password'),
          // The credential that made it: reschedule, cancel and the reads after the meeting use this one.
          zoomCredential: param('credential'),
          zoomHostUserId: param('zoomHostUserId'),
          // The guest's personal link (registration); null otherwise, so a recreated meeting never keeps an old one.
          zoomRegistrantId: param('registrantId'),
          guestJoinUrl: param('guestJoinUrl'),
          // A new meeting replaces one deleted or moved in Zoom: the guest's pages show its link again.
          meetingChangedInZoom: null,
          meetingChangedInZoomAt: null,
          sequence: sql`${bookings.sequence} + 1`,
          updatedAt: now,
        })
        .where(and(eq(bookings.id, bookingId), isNull(bookings.zoomMeetingId)))
        .returning(),
    );
    const followUps = db.$with('follow_ups', { kind: sql<string>`kind` }).as(sql`
      select 'zoom.delete' as kind from updated_booking b where b.status = 'cancelled'
      union all select 'mail.guest.link_ready' from updated_booking b, mail_state m where b.status <> 'cancelled' and m.guest_sent
      union all select 'mail.host.link_ready' from updated_booking b, mail_state m where b.status <> 'cancelled' and m.host_sent
      union all select 'calendar.update' from updated_booking b where b.status <> 'cancelled' and b.calendar_event_id is not null`);
    // ensureStep in SQL: pull a pending one forward, else add one (the CTEs see the table as it was before the statement).
    const pulled = db.$with('pulled_follow_ups', { id: sql<number>`id` }).as(sql`
      update booking_steps set run_at = ${now}, updated_at = ${now}
      where booking_id = ${bookingId} and status = 'pending' and run_at > ${now} and kind in (select kind from follow_ups)
      returning id`);
    const inserted = db.$with('inserted_follow_ups', { id: sql<number>`id` }).as(sql`
      insert into booking_steps (booking_id, kind, run_at, payload, max_attempts, created_at, updated_at)
      select ${bookingId}, f.kind, ${now}, '{}'::jsonb, ${sql.raw(String(DEFAULT_MAX_ATTEMPTS))}, ${now}, ${now} from follow_ups f
      where not exists (select 1 from booking_steps s where s.booking_id = ${bookingId} and s.kind = f.kind and s.status = 'pending')
      returning id`);
    // The REST safety net for the meeting (lib/meetings/sync.ts): endAt + 15 min, one pending per booking.
    const syncStep = db.$with('inserted_meeting_sync', { id: sql<number>`id` }).as(sql`
      insert into booking_steps (booking_id, kind, run_at, payload, max_attempts, created_at, updated_at)
      select ${bookingId}, 'meeting.sync', b.end_at + (${sql.raw(String(SYNC_AFTER_END_MS))} * interval '1 millisecond'), '{}'::jsonb, ${sql.raw(String(DEFAULT_MAX_ATTEMPTS))}, ${now}, ${now}
      from updated_booking b
      where b.status <> 'cancelled'
        and not exists (select 1 from booking_steps s where s.booking_id = ${bookingId} and s.kind = 'meeting.sync' and s.status = 'pending')
      returning id`);
    // The host's webhooks hear of the meeting (a recreated one too) in the same statement.
    const webhook = db
      .$with('meeting_created_webhook', { id: sql<number>`id` })
      .as(sql`${insertWebhookEmitSteps(sql`from updated_booking b where b.status <> 'cancelled'`, 'meeting.created', now)} returning id`);
    // A data-modifying CTE runs whether or not anything reads it.
    const notices = db.$with('closed_zoom_notices').as(
      db
        .update(hostNotices)
        .set({ closedAt: now, updatedAt: now })
        .where(and(eq(hostNotices.userId, sql.placeholder('userId')), isNull(hostNotices.closedAt), like(hostNotices.problem, 'zoom.%')))
        .returning({ id: hostNotices.id }),
    );
    // A collective team booking's other members (their hold rows) get the same link for their mails and lists.
    const memberHolds = db.$with('updated_member_holds').as(
      db
        .update(bookings)
        .set({ meetingStatus: 'created', zoomJoinUrl: param('joinUrl'), zoomPassword: param('password'), updatedAt: now })
        .where(and(eq(bookings.teamLeadId, bookingId), exists(db.select({ one: sql`1` }).from(updated))))
        .returning({ id: bookings.id }),
    );
    // Their host mails may have gone out before the meeting ("the link follows"): each hold gets a link-ready
    // mail (the mail step itself skips it when the confirmation had the link, and waits for one still pending).
    const memberLinkReady = db.$with('member_link_ready', { id: sql<number>`id` }).as(sql`
      insert into booking_steps (booking_id, kind, run_at, payload, max_attempts, created_at, updated_at)
      select h.id, 'mail.host.link_ready', ${now}, '{}'::jsonb, ${sql.raw(String(DEFAULT_MAX_ATTEMPTS))}, ${now}, ${now} from updated_member_holds h
      where not exists (select 1 from booking_steps s where s.booking_id = h.id and s.kind = 'mail.host.link_ready' and s.status = 'pending')
      returning id`);
    // finishStep's update (status done), only with the meeting recorded: otherwise the step finishes as usual.
    const finished = db.$with('finished_step').as(
      db
        .update(bookingSteps)
        .set({
          status: 'done',
          lockedUntil: null,
          lastError: null,
          payload: sql`${bookingSteps.payload} || ${sql.placeholder('stepPayload')}::jsonb`,
          doneAt: instantParam('doneAt'),
          updatedAt: instantParam('doneAt'),
        })
        .where(
          and(
            eq(bookingSteps.id, sql.placeholder('stepId')),
            eq(bookingSteps.status, 'running'),
            eq(bookingSteps.attempts, sql.placeholder('claimedAttempts')),
            exists(db.select({ one: sql`1` }).from(updated)),
          ),
        )
        .returning({ id: bookingSteps.id }),
    );
    const ctes = [mails, mailState, updated, followUps, pulled, inserted, syncStep, webhook, notices, memberHolds, memberLinkReady, finished];
    const result = { ...columnsOf(updated, bookings), stepFinished: sql<boolean>`exists (select 1 from finished_step)` };
    if (release) {
      // Pulls the same rows forward as pulled_follow_ups may (to the same values): one of the two updates each row.
      const released = db.$with('released_follow_ups').as(
        db
          .update(bookingSteps)
          .set({ runAt: now, updatedAt: now })
          .where(and(followUpsWaiting(bookingId, now), exists(db.select({ one: sql`1` }).from(updated))))
          .returning({ id: bookingSteps.id }),
      );
      return db
        .with(...ctes, released)
        .select(result)
        .from(updated)
        .prepare(name);
    }
    return db
      .with(...ctes)
      .select(result)
      .from(updated)
      .prepare(name);
  });
  const [row] = await statement.execute({
    bookingId: ctx.booking.id,
    userId: ctx.booking.userId,
    now: iso(ctx.now),
    meetingId: meeting.id,
    joinUrl: meeting.joinUrl,
    password: meeting.password ?? null,
    credential: credential.credential,
    zoomHostUserId: credential.zoomHostUserId,
    registrantId: registrant?.registrantId ?? null,
    guestJoinUrl: registrant?.joinUrl ?? null,
    stepId: ctx.step.id,
    claimedAttempts: ctx.step.attempts,
    stepPayload: JSON.stringify(stepPayload),
    doneAt: iso(ctx.clock?.() ?? new Date()),
  });
  if (!row) return null;
  const { stepFinished, ...booking } = row;
  return { booking: booking as BookingRow, followUpsReleased: release, stepFinished };
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

/** Maps a Zoom failure to the step outcome (outcomes.ts) and tells the host when `tellHost`. */
async function zoomFailure(ctx: StepContext, error: unknown, tellHost: boolean, credential?: MeetingCredential): Promise<StepOutcome> {
  const { outcome, notice } = failureOutcome(ctx, error);
  if (tellHost && notice) await tellHostAboutZoom(ctx, notice.code, notice.detail);
  // An organisation's 429 backs off its whole account; this step retries when the back-off ends.
  const until = credential ? await recordAccountRateLimit(ctx.db, credential, error, ctx.now) : null;
  if (until && outcome.type === 'retry') return { ...outcome, delayMs: Math.max(outcome.delayMs ?? 0, until.getTime() - ctx.now.getTime()) };
  return outcome;
}

/** Whether the booking's page registers guests with Zoom (personal join links, exact attendance matching). */
async function registersGuests(ctx: StepContext): Promise<boolean> {
  if (!ctx.booking.pageId) return false;
  // Read with the booking (the worker's context, or the confirm's transaction), when the caller had it.
  if (ctx.page?.registerGuests !== undefined) return ctx.page.registerGuests;
  const [page] = await ctx.db.select({ register: bookingPages.registerGuests }).from(bookingPages).where(eq(bookingPages.id, ctx.booking.pageId)).limit(1);
  return page?.register === true;
}

/**
 * Adds the guest as an auto-approved registrant of the new meeting. Registration failing (e.g.
 * plan_required on a Basic host, or the meeting's registration off) keeps the meeting: the guest gets
 * the general link and the step records why (`registrationError`, shown to the host).
 */
async function registerGuest(ctx: StepContext, credential: MeetingCredential, meetingId: string): Promise<{ registrant: ZoomRegistrant | null; error: string | null }> {
  const { booking } = ctx;
  try {
    const firstName = booking.guestName.replace(/\s+/g, ' ').trim().slice(0, 64);
    const registrant = await addMeetingRegistrant(credential.source, meetingId, { email: booking.guestEmail, firstName }, callOptions(ctx));
    return { registrant, error: null };
  } catch (error) {
    return { registrant: null, error: errorMessage(error) };
  }
}

export const zoomCreate: StepHandler = {
  async run(ctx) {
    const { booking, step, now } = ctx;
    if (booking.status !== 'confirmed') return { type: 'skipped', reason: 'booking cancelled' };
    if (booking.location.type !== 'zoom') return { type: 'skipped', reason: 'location is not Zoom' };
    if (booking.zoomMeetingId) return { type: 'done', payload: { meetingId: booking.zoomMeetingId } };
    if (booking.endAt <= now) return { type: 'fail', error: 'The booking ended before a meeting could be created' };
    let credential: MeetingCredential | undefined;
    try {
      credential = await createCredential(ctx);
      const backingOff = await waitForAccount(ctx, credential);
      if (backingOff) return backingOff;
      const register = await registersGuests(ctx);
      let meeting: ZoomMeeting | null = null;
      let reconciled = false;
      // A collective booking's other members may start the meeting too, where Zoom allows it.
      // (Only a collective page's booking can have any: other bookings spare the query when the page is known.)
      const collective = ctx.page?.teamKind === undefined || ctx.page.teamKind === 'collective';
      const alternates = collective ? await alternativeHostCandidates(ctx.db, booking, credential) : null;
      let alternativeHosts: (AlternativeHostsOutcome & { withoutZoom: string[] }) | null = null;
      // Any earlier attempt may have created the meeting without us seeing the answer: look first.
      if (step.attempts > 1 || step.payload.ambiguous === true) {
        // Narrowed to the booking's days; throws lookup_incomplete when it cannot prove absence.
        meeting = await findMeetingByAgenda(credential.source, zoomMarker(booking.uid), { start: booking.startAt }, callOptions(ctx));
        reconciled = meeting !== null;
      }
      if (!meeting) {
        // An organisation's meeting carries its settings (defaults + page override) and a passcode its policy accepts.
        const options = await meetingOptionsFor(ctx.db, credential, booking.pageId);
        const input = { ...meetingInput(booking, ctx.host.timeZone), registration: register, ...options };
        const created = await createMeetingWithAlternativeHosts(credential.source, input, alternates?.emails ?? [], callOptions(ctx));
        meeting = created.meeting;
        if (alternates) alternativeHosts = { ...created.alternativeHosts, withoutZoom: alternates.withoutZoom };
      } else if (alternates) {
        // Made by an earlier attempt: what Zoom holds is what it took (who it refused then is not known now).
        alternativeHosts = { added: meeting.alternativeHosts, refused: [], withoutZoom: alternates.withoutZoom };
      }
      // Registered before the meeting is stored: the confirmation mails that wait for it carry the personal link.
      const registration = register ? await registerGuest(ctx, credential, meeting.id) : null;
      const payload = {
        meetingId: meeting.id,
        reconciled,
        ...(registration ? { registration: registration.registrant ? 'registered' : 'failed', registrationError: registration.error } : {}),
        ...(alternativeHosts ? { alternativeHosts } : {}),
      };
      // Closes the host's Zoom notices and records this step as done in the same statement.
      const recorded = await recordMeeting(ctx, meeting, credential, registration?.registrant ?? null, { ...payload, recorded: 'recorded' });
      return {
        type: 'done',
        payload: { ...payload, recorded: recorded ? 'recorded' : 'already' },
        booking: recorded?.booking,
        followUpsReleased: recorded?.followUpsReleased,
        finished: recorded?.stepFinished,
      };
    } catch (error) {
      // A credential that cannot be used (the organisation's Zoom gone, the host's link revoked) made
      // nothing in Zoom unless an attempt was ambiguous: the next attempt chooses again (the host may switch).
      if (
        booking.zoomCredential &&
        step.payload.ambiguous !== true &&
        (isIntegrationError(error, 'not_connected') || isIntegrationError(error, 'revoked'))
      ) {
        await ctx.db.update(bookings).set({ zoomCredential: null, zoomHostUserId: null }).where(and(eq(bookings.id, booking.id), isNull(bookings.zoomMeetingId)));
      }
      return zoomFailure(ctx, error, true, credential);
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
    let credential: MeetingCredential | undefined;
    try {
      credential = await bookingCredential(ctx);
      const backingOff = await waitForAccount(ctx, credential);
      if (backingOff) return backingOff;
      // Only what changed is PATCHed (each PATCH counts toward Zoom's 100 per host per day).
      const { meeting: fresh, patched } = await syncMeeting(credential.source, meetingId, meetingInput(booking, ctx.host.timeZone), callOptions(ctx));
      if (fresh.joinUrl !== booking.zoomJoinUrl || (fresh.password ?? null) !== booking.zoomPassword) {
        await updateMeetingLink(ctx.db, booking.id, meetingId, { joinUrl: fresh.joinUrl, password: fresh.password ?? null }, now);
      }
      await closeZoomNotices(ctx);
      return { type: 'done', payload: { meetingId, patched } };
    } catch (error) {
      if (isIntegrationError(error, 'not_found') || isIntegrationError(error, 'meeting_started') || isIntegrationError(error, 'meeting_ended')) {
        // Deleted in Zoom, or already started/ended (Zoom refuses to move a started meeting): the
        // booking at its new time gets a new meeting, and the guest its link; a running meeting is left alone.
        await recreateMeeting(ctx.db, booking.id, meetingId, now);
        return { type: 'done', payload: { meetingId, recreated: true, reason: errorMessage(error) } };
      }
      return zoomFailure(ctx, error, false, credential);
    }
  },
};

export const zoomDelete: StepHandler = {
  async run(ctx) {
    const { booking } = ctx;
    let meetingId = booking.zoomMeetingId;
    let credential: MeetingCredential;
    try {
      credential = await bookingCredential(ctx);
    } catch (error) {
      return zoomFailure(ctx, error, false);
    }
    const backingOff = await waitForAccount(ctx, credential);
    if (backingOff) return backingOff;
    if (!meetingId) {
      const create = await latestStep(ctx, ['zoom.create']);
      if (create?.status === 'running') return { type: 'defer', delayMs: 3_000, reason: 'waiting for zoom.create' };
      if (!create || create.attempts === 0) return { type: 'skipped', reason: 'no meeting was created' };
      try {
        // A create may have reached Zoom without us hearing back: clean that one up too.
        meetingId = (await findMeetingByAgenda(credential.source, zoomMarker(booking.uid), { start: booking.startAt }))?.id ?? null;
      } catch (error) {
        if (isIntegrationError(error, 'lookup_incomplete')) {
          const marker = zoomMarker(booking.uid);
          return {
            type: 'fail',
            error: `Aki could not confirm at Zoom whether a meeting was made for this cancelled booking. Delete any Zoom meeting whose description contains "${marker}". (${errorMessage(error)})`,
          };
        }
        return zoomFailure(ctx, error, false, credential);
      }
      if (!meetingId) return { type: 'skipped', reason: 'no meeting was created' };
    }
    try {
      await deleteMeeting(credential.source, meetingId);
      await closeZoomNotices(ctx);
      return { type: 'done', payload: { meetingId } };
    } catch (error) {
      // Zoom refuses to delete a meeting that is in progress (3002) or has ended (3007); an ended one
      // cannot be joined again by anyone who was not told, and a running one ends by itself — and then
      // could not be deleted either. Nothing left to do: done, with a note the host sees.
      if (isIntegrationError(error, 'meeting_ended') || isIntegrationError(error, 'meeting_started')) {
        const note = error.reason === 'meeting_ended' ? 'the meeting had already ended; Zoom keeps ended meetings' : 'the meeting was in progress; Zoom does not delete a running meeting';
        return { type: 'done', payload: { meetingId, note } };
      }
      return zoomFailure(ctx, error, false, credential);
    }
  },
};
