/**
 * Pure calendar arithmetic on local dates written as strings ("YYYY-MM-DD", "YYYY-MM").
 * No instants and no time zones are involved: a local date is a label on a wall calendar, so the
 * math is done in UTC on purpose (Date.UTC) and never depends on the machine's zone.
 */

export type IsoDate = string;
export type YearMonth = string;
export type CalendarCell = { date: IsoDate; inMonth: boolean };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isYearMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

function toParts(date: IsoDate): [number, number, number] {
  return date.split('-').map(Number) as [number, number, number];
}

function fromUtc(ms: number): IsoDate {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = toParts(date);
  return fromUtc(Date.UTC(y, m - 1, d + days));
}

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
export function weekday(date: IsoDate): number {
  const [y, m, d] = toParts(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  const [ay, am, ad] = toParts(a);
  const [by, bm, bd] = toParts(b);
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / 86_400_000);
}

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
