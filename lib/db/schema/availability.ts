import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { DateOverride, WeeklyHours } from '@/lib/availability/engine';
import { users } from './hosts';

/**
 * A host's named weekly schedule ("Working hours", "Evenings") with its date overrides, shared by the
 * pages that pick it (booking_pages.schedule_id); editing it changes every such page. A page with no
 * schedule keeps its own hours (booking_pages.weekly_hours/date_overrides/time_zone).
 */
export const availabilitySchedules = pgTable(
  'availability_schedules',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    timeZone: text().notNull(),
    weeklyHours: jsonb().$type<WeeklyHours>().notNull(),
    dateOverrides: jsonb().$type<DateOverride[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('availability_schedules_user_idx').on(t.userId)],
);
