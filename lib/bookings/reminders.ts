import type { FollowUp, Reminder } from '@/lib/booking-pages/schema';
import type { StepSpec } from './effects/queue';
import type { BookingStepRow, HostReminderView, StepKind } from './types';

/**
 * Reminder mails before the meeting and the guest's follow-up after it (README "Reminders and
 * follow-ups"): which steps a booking gets, computed from the page row the confirm (or reschedule)
 * already holds, so they go into the same insert as the booking's other steps. Pure: `now` is a parameter.
 */

export const REMINDER_KINDS = ['reminder.guest', 'reminder.host'] as const satisfies readonly StepKind[];
export const AFTER_MEETING_KINDS = [...REMINDER_KINDS, 'followup.guest'] as const satisfies readonly StepKind[];

/** The follow-up goes this long after the meeting's end (Zoom has usually sent its attendance by then). */
export const FOLLOW_UP_DELAY_MS = 30 * 60_000;

/**
 * Why a reminder step was not sent (its payload.reason): the host's booking page names them in words
 * (bookings.reminders.skipped.<code>), so they are stable codes.
 */
export const REMINDER_SKIP = {
  insideWindow: 'booked inside the window',
  rescheduled: 'booking rescheduled',
  cancelled: 'booking cancelled',
  moved: 'the booking moved',
  started: 'the meeting had started',
  pageChanged: 'follow-up turned off',
  guestNoShow: 'the guest did not show up',
  hostNoShow: 'the host did not show up',
} as const;

export type ReminderPlanPage = { reminders: Reminder[]; followUp: FollowUp | null };

/**
 * The reminder and follow-up steps of a booking from `start` to `end`. A reminder whose time has
 * already come when the booking is made (booked inside its window) is recorded as skipped, never
 * sent late. Offsets are exact durations: "1 day before" is 1,440 minutes before the start instant,
 * also across a DST change.
 */
export function plannedReminderSpecs(page: ReminderPlanPage, start: Date, end: Date, now: Date): StepSpec[] {
  const specs: StepSpec[] = page.reminders.map((reminder) => {
    const runAt = new Date(start.getTime() - reminder.minutesBefore * 60_000);
    const payload = { minutesBefore: reminder.minutesBefore, startAt: start.toISOString() };
    const kind: StepKind = reminder.to === 'host' ? 'reminder.host' : 'reminder.guest';
    return runAt.getTime() <= now.getTime() ? { kind, runAt, payload, skipped: REMINDER_SKIP.insideWindow } : { kind, runAt, payload };
  });
  if (page.followUp) {
    specs.push({ kind: 'followup.guest', runAt: new Date(end.getTime() + FOLLOW_UP_DELAY_MS), payload: { endAt: end.toISOString() } });
  }
  return specs;
}

/** The REMINDER_SKIP code of a skip reason (any other text as it is). */
export function reminderSkipCode(reason: unknown): string | null {
  if (typeof reason !== 'string') return null;
  return (Object.keys(REMINDER_SKIP) as (keyof typeof REMINDER_SKIP)[]).find((code) => REMINDER_SKIP[code] === reason) ?? reason;
}

const isReminderKind = (kind: string): kind is HostReminderView['kind'] => (AFTER_MEETING_KINDS as readonly string[]).includes(kind);

/** The host's list of a booking's reminders and follow-up, soonest first; the ones a reschedule replaced are left out. */
export function hostReminderViews(steps: BookingStepRow[]): HostReminderView[] {
  return steps
    .filter((s) => isReminderKind(s.kind) && !(s.status === 'skipped' && s.payload.reason === REMINDER_SKIP.rescheduled))
    .map((s): HostReminderView => {
      const finished = s.status === 'done' || s.status === 'skipped' || s.status === 'failed';
      return {
        id: s.id,
        kind: s.kind as HostReminderView['kind'],
        minutesBefore: typeof s.payload.minutesBefore === 'number' ? s.payload.minutesBefore : null,
        status: s.status === 'done' ? 'sent' : s.status === 'skipped' ? 'skipped' : s.status === 'failed' ? 'failed' : 'scheduled',
        at: (finished ? (s.doneAt ?? s.updatedAt) : s.runAt).toISOString(),
        reason: s.status === 'skipped' ? reminderSkipCode(s.payload.reason) : s.status === 'failed' ? s.lastError : null,
        ...(s.payload.mail === 'thanks' || s.payload.mail === 'sorry' ? { mail: s.payload.mail } : {}),
      };
    })
    .sort((a, b) => (a.kind === 'followup.guest' ? 1 : 0) - (b.kind === 'followup.guest' ? 1 : 0) || (b.minutesBefore ?? 0) - (a.minutesBefore ?? 0) || a.id - b.id);
}
