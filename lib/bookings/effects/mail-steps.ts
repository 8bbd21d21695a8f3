import 'server-only';
import { and, asc, desc, eq, inArray, lt, ne } from 'drizzle-orm';
import { bookingSteps, bookings, hostNotices } from '@/lib/db/schema/bookings';
import type { BookingMailKind } from '@/lib/mail/templates/booking';
import { isZoomProblemCode, sendBookingMail } from '@/lib/bookings/notifications';
import type { BookingRow, StepKind } from '@/lib/bookings/types';
import { errorMessage, type StepContext, type StepHandler, type StepOutcome } from './context';

/**
 * mail.<guest|host>.<kind>. Confirmation mails wait (bounded) while the Zoom create is in flight, so
 * they usually carry the join link; otherwise they say the link follows and a "link ready" mail goes
 * out when the meeting exists. Mails to one recipient keep their order (a cancellation never
 * overtakes the confirmation it cancels).
 */

/** The longest a confirmation mail waits for an in-flight Zoom call. */
const WAIT_FOR_ZOOM_MS = 20_000;

function parseKind(kind: string): { recipient: 'guest' | 'host'; mail: BookingMailKind } {
  const [, recipient, mail] = kind.split('.');
  return { recipient: recipient === 'host' ? 'host' : 'guest', mail: (mail ?? 'confirmed') as BookingMailKind };
}

async function stepsOf(ctx: StepContext, kinds: StepKind[]) {
  return ctx.db
    .select()
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, ctx.booking.id), inArray(bookingSteps.kind, kinds)))
    .orderBy(desc(bookingSteps.id));
}

async function zoomCreateRunning(ctx: StepContext): Promise<boolean> {
  // A collective booking's member row has no meeting of its own: its link comes from the booking's (lead) row.
  const bookingId = ctx.booking.teamLeadId ?? ctx.booking.id;
  const [create] = await ctx.db
    .select({ status: bookingSteps.status })
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, bookingId), eq(bookingSteps.kind, 'zoom.create')))
    .orderBy(desc(bookingSteps.id))
    .limit(1);
  return create?.status === 'running';
}

async function earlierMailInFlight(ctx: StepContext, recipient: 'guest' | 'host'): Promise<boolean> {
  const rows = await ctx.db
    .select({ id: bookingSteps.id })
    .from(bookingSteps)
    .where(
      and(
        eq(bookingSteps.bookingId, ctx.booking.id),
        inArray(bookingSteps.kind, [`mail.${recipient}.confirmed`, `mail.${recipient}.rescheduled`]),
        eq(bookingSteps.status, 'running'),
        lt(bookingSteps.id, ctx.step.id),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

async function send(ctx: StepContext, recipient: 'guest' | 'host', mail: BookingMailKind, affected?: BookingRow[]): Promise<StepOutcome> {
  const { step } = ctx;
  const booking = affected?.[0] ?? ctx.booking;
  const payload = step.payload;
  const previous =
    typeof payload.previousStart === 'string' && typeof payload.previousEnd === 'string'
      ? { start: new Date(payload.previousStart), end: new Date(payload.previousEnd) }
      : null;
  const code = isZoomProblemCode(payload.code) ? payload.code : null;
  try {
    const result = await sendBookingMail({
      kind: mail,
      recipient,
      booking,
      host: ctx.host,
      questions: ctx.page?.questions ?? [],
      previous,
      problem: code ? { code, detail: typeof payload.detail === 'string' ? payload.detail : null } : null,
      rescheduledBy: payload.rescheduledBy === 'host' ? 'host' : null,
      note: typeof payload.note === 'string' ? payload.note : null,
      reassignedTo: typeof (payload.formerHost as { note?: unknown } | undefined)?.note === 'string' ? (payload.formerHost as { note: string }).note : null,
      affected,
      idempotencyKey: `aki-step-${step.id}`,
    });
    return { type: 'done', payload: { sentWithLink: result.withLink, messageId: result.messageId } };
  } catch (error) {
    return { type: 'retry', error: errorMessage(error) };
  }
}

/**
 * The host's one mail for an open notice (host_notices): it names every booking of the notice that
 * still has no meeting at send time — bookings that joined before it went out are listed too.
 */
async function sendNotice(ctx: StepContext, noticeId: number): Promise<StepOutcome> {
  const [notice] = await ctx.db.select().from(hostNotices).where(eq(hostNotices.id, noticeId)).limit(1);
  if (!notice) return { type: 'skipped', reason: 'notice gone' };
  const affected =
    notice.bookingIds.length === 0
      ? []
      : await ctx.db
          .select()
          .from(bookings)
          .where(and(inArray(bookings.id, notice.bookingIds), eq(bookings.status, 'confirmed'), ne(bookings.meetingStatus, 'created')))
          .orderBy(asc(bookings.startAt));
  if (affected.length === 0) return { type: 'skipped', reason: 'every meeting exists now' };
  const outcome = await send(ctx, 'host', 'zoom_problem', affected);
  if (outcome.type === 'done') {
    await ctx.db.update(hostNotices).set({ mailedAt: ctx.now, updatedAt: ctx.now }).where(eq(hostNotices.id, noticeId));
    return { ...outcome, payload: { ...outcome.payload, bookings: affected.map((b) => b.uid) } };
  }
  return outcome;
}

export const mailStep: StepHandler = {
  async run(ctx) {
    const { booking, step, now } = ctx;
    const { recipient, mail } = parseKind(step.kind);
    const cancelled = booking.status === 'cancelled';
    switch (mail) {
      case 'confirmed':
      case 'rescheduled':
      case 'reassigned': {
        if (cancelled) return { type: 'skipped', reason: 'booking cancelled' };
        if (
          booking.meetingStatus === 'pending' &&
          now.getTime() - step.createdAt.getTime() < WAIT_FOR_ZOOM_MS &&
          (await zoomCreateRunning(ctx))
        ) {
          return { type: 'defer', delayMs: 1_000, reason: 'waiting for the Zoom link' };
        }
        return send(ctx, recipient, mail);
      }
      case 'link_ready': {
        if (cancelled) return { type: 'skipped', reason: 'booking cancelled' };
        if (booking.meetingStatus !== 'created' || !booking.zoomJoinUrl) return { type: 'skipped', reason: 'no meeting' };
        const [latest] = await stepsOf(ctx, [`mail.${recipient}.confirmed`, `mail.${recipient}.rescheduled`, `mail.${recipient}.reassigned`] as StepKind[]);
        if (latest && (latest.status === 'pending' || latest.status === 'running')) {
          return { type: 'defer', delayMs: 2_000, reason: 'waiting for the confirmation mail' };
        }
        // A meeting made anew (deleted in Zoom, recreated: lib/meetings/service.ts) has a link the confirmation did not have.
        if (latest?.status === 'done' && latest.payload.sentWithLink === true && step.payload.meetingReplaced !== true) {
          return { type: 'skipped', reason: 'the confirmation mail had the link' };
        }
        return send(ctx, recipient, mail);
      }
      case 'cancelled': {
        if (await earlierMailInFlight(ctx, recipient)) return { type: 'defer', delayMs: 1_000, reason: 'waiting for an earlier mail' };
        return send(ctx, recipient, mail);
      }
      case 'zoom_problem': {
        if (typeof step.payload.noticeId === 'number') return sendNotice(ctx, step.payload.noticeId);
        if (cancelled) return { type: 'skipped', reason: 'booking cancelled' };
        if (booking.meetingStatus === 'created') return { type: 'skipped', reason: 'the meeting exists now' };
        return send(ctx, recipient, mail);
      }
      case 'reminder':
        // Reminders are reminder.* steps (reminder-steps.ts), never mail.*.
        return { type: 'fail', error: `unknown step kind ${step.kind}` };
    }
  },
};
