import {
  DAY_MS,
  formatDayNumber,
  type IsoDate,
  localDayNumber,
  localDayStartMs,
  MINUTE_MS,
  offsetMsAt,
  parseIsoDate,
  parseWallTime,
  wallMsToUtcMs,
  weekdayOfDayNumber,
} from './time-zone';

/**
 * The slot engine (docs/api.md, slot semantics). Pure: no I/O, no clock — `now` is an argument — and every
 * wall-clock ↔ instant conversion goes through ./time-zone.
 *
 * Pipeline, all in epoch milliseconds:
 * 1. windows: for each page-local date, that date's override (or its weekday's hours) converted to
 *    instants in the page zone; sorted; touching/overlapping windows merged (also across midnight);
 * 2. candidates: from each merged window's start, every `slotIntervalMinutes` (default: duration) in
 *    absolute time, while the slot ends within the window;
 * 3. filters: minimum notice, booking window, busy intervals widened by this page's buffers, daily cap;
 * 4. grouping by the viewer's local date, every requested date present.
 */

/** A wall-clock window of one day ("09:00"–"12:00"); the page schema (lib/booking-pages/schema.ts) validates these. */
export type TimeInterval = { start: string; end: string };
export type WeeklyHours = Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', TimeInterval[]>;
/** A date whose hours replace its weekday's (no intervals: closed that day). */
export type DateOverride = { date: string; intervals: TimeInterval[] };

/** The rule fields of a booking page. Both a `booking_pages` row and a `BookingPageInput` satisfy it. */
export type PageRules = {
  timeZone: string;
  weeklyHours: WeeklyHours;
  dateOverrides: readonly DateOverride[];
  durationMinutes: number;
  slotIntervalMinutes: number | null;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  bookingWindowDays: number;
  maxBookingsPerDay: number | null;
};

/** A time the host is not available: `[start, end)`. Touching a slot's buffered range is fine. */
export type Busy = { start: Date; end: Date };

export type SlotQuery = {
  rules: PageRules;
  /**
   * Everything that blocks the host: their confirmed bookings on ANY page, already widened by each
   * booking's own page buffers (`blockedStartAt`/`blockedEndAt`), plus calendar busy events.
   */
  busy: readonly Busy[];
  /** Starts of THIS page's confirmed bookings (for `maxBookingsPerDay`); ignored when there is no cap. */
  pageBookingStarts: readonly Date[];
  now: Date;
  /** First and last viewer-local date to answer for, both included. */
  from: IsoDate;
  to: IsoDate;
  /** The viewer's zone: slots are grouped by local date in this zone. */
  timeZone: string;
};

export type SlotDay = { date: IsoDate; slots: string[] };
/** docs/api.md response body. `slots` are UTC ISO strings ending in `Z`. */
export type SlotsResult = { timeZone: string; durationMinutes: number; days: SlotDay[] };

/** Guard against a caller asking the engine for years of slots in one call (the endpoint allows 62 days). */
export const MAX_ENGINE_DAYS = 400;

type Window = { start: number; end: number };

/** The page's hours for one page-local date, as instants, sorted by start; empty windows (e.g. inside a DST gap) dropped. */
function windowsOfDay(rules: PageRules, overrides: Map<number, readonly TimeInterval[]>, day: number): Window[] {
  const intervals = overrides.get(day) ?? rules.weeklyHours[weekdayOfDayNumber(day)];
  const out: Window[] = [];
  const base = day * DAY_MS;
  for (const interval of intervals) {
    const start = wallMsToUtcMs(rules.timeZone, base + parseWallTime(interval.start) * MINUTE_MS);
    const end = wallMsToUtcMs(rules.timeZone, base + parseWallTime(interval.end) * MINUTE_MS);
    if (end > start) out.push({ start, end });
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

function latestEnd(windows: readonly Window[]): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const w of windows) if (w.end > end) end = w.end;
  return end;
}

function overrideMap(rules: PageRules): Map<number, readonly TimeInterval[]> {
  const map = new Map<number, readonly TimeInterval[]>();
  for (const o of rules.dateOverrides) {
    const day = parseIsoDate(o.date);
    if (day !== null) map.set(day, o.intervals);
  }
  return map;
}

/** Sorts in place unless already ascending (busy times read from the database usually are). */
function sortAscending(values: Float64Array): Float64Array {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return values.sort();
  return values;
}

/**
 * Sorted, disjoint busy ranges: sorting once makes every later check a forward sweep. The union is
 * swept from the starts and the ends sorted apart (native numeric sorts of typed arrays, no objects):
 * a range opens when the depth leaves 0 and closes when it returns to 0; at equal instants starts come
 * first, so touching ranges merge.
 */
function normaliseBusy(busy: readonly Busy[]): { starts: Float64Array; ends: Float64Array } {
  const allStarts = new Float64Array(busy.length);
  const allEnds = new Float64Array(busy.length);
  let n = 0;
  for (const b of busy) {
    const start = b.start.getTime();
    const end = b.end.getTime();
    if (end > start) {
      allStarts[n] = start;
      allEnds[n] = end;
      n++;
    }
  }
  const sortedStarts = sortAscending(allStarts.subarray(0, n));
  const sortedEnds = sortAscending(allEnds.subarray(0, n));
  const starts: number[] = [];
  const ends: number[] = [];
  // The i-th smallest end is after the i-th smallest start, so the depth never goes below 0.
  let i = 0;
  let j = 0;
  while (i < n) {
    if (sortedStarts[i]! <= sortedEnds[j]!) {
      if (i === j) starts.push(sortedStarts[i]!);
      i++;
    } else {
      j++;
      if (i === j) ends.push(sortedEnds[j - 1]!);
    }
  }
  if (n > 0) ends.push(sortedEnds[n - 1]!);
  return { starts: Float64Array.from(starts), ends: Float64Array.from(ends) };
}

function validate(query: SlotQuery): { fromDay: number; toDay: number } {
  const fromDay = parseIsoDate(query.from);
  const toDay = parseIsoDate(query.to);
  if (fromDay === null || toDay === null) throw new RangeError(`Invalid date range ${query.from}..${query.to}`);
  if (toDay < fromDay) throw new RangeError('`from` is after `to`');
  if (toDay - fromDay + 1 > MAX_ENGINE_DAYS) throw new RangeError(`At most ${MAX_ENGINE_DAYS} days per call`);
  const { durationMinutes, slotIntervalMinutes } = query.rules;
  if (!(durationMinutes > 0)) throw new RangeError('durationMinutes must be positive');
  if (slotIntervalMinutes !== null && !(slotIntervalMinutes > 0)) throw new RangeError('slotIntervalMinutes must be positive');
  if (Number.isNaN(query.now.getTime())) throw new RangeError('Invalid now');
  return { fromDay, toDay };
}

/**
 * Bookable slot starts (epoch ms, ascending) in `[rangeStart, rangeEnd)`. The core shared by
 * `computeSlots` (a range of viewer dates) and `isSlotOpen` (one exact start).
 */
function slotStartsBetween(
  rules: PageRules,
  busy: readonly Busy[],
  pageBookingStarts: readonly Date[],
  now: number,
  rangeStart: number,
  rangeEnd: number,
): number[] {
  const zone = rules.timeZone;
  const duration = rules.durationMinutes * MINUTE_MS;
  const step = (rules.slotIntervalMinutes ?? rules.durationMinutes) * MINUTE_MS;
  const before = rules.bufferBeforeMinutes * MINUTE_MS;
  const after = rules.bufferAfterMinutes * MINUTE_MS;

  // Every slot starts at or after now (notice ≥ 0), so page dates before today never matter, and
  // dates after today + bookingWindowDays are out of the booking window.
  const today = localDayNumber(zone, now);
  const lastDay = today + rules.bookingWindowDays;
  const earliest = Math.max(rangeStart, now + rules.minimumNoticeMinutes * MINUTE_MS);
  // The first instant of the first date past the booking window.
  const cutoff = Math.min(rangeEnd, localDayStartMs(zone, lastDay + 1));
  if (earliest >= cutoff) return [];

  const firstDay = Math.max(today, localDayNumber(zone, earliest));
  const endDay = Math.min(lastDay, localDayNumber(zone, cutoff - 1));
  if (firstDay > endDay) return [];

  const overrides = overrideMap(rules);
  const raw: Window[] = [];
  for (let day = firstDay; day <= endDay; day++) {
    for (const w of windowsOfDay(rules, overrides, day)) raw.push(w);
  }
  // A window that runs up to midnight merges with the next day's window from 00:00, so the grid of
  // the later day depends on where that chain began. Walk back (never before today, which also
  // makes the grid the same whatever `from` a viewer asks for).
  for (let day = firstDay - 1; day >= today && raw.length > 0; day--) {
    const prev = windowsOfDay(rules, overrides, day);
    // Windows of one day may touch or overlap each other, so the day reaches as far as its latest end.
    if (prev.length === 0 || latestEnd(prev) < raw[0]!.start) break;
    raw.unshift(...prev);
  }
  // …and forward: a slot near the end of the range may run on into the next day's window — but no slot
  // starting before the cutoff ends after cutoff + duration, so the chain need not go further.
  let reach = latestEnd(raw);
  const lastSlotEnd = cutoff + duration;
  for (let day = endDay + 1; day <= lastDay && raw.length > 0 && reach < lastSlotEnd; day++) {
    const next = windowsOfDay(rules, overrides, day);
    if (next.length === 0 || next[0]!.start > reach) break;
    raw.push(...next);
    reach = Math.max(reach, latestEnd(next));
  }
  raw.sort((a, b) => a.start - b.start);
  const windows: Window[] = [];
  for (const w of raw) {
    const last = windows[windows.length - 1];
    if (last && w.start <= last.end) {
      if (w.end > last.end) last.end = w.end;
    } else {
      windows.push({ start: w.start, end: w.end });
    }
  }

  const { starts: busyStarts, ends: busyEnds } = normaliseBusy(busy);

  // Daily cap: confirmed bookings of this page per page-local date.
  const cap = rules.maxBookingsPerDay;
  let fullDays: Set<number> | null = null;
  if (cap !== null) {
    const counts = new Map<number, number>();
    for (const s of pageBookingStarts) {
      const day = localDayNumber(zone, s.getTime());
      counts.set(day, (counts.get(day) ?? 0) + 1);
    }
    fullDays = new Set();
    for (const [day, count] of counts) if (count >= cap) fullDays.add(day);
  }

  const out: number[] = [];
  let b = 0;
  for (const w of windows) {
    // First grid point of this window at or after `earliest`.
    let start = w.start;
    if (earliest > start) start += Math.ceil((earliest - start) / step) * step;
    for (; start + duration <= w.end && start < cutoff; start += step) {
      const blockedStart = start - before;
      const blockedEnd = start + duration + after;
      // Candidates only move forward, so busy ranges that end before this one's buffer never matter again.
      while (b < busyStarts.length && busyEnds[b]! <= blockedStart) b++;
      if (b < busyStarts.length && busyStarts[b]! < blockedEnd) continue;
      if (fullDays !== null && fullDays.size > 0 && fullDays.has(localDayNumber(zone, start))) continue;
      out.push(start);
    }
  }
  return out;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `HH:mm:ss.000Z` for ms after UTC midnight (slots are whole minutes; seconds kept for exactness). */
function isoTimeOfDay(msOfDay: number): string {
  const totalSeconds = Math.floor(msOfDay / 1000);
  const millis = msOfDay - totalSeconds * 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const sec = totalSeconds % 60;
  return `${pad2(h)}:${pad2(m)}:${pad2(sec)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** Slots for viewer-local dates `from` … `to`, grouped by the viewer's local date (docs/api.md). */
export function computeSlots(query: SlotQuery): SlotsResult {
  const { fromDay, toDay } = validate(query);
  const viewerZone = query.timeZone;
  // Day boundaries in the viewer's zone; boundaries[i] is where viewer date fromDay+i begins.
  const boundaries: number[] = [];
  for (let day = fromDay; day <= toDay + 1; day++) boundaries.push(localDayStartMs(viewerZone, day));
  const rangeStart = boundaries[0]!;
  const rangeEnd = boundaries[boundaries.length - 1]!;

  const starts = slotStartsBetween(query.rules, query.busy, query.pageBookingStarts, query.now.getTime(), rangeStart, rangeEnd);

  const days: SlotDay[] = [];
  for (let i = 0; i <= toDay - fromDay; i++) days.push({ date: formatDayNumber(fromDay + i), slots: [] });
  let d = 0;
  let prefixDay = Number.NaN;
  let prefix = '';
  for (const start of starts) {
    while (d < days.length - 1 && start >= boundaries[d + 1]!) d++;
    // Same text as Date#toISOString (…T09:30:00.000Z), built from a per-UTC-day prefix: formatting
    // is most of the engine's time on a month of slots.
    const utcDay = Math.floor(start / DAY_MS);
    if (utcDay !== prefixDay) {
      prefixDay = utcDay;
      prefix = `${formatDayNumber(utcDay)}T`;
    }
    days[d]!.slots.push(prefix + isoTimeOfDay(start - utcDay * DAY_MS));
  }
  return { timeZone: viewerZone, durationMinutes: query.rules.durationMinutes, days };
}

/**
 * Is `start` exactly one of the page's bookable slots? Used by the booking transaction's re-check:
 * same rules, same grid, same filters as the listing, evaluated for that one instant.
 */
export function isSlotOpen(input: { rules: PageRules; busy: readonly Busy[]; pageBookingStarts: readonly Date[]; now: Date; start: Date }): boolean {
  const target = input.start.getTime();
  if (Number.isNaN(target) || Number.isNaN(input.now.getTime())) return false;
  // The window containing the slot lies within its page-local day, or a chain of days touching it
  // (walked back inside slotStartsBetween), so computing [start, start + 1 ms) is enough.
  const starts = slotStartsBetween(input.rules, input.busy, input.pageBookingStarts, input.now.getTime(), target, target + 1);
  return starts.length === 1 && starts[0] === target;
}

/** The local date of an instant in the page's zone, as the engine sees it (for callers counting per-day bookings). */
export function pageLocalDate(rules: Pick<PageRules, 'timeZone'>, instant: Date): IsoDate {
  return formatDayNumber(localDayNumber(rules.timeZone, instant.getTime()));
}

/** Exposed for tests: the offset the engine uses. */
export const _offsetMsAt = offsetMsAt;
