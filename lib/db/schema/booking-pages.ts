import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { BookingQuestion, DateOverride, FollowUp, Location, Reminder, WeeklyHours } from '@/lib/booking-pages/schema';
import { availabilitySchedules } from './availability';
import { users } from './hosts';
import { type MeetingDefaults, organisations } from './organisations';

/** A team page's kind: round_robin books one free member, collective books every member at once. */
export const TEAM_KINDS = ['round_robin', 'collective'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

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
    /**
     * A team page (/team/{org slug}/{slug}) of this organisation, booked with its members
     * (team_page_members); null: a personal page of `userId`. On a team page `userId` is the admin who
     * made it — it owns no slots.
     */
    organisationId: text().references(() => organisations.id, { onDelete: 'cascade' }),
    teamKind: text({ enum: TEAM_KINDS }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A personal page's address is /{handle}/{slug}; a team page's is its organisation's (below).
    uniqueIndex('booking_pages_user_slug_unique')
      .on(t.userId, t.slug)
      .where(sql`${t.organisationId} is null`),
    index('booking_pages_user_idx').on(t.userId),
    uniqueIndex('booking_pages_team_slug_unique')
      .on(t.organisationId, t.slug)
      .where(sql`${t.organisationId} is not null`),
  ],
);

/** The hosts a team page books. Weight: a member with weight 2 is given about twice the bookings of one with 1 (round-robin). */
export const teamPageMembers = pgTable(
  'team_page_members',
  {
    pageId: text()
      .notNull()
      .references(() => bookingPages.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    weight: integer().notNull().default(1),
    /** Their own schedule for this page (one of their availability_schedules); null: the page's hours. */
    scheduleId: text().references(() => availabilitySchedules.id, { onDelete: 'set null' }),
    /** Display order; the first member of a collective page hosts the Zoom meeting. */
    position: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.pageId, t.userId] }), index('team_page_members_user_idx').on(t.userId)],
);
