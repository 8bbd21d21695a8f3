import type { DateOverride, WeeklyHours } from './schema';

/** The hours part of a page or schedule: what the slot engine needs to know about when the host is free. */
export type AvailabilityRules = { timeZone: string; weeklyHours: WeeklyHours; dateOverrides: DateOverride[] };

/**
 * The one place that decides which hours a page offers: its shared schedule's (zone, weekly hours,
 * overrides) when it has one, else its own columns. Every reader of a page's hours — the public page
 * and its slots, the booking transaction's re-check, the editor preview — goes through this, with the
 * schedule read in the same query as the page (`scheduleRules` in queries.ts).
 */
export function withEffectiveRules<P extends AvailabilityRules>(page: P, schedule: AvailabilityRules | null): P {
  if (!schedule) return page;
  return { ...page, timeZone: schedule.timeZone, weeklyHours: schedule.weeklyHours, dateOverrides: schedule.dateOverrides };
}
