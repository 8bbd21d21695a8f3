import type { BusyLookup, HostCalendar } from './types';

/**
 * Entry points used by bookings and availability. Until Google Calendar is linked for a host these
 * answer "no calendar" / "no busy times"; lib/calendar/google.ts plugs in here.
 */
export async function getHostCalendar(_userId: string): Promise<HostCalendar | null> {
  return null;
}

export async function getCalendarBusy(_userId: string, _from: Date, _to: Date): Promise<BusyLookup> {
  return { busy: [], degraded: false };
}

/** Called after Aki itself writes to the host's calendar, so cached busy times are not stale. */
export function invalidateCalendarBusy(_userId: string): void {}
