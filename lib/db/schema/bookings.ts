import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Location } from '@/lib/booking-pages/schema';
import { bookingPages } from './booking-pages';
import { users } from './hosts';

/** Attendance verdicts (lib/meetings/attendance.ts): `pending` until the meeting is over, `unknown` when Zoom cannot tell. */
export const ATTENDANCE_STATUSES = ['pending', 'attended', 'guest_no_show', 'host_no_show', 'nobody', 'unknown'] as const;
/** What a host may set by hand (kept apart from the measured verdict). */
export const ATTENDANCE_VERDICTS = ['attended', 'guest_no_show', 'host_no_show', 'nobody'] as const;

export type AttendanceGuestFacts = {
  matchedBy: 'registrant' | 'email' | 'name' | null;
  firstJoinAt: string | null;
  totalSeconds: number;
  joins: number;
};

/**
 * A booking. `blockedStartAt`/`blockedEndAt` are start/end widened by the page's buffers; the
 * exclusion constraint `bookings_no_overlap` (drizzle/0001_*.sql, hand-written because Drizzle has no
 * syntax for it) refuses two confirmed rows of one host whose blocked ranges overlap (invariant 1).
 */
export const bookings = pgTable(
  'bookings',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    /** Public identifier used in URLs and in the Zoom agenda for reconciliation. */
    uid: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    pageId: text().references(() => bookingPages.id, { onDelete: 'set null' }),
    /**
     * A collective team booking holds every member's time with one row per member (the exclusion
     * constraint is per host): the guest's booking is the lead row (null here), each other member's
     * row points at it and follows it (moved and cancelled with it; no meeting, guest mail or manage link of its own).
     */
    teamLeadId: text().references((): AnyPgColumn => bookings.id, { onDelete: 'cascade' }),
    /** Snapshot of the page at booking time, so editing/deleting the page never rewrites history. */
    title: text().notNull(),
    location: jsonb().$type<Location>().notNull(),
    startAt: timestamp({ withTimezone: true }).notNull(),
    endAt: timestamp({ withTimezone: true }).notNull(),
    blockedStartAt: timestamp({ withTimezone: true }).notNull(),
    blockedEndAt: timestamp({ withTimezone: true }).notNull(),
    status: text({ enum: ['confirmed', 'cancelled'] })
      .notNull()
      .default('confirmed'),
    guestName: text().notNull(),
    guestEmail: text().notNull(),
    guestTimeZone: text().notNull(),
    guestLocale: text({ enum: ['ja', 'en'] })
      .notNull()
      .default('en'),
    /** The clock the guest chose on the page (12 h: true); null: their language's habit. Their mails follow it. */
    guestHour12: boolean(),
    answers: jsonb().$type<Record<string, string>>().notNull().default({}),
    manageTokenHash: text().notNull(),
    idempotencyKey: text(),
    /** SHA-256 of the request the key came with: the same key with another body is refused, never answered with this booking. */
    idempotencyFingerprint: text(),
    /** Zoom meeting state: none (location is not Zoom), pending, created, failed (see steps for why). */
    meetingStatus: text({ enum: ['none', 'pending', 'created', 'failed'] })
      .notNull()
      .default('none'),
    zoomMeetingId: text(),
    /**
     * Which credential made the meeting, so reschedule/cancel use the same one after the host switches:
     * `own` (the host's OAuth link) or `organisation:<id>` (that organisation's S2S app); null before a meeting exists.
     */
    zoomCredential: text(),
    /** The Zoom user the meeting was created under (the organisation's account: the member's or the default user). */
    zoomHostUserId: text(),
    zoomJoinUrl: text(),
    zoomPassword: text(),
    calendarEventId: text(),
    /** Personal join link of the guest when the page registers guests with Zoom (registrant). */
    zoomRegistrantId: text(),
    guestJoinUrl: text(),
    /** The meeting as it happened (webhooks or REST; lib/meetings). */
    meetingUuid: text(),
    meetingStartedAt: timestamp({ withTimezone: true }),
    meetingEndedAt: timestamp({ withTimezone: true }),
    /** Changed in Zoom directly (not by Aki): the host is told and may recreate the meeting. */
    meetingChangedInZoom: text({ enum: ['deleted', 'rescheduled'] }),
    meetingChangedInZoomAt: timestamp({ withTimezone: true }),
    /** Last time the REST safety net read the past meeting. */
    meetingSyncedAt: timestamp({ withTimezone: true }),
    recordingShareUrl: text(),
    recordingPasscode: text(),
    /** Derived from meeting_participants (recomputable); `attendanceOverride` is the host's own verdict, kept apart. */
    attendanceStatus: text({ enum: ATTENDANCE_STATUSES }).notNull().default('pending'),
    attendanceReason: text(),
    attendanceGuest: jsonb().$type<AttendanceGuestFacts>(),
    attendanceComputedAt: timestamp({ withTimezone: true }),
    attendanceOverride: text({ enum: ATTENDANCE_VERDICTS }),
    attendanceOverrideAt: timestamp({ withTimezone: true }),
    attendanceOverrideNote: text(),
    /** RFC 5545 SEQUENCE, bumped on every reschedule/cancel so calendar apps update the same event. */
    sequence: integer().notNull().default(0),
    cancelReason: text(),
    cancelledBy: text({ enum: ['guest', 'host'] }),
    cancelledAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('bookings_uid_unique').on(t.uid),
    uniqueIndex('bookings_idempotency_unique')
      .on(t.pageId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('bookings_user_blocked_idx').on(t.userId, t.blockedStartAt),
    index('bookings_team_lead_idx')
      .on(t.teamLeadId)
      .where(sql`${t.teamLeadId} is not null`),
    index('bookings_page_start_idx').on(t.pageId, t.startAt),
    index('bookings_zoom_meeting_idx')
      .on(t.zoomMeetingId)
      .where(sql`${t.zoomMeetingId} is not null`),
  ],
);

/**
 * Follow-up work of a booking (the transactional outbox): Zoom meeting, calendar event, mails.
 * Inserted in the booking's transaction; claimed by the worker with FOR UPDATE SKIP LOCKED.
 */
export const bookingSteps = pgTable(
  'booking_steps',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    bookingId: text()
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    kind: text().notNull(),
    status: text({ enum: ['pending', 'running', 'done', 'failed', 'skipped'] })
      .notNull()
      .default('pending'),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(8),
    runAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('booking_steps_due_idx')
      .on(t.runAt)
      .where(sql`${t.status} in ('pending', 'running')`),
    index('booking_steps_booking_idx').on(t.bookingId),
  ],
);

/**
 * One notice to a host per problem (e.g. `zoom.unavailable`) while it lasts: opened by the first
 * booking that hits it, joined by later ones (`bookingIds`), mailed once (through the booking step
 * `mailStepId`, which lists the bookings still affected when it runs), closed when the problem is
 * gone (a Zoom call of that host succeeds) so that a later outage mails again.
 */
export const hostNotices = pgTable(
  'host_notices',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    problem: text().notNull(),
    bookingIds: jsonb().$type<string[]>().notNull().default([]),
    mailStepId: bigint({ mode: 'number' }),
    mailedAt: timestamp({ withTimezone: true }),
    openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('host_notices_open_unique')
      .on(t.userId, t.problem)
      .where(sql`${t.closedAt} is null`),
  ],
);
