import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { bookings } from './bookings';

/**
 * What Zoom told us about a booking's meeting after the fact (invariant 9: facts, merged without
 * duplicates; verdicts are derived from them in lib/meetings/attendance.ts and can be recomputed).
 */

/**
 * One join segment of one person (someone who dropped and rejoined has two rows). A segment is
 * identified by who (`personKey`) and when they joined: the webhook and the REST list report the same
 * join time, so either source completes the other. `joinAt` is null while only the leave is known
 * (a `participant_left` that arrived before its `participant_joined`).
 */
export const meetingParticipants = pgTable(
  'meeting_participants',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    bookingId: text()
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    /** Who, across sources: `email:<lowercased>`, else `registrant:<id>`, else `user:<zoom user id>`, else `name:<normalised>`. */
    personKey: text().notNull(),
    name: text().notNull().default(''),
    email: text(),
    /** Zoom user id of a signed-in participant (the host's equals the meeting's host_id). */
    zoomUserId: text(),
    registrantId: text(),
    joinAt: timestamp({ withTimezone: true }),
    leaveAt: timestamp({ withTimezone: true }),
    /** Derived with the attendance verdict (host | guest | other); recomputed with it. */
    role: text({ enum: ['host', 'guest', 'other'] })
      .notNull()
      .default('other'),
    /** First source that reported the segment. */
    source: text({ enum: ['webhook', 'rest'] }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('meeting_participants_segment_unique')
      .on(t.bookingId, t.personKey, t.joinAt)
      .where(sql`${t.joinAt} is not null`),
    index('meeting_participants_booking_idx').on(t.bookingId),
  ],
);

/** One file of a cloud recording (MP4, M4A, TRANSCRIPT…). The download URL is kept for fetching, never shown. */
export const meetingRecordings = pgTable(
  'meeting_recordings',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    bookingId: text()
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    zoomFileId: text().notNull(),
    fileType: text().notNull(),
    fileExtension: text(),
    recordingType: text(),
    startedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    sizeBytes: bigint({ mode: 'number' }),
    playUrl: text(),
    downloadUrl: text(),
    status: text(),
    /** TRANSCRIPT files only: none (not a transcript) | pending | fetched | failed | too_large. */
    transcriptStatus: text({ enum: ['none', 'pending', 'fetched', 'failed', 'too_large'] })
      .notNull()
      .default('none'),
    transcriptText: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('meeting_recordings_file_unique').on(t.bookingId, t.zoomFileId), index('meeting_recordings_booking_idx').on(t.bookingId)],
);

