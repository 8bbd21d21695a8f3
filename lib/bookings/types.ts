import type { Location } from '@/lib/booking-pages/schema';
import type { bookingSteps, bookings } from '@/lib/db/schema/bookings';

/** Types shared by the booking service, its views and the effects pipeline (no runtime code). */

export type BookingRow = typeof bookings.$inferSelect;
export type BookingStepRow = typeof bookingSteps.$inferSelect;

export const STEP_KINDS = [
  'zoom.create',
  'zoom.update',
  'zoom.delete',
  'calendar.create',
  'calendar.update',
  'calendar.delete',
  'mail.guest.confirmed',
  'mail.host.confirmed',
  'mail.guest.rescheduled',
  'mail.host.rescheduled',
  'mail.guest.cancelled',
  // A round-robin booking given to another member (lib/teams/reassign.ts): the guest hears whom they meet now.
  'mail.guest.reassigned',
  'mail.host.cancelled',
  'mail.guest.link_ready',
  'mail.host.link_ready',
  'mail.host.zoom_problem',
  'meeting.transcript',
  'mail.host.recording_ready',
  'mail.guest.recording_ready',
  'mail.host.meeting_changed',
  // After the meeting (lib/meetings): a stored Zoom webhook to apply; the REST read of the past meeting.
  'meeting.event',
  'meeting.sync',
  // Reminder mails before the meeting (payload {minutesBefore, startAt}) and the guest's follow-up after it
  // (lib/bookings/effects/reminder-steps.ts). Not `mail.*`: releaseFollowUps must never pull them forward.
  'reminder.guest',
  'reminder.host',
  'followup.guest',
  // Fan-out of one event to the host's webhook subscriptions (payload {type, messageId}; lib/webhooks).
  'webhook.emit',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];
export const isStepKind = (value: string): value is StepKind => (STEP_KINDS as readonly string[]).includes(value);

/** §3.2: what the public API and the confirm action return. `meeting` is null when the location is not Zoom. */
export type PublicMeeting = { provider: 'zoom'; status: 'created' | 'pending'; joinUrl: string | null };
export type PublicBooking = {
  uid: string;
  start: string;
  end: string;
  status: 'confirmed' | 'cancelled';
  meeting: PublicMeeting | null;
  manageUrl: string;
};

/** Where the meeting happens, as a guest may see it (never the host's start link). */
export type PublicLocation =
  | { type: 'zoom'; joinUrl: string | null; status: 'created' | 'pending' }
  | { type: 'phone'; phone: string | null }
  | { type: 'in_person'; address: string }
  | { type: 'link'; url: string };

/** The confirmation page (/{handle}/{slug}/booked/{uid}): public-safe fields only (no manage token, no start link, no answers). */
export type BookingConfirmationView = {
  uid: string;
  title: string;
  status: 'confirmed' | 'cancelled';
  start: string;
  end: string;
  durationMinutes: number;
  guestName: string;
  guestTimeZone: string;
  guestLocale: 'ja' | 'en';
  host: { name: string | null; handle: string | null; timeZone: string };
  /** Where the booking was made: /{handle}/{slug}, or /team/{team}/{slug} for a team page (`team`: the organisation's slug). */
  page: { handle: string; slug: string; team: string | null } | null;
  location: PublicLocation;
  meeting: PublicMeeting | null;
  /**
   * The guest's confirmation mail as it really is: sent, still to go (`workerRunning`: a worker is alive
   * to send it soon), failed for good, or none (no such mail, e.g. a cancelled booking's).
   */
  guestMail: { status: 'sent' | 'pending' | 'failed' | 'none'; workerRunning: boolean };
  /**
   * The Zoom meeting was changed in Zoom directly (deleted, or moved to another time) and the host has
   * not acted yet: the page says "the meeting link is being replaced" (a deleted meeting's link is not shown).
   */
  meetingChangedInZoom?: 'deleted' | 'rescheduled' | null;
};

/** The manage page (/booking/{uid}?token=…), after the token was checked. */
export type ManagedBookingView = BookingConfirmationView & {
  guestEmail: string;
  answers: Record<string, string>;
  cancelReason: string | null;
  cancelledBy: 'guest' | 'host' | null;
  cancelledAt: string | null;
  /** Cancelling/rescheduling is possible while the booking is confirmed and has not started. */
  canCancel: boolean;
  canReschedule: boolean;
};

export type StepStatus = BookingStepRow['status'];

/** One follow-up step as the host sees it. */
export type HostStepView = {
  id: number;
  kind: StepKind | string;
  status: StepStatus;
  attempts: number;
  lastError: string | null;
  runAt: string;
  doneAt: string | null;
};

/**
 * A reminder or the follow-up as the host sees it (booking page): whom it is for, when it goes (or went),
 * and why it was not sent (`reason`: a REMINDER_SKIP code of lib/bookings/reminders.ts, else the step's own words).
 */
export type HostReminderView = {
  id: number;
  kind: 'reminder.guest' | 'reminder.host' | 'followup.guest';
  /** Reminders: how long before the start. */
  minutesBefore: number | null;
  status: 'scheduled' | 'sent' | 'skipped' | 'failed';
  /** Scheduled: when it is due; sent/skipped/failed: when that happened. */
  at: string;
  reason: string | null;
  /** A sent follow-up: which mail it was. */
  mail?: 'thanks' | 'sorry';
};

export type HostBookingView = {
  uid: string;
  title: string;
  status: 'confirmed' | 'cancelled';
  start: string;
  end: string;
  guestName: string;
  guestEmail: string;
  guestTimeZone: string;
  guestLocale: 'ja' | 'en';
  answers: { id: string; label: string; value: string }[];
  location: Location;
  page: { id: string; slug: string } | null;
  /**
   * A booking of a team page (/team/{org}/{slug}): its kind, and whether this host holds it as the booked
   * host (round-robin assignee, or a collective booking's first member) or as another member of a collective one.
   */
  team: { org: string | null; kind: 'round_robin' | 'collective'; part: 'host' | 'member' } | null;
  cancelReason: string | null;
  cancelledBy: 'guest' | 'host' | null;
  createdAt: string;
  /** Meeting: none (not a Zoom page) | pending (being created / waiting for Zoom) | created | failed (gave up; retry possible). */
  meeting: {
    status: 'none' | 'pending' | 'created' | 'failed';
    joinUrl: string | null;
    /** Why it is pending/failed (last error of the Zoom step), e.g. "Zoom link revoked: invalid_grant". */
    reason: string | null;
    /** True when Zoom needs the host to reconnect (revoked / not connected / missing scope). */
    needsReconnect: boolean;
  };
  calendar: { status: 'written' | 'pending' | 'skipped' | 'failed' | 'none'; reason: string | null };
  mails: { guest: 'sent' | 'pending' | 'failed' | 'none'; host: 'sent' | 'pending' | 'failed' | 'none' };
  /**
   * Pages that register guests with Zoom: whether the guest got a personal join link, or why not
   * (e.g. "needs a paid Zoom plan": the guest then has the general link). Null: no registration asked.
   */
  guestRegistration?: { status: 'registered' | 'failed'; reason: string | null } | null;
  /**
   * A collective booking's meeting: the other members Zoom took as alternative hosts (they can start the
   * meeting), those it refused with Zoom's message, and members Aki knows no Zoom user of. Null otherwise.
   */
  alternativeHosts?: { added: string[]; refused: { email: string; reason: string }[]; withoutZoom: string[] } | null;
  /**
   * A cancelled booking: what the cancellation did (the creation badges would be stale). `none`: nothing
   * to undo (no meeting, no calendar event, no such mail).
   */
  cancellation: {
    meeting: 'deleted' | 'pending' | 'failed' | 'none';
    calendar: 'removed' | 'pending' | 'failed' | 'none';
    guestMail: 'sent' | 'pending' | 'failed' | 'none';
  } | null;
  /** Any step failed or is waiting with an error: show the retry button. */
  canRetry: boolean;
  /** The booking has a Zoom meeting and has not ended: show "Start meeting". */
  canStart: boolean;
  steps: HostStepView[];
  /** The booking's reminders and follow-up (the current plan; those dropped by a reschedule are left out). */
  reminders: HostReminderView[];
};
