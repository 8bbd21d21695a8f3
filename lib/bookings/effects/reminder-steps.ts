import 'server-only';
import { eq } from 'drizzle-orm';
import { publicPageUrl } from '@/lib/booking-pages/utils';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { env } from '@/lib/env';
import { recordingFilesForMail } from '@/lib/meetings/recordings';
import { effectiveAttendance } from '@/lib/meetings/view';
import { sendBookingMail, sendFollowUpMail } from '@/lib/bookings/notifications';
import { REMINDER_SKIP } from '@/lib/bookings/reminders';
import { errorMessage, type StepContext, type StepHandler, type StepOutcome } from './context';

/**
 * Reminder mails before the meeting (reminder.guest / reminder.host, payload {minutesBefore, startAt})
 * and the guest's follow-up after it (followup.guest, payload {endAt}); planned by lib/bookings/reminders.ts.
 * A reminder is only ever sent before the meeting starts: a worker that was down sends a late one
 * while there is still time, never after the start.
 */

/** Zoom's attendance usually arrives within minutes of the end; the follow-up waits for it this long at most. */
export const ATTENDANCE_WAIT_MS = 6 * 60 * 60_000;
const ATTENDANCE_RECHECK_MS = 15 * 60_000;

export const reminderMail: StepHandler = {
  async run(ctx) {
    const { booking, step, now } = ctx;
    if (booking.status !== 'confirmed') return { type: 'skipped', reason: REMINDER_SKIP.cancelled };
    // A guard: rescheduling skips the old reminders, so this one is for another time only if that failed.
    if (step.payload.startAt !== booking.startAt.toISOString()) return { type: 'skipped', reason: REMINDER_SKIP.moved };
    if (now.getTime() >= booking.startAt.getTime()) return { type: 'skipped', reason: REMINDER_SKIP.started };
    const recipient = step.kind === 'reminder.host' ? 'host' : 'guest';
    try {
      const result = await sendBookingMail({
        kind: 'reminder',
        recipient,
        booking,
        host: ctx.host,
        questions: ctx.page?.questions ?? [],
        idempotencyKey: `aki-step-${step.id}`,
      });
      return { type: 'done', payload: { messageId: result.messageId, sentWithLink: result.withLink } };
    } catch (error) {
      return { type: 'retry', error: errorMessage(error) };
    }
  },
};

async function followUpPage(ctx: StepContext) {
  if (!ctx.booking.pageId) return null;
  const [page] = await ctx.db
    .select({ followUp: bookingPages.followUp, share: bookingPages.shareRecordingWithGuest, slug: bookingPages.slug, published: bookingPages.published })
    .from(bookingPages)
    .where(eq(bookingPages.id, ctx.booking.pageId))
    .limit(1);
  return page ?? null;
}

/** The recording the guest may watch: Zoom's share link of the whole recording, else the first video/audio file. */
async function sharedRecording(ctx: StepContext): Promise<{ url: string; passcode: string | null } | null> {
  const { booking } = ctx;
  let url = booking.recordingShareUrl;
  if (!url) {
    const files = await recordingFilesForMail(ctx.db, booking.id);
    url = files.find((f) => f.playUrl && (f.fileType === 'MP4' || f.fileType === 'M4A'))?.playUrl ?? null;
  }
  return url ? { url, passcode: booking.recordingPasscode } : null;
}

export const followUpMail: StepHandler = {
  async run(ctx): Promise<StepOutcome> {
    const { booking, step, now } = ctx;
    if (booking.status !== 'confirmed') return { type: 'skipped', reason: REMINDER_SKIP.cancelled };
    if (step.payload.endAt !== booking.endAt.toISOString()) return { type: 'skipped', reason: REMINDER_SKIP.moved };
    const page = await followUpPage(ctx);
    if (!page?.followUp) return { type: 'skipped', reason: REMINDER_SKIP.pageChanged };

    const verdict = effectiveAttendance(booking.attendanceStatus, booking.attendanceOverride);
    if (verdict === 'pending' && booking.location.type === 'zoom' && now.getTime() < booking.endAt.getTime() + ATTENDANCE_WAIT_MS) {
      return { type: 'defer', delayMs: ATTENDANCE_RECHECK_MS, reason: 'waiting for the attendance' };
    }
    if (verdict === 'host_no_show') return { type: 'skipped', reason: REMINDER_SKIP.hostNoShow };
    const missed = verdict === 'guest_no_show' || verdict === 'nobody';
    if (missed && page.followUp.noShow !== 'sorry') return { type: 'skipped', reason: REMINDER_SKIP.guestNoShow };

    const kind = missed ? 'sorry' : 'thanks';
    try {
      const recording = kind === 'thanks' && page.share ? await sharedRecording(ctx) : null;
      const result = await sendFollowUpMail({
        kind,
        booking,
        host: ctx.host,
        message: page.followUp.message,
        recording,
        bookAgainUrl: page.published && ctx.host.handle ? publicPageUrl(env().appUrl, ctx.host.handle, page.slug) : null,
        idempotencyKey: `aki-step-${step.id}`,
      });
      return { type: 'done', payload: { messageId: result.messageId, mail: kind, attendance: verdict, withRecording: recording !== null } };
    } catch (error) {
      return { type: 'retry', error: errorMessage(error) };
    }
  },
};
