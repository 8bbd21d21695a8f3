import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { BookingQuestion, DateOverride, FollowUp, Location, Reminder, WeeklyHours } from '@/lib/booking-pages/schema';
import { availabilitySchedules } from './availability';
import { users } from './hosts';
import type { MeetingDefaults } from './organisations';

export const bookingPages = pgTable(
  'booking_pages',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    slug: text().notNull(),
    title: text().notNull(),
    description: text().notNull().default(''),
    durationMinutes: integer().notNull(),
    location: jsonb().$type<Location>().notNull(),
    timeZone: text().notNull(),
    weeklyHours: jsonb().$type<WeeklyHours>().notNull(),
    dateOverrides: jsonb().$type<DateOverride[]>().notNull().default([]),
    bufferBeforeMinutes: integer().notNull().default(0),
    bufferAfterMinutes: integer().notNull().default(0),
    minimumNoticeMinutes: integer().notNull().default(0),
    bookingWindowDays: integer().notNull().default(60),
    slotIntervalMinutes: integer(),
    maxBookingsPerDay: integer(),
    questions: jsonb().$type<BookingQuestion[]>().notNull().default([]),
    published: boolean().notNull().default(true),
    /** Zoom meeting settings overriding the organisation's defaults for this page (null: the defaults). */
    meetingSettings: jsonb().$type<MeetingDefaults>(),
    /** Zoom pages: add the guest as a meeting registrant (personal join link, exact attendance matching). */
    registerGuests: boolean().notNull().default(false),
    /** Mail the guest the recording link when Zoom's recording is ready. */
    shareRecordingWithGuest: boolean().notNull().default(false),
    /** A shared schedule (availability_schedules) whose hours, overrides and zone replace the page's own; null: the page's own. */
    scheduleId: text().references(() => availabilitySchedules.id, { onDelete: 'set null' }),
    /** Reminder mails before the meeting (to the guest or the host, minutes before the start). */
    reminders: jsonb()
      .$type<Reminder[]>()
      .notNull()
      .default([
        { to: 'guest', minutesBefore: 1440 },
        { to: 'guest', minutesBefore: 60 },
      ]),
    /** The guest's mail after the meeting (null: none). */
    followUp: jsonb().$type<FollowUp>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('booking_pages_user_slug_unique').on(t.userId, t.slug), index('booking_pages_user_idx').on(t.userId)],
);
