import { addCalendarDays, calendarDaysBetween, dayOfWeek, type IsoDate, isIsoDate } from '@/lib/availability/time-zone';

/**
 * Month-grid arithmetic for the guest calendar on local dates written as strings ("YYYY-MM-DD",
 * "YYYY-MM"). Day arithmetic and date validation come from lib/availability/time-zone.ts (the one
 * owner of date and zone math); months are done in UTC on purpose (Date.UTC) and never depend on the
 * machine's zone.
 */

export type { IsoDate };
export type YearMonth = string;
export type CalendarCell = { date: IsoDate; inMonth: boolean };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export { isIsoDate };

export function isYearMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

export const addDays: (date: IsoDate, days: number) => IsoDate = addCalendarDays;

export function monthOf(date: IsoDate): YearMonth {
  return date.slice(0, 7);
}

export function addMonths(month: YearMonth, months: number): YearMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}`;
}

export function daysInMonth(month: YearMonth): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** First and last local date of a month (inclusive), as the slots endpoint expects them. */
export function monthBounds(month: YearMonth): { from: IsoDate; to: IsoDate } {
  return { from: `${month}-01`, to: `${month}-${pad(daysInMonth(month))}` };
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday: (date: IsoDate) => number = dayOfWeek;

/** Whole days from a to b (b − a). */
export const daysBetween: (a: IsoDate, b: IsoDate) => number = calendarDaysBetween;

/**
 * The weeks shown for a month: always six rows of seven days so the widget never changes height
 * between months (no layout jump on a phone). Leading/trailing cells belong to the neighbour months.
 */
export function buildMonthGrid(month: YearMonth, weekStartsOn: 0 | 1 = 0): CalendarCell[][] {
  const first = `${month}-01`;
  const lead = (weekday(first) - weekStartsOn + 7) % 7;
  const start = addDays(first, -lead);
  const weeks: CalendarCell[][] = [];
  for (let w = 0; w < 6; w++) {
    const week: CalendarCell[] = [];
    for (let d = 0; d < 7; d++) {
      const date = addDays(start, w * 7 + d);
      week.push({ date, inMonth: monthOf(date) === month });
    }
    weeks.push(week);
  }
  return weeks;
}

/** The seven weekdays (0 = Sunday) in display order. */
export function weekdayOrder(weekStartsOn: 0 | 1 = 0): number[] {
  return Array.from({ length: 7 }, (_, i) => (i + weekStartsOn) % 7);
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export const GRID_KEYS: ReadonlySet<string> = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Where keyboard focus moves in a date grid (WAI-ARIA date picker pattern): arrows by day/week,
 * Home/End to the week's ends, PageUp/PageDown by month keeping the day when it exists.
 */
export function moveDate(date: IsoDate, key: GridKey, weekStartsOn: 0 | 1 = 0): IsoDate {
  switch (key) {
    case 'ArrowLeft':
      return addDays(date, -1);
    case 'ArrowRight':
      return addDays(date, 1);
    case 'ArrowUp':
      return addDays(date, -7);
    case 'ArrowDown':
      return addDays(date, 7);
    case 'Home':
      return addDays(date, -((weekday(date) - weekStartsOn + 7) % 7));
    case 'End':
      return addDays(date, 6 - ((weekday(date) - weekStartsOn + 7) % 7));
    case 'PageUp':
    case 'PageDown': {
      const target = addMonths(monthOf(date), key === 'PageUp' ? -1 : 1);
      const day = Math.min(Number(date.slice(8, 10)), daysInMonth(target));
      return `${target}-${pad(day)}`;
    }
  }
}

export const clampDate = (date: IsoDate, min: IsoDate, max: IsoDate): IsoDate => (date < min ? min : date > max ? max : date);
