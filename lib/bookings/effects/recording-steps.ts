import 'server-only';
import { recordingFilesForMail, runTranscriptStep, transcriptStepFailed } from '@/lib/meetings/recordings';
import { sendMeetingChangedMail, sendRecordingReadyMail } from '@/lib/bookings/notifications';
import { errorMessage, type StepHandler } from './context';

/**
 * After the meeting (lib/meetings): the transcript fetch, the recording mails (host; guest when the
 * page shares recordings) and the host's "changed in Zoom" mail. The work itself lives in lib/meetings
 * and lib/bookings/notifications.ts; these are the worker's entry points.
 */

export const meetingTranscript: StepHandler = {
  run: (ctx) => runTranscriptStep(ctx.db, ctx.booking, ctx.step, ctx.now),
  onFailed: (ctx) => transcriptStepFailed(ctx.db, ctx.step, ctx.now),
};

export const recordingReadyMail: StepHandler = {
  async run(ctx) {
    const recipient = ctx.step.kind === 'mail.guest.recording_ready' ? 'guest' : 'host';
    // The guest hears of a recording only while the booking stands (a host may still share it by hand).
    if (recipient === 'guest' && ctx.booking.status !== 'confirmed') return { type: 'skipped', reason: 'booking cancelled' };
    try {
      const files = await recordingFilesForMail(ctx.db, ctx.booking.id);
      const result = await sendRecordingReadyMail({ recipient, booking: ctx.booking, host: ctx.host, files, idempotencyKey: `aki-step-${ctx.step.id}` });
      return { type: 'done', payload: { messageId: result.messageId } };
    } catch (error) {
      return { type: 'retry', error: errorMessage(error) };
    }
  },
};

export const meetingChangedMail: StepHandler = {
  async run(ctx) {
    const { booking, step } = ctx;
    const change = step.payload.change === 'rescheduled' ? 'rescheduled' : 'deleted';
    if (booking.status !== 'confirmed') return { type: 'skipped', reason: 'booking cancelled' };
    // Already dealt with (recreated, or moved back in Zoom): nothing to tell.
    if (booking.meetingChangedInZoom !== change) return { type: 'skipped', reason: 'no longer changed in Zoom' };
    try {
      const zoomStart = typeof step.payload.zoomStart === 'string' ? new Date(step.payload.zoomStart) : null;
      const result = await sendMeetingChangedMail({ booking, host: ctx.host, change, zoomStart, idempotencyKey: `aki-step-${step.id}` });
      return { type: 'done', payload: { messageId: result.messageId } };
    } catch (error) {
      return { type: 'retry', error: errorMessage(error) };
    }
  },
};
