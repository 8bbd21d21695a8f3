import { tzOffset } from '@date-fns/tz';

/**
 * Time-zone primitives: the only place in Aki that turns wall-clock times into instants and back.
 *
 * Everything here is pure and independent of the process time zone (TZ): instants are epoch
 * milliseconds or `Date`s, calendar dates are `YYYY-MM-DD` strings (or whole "day numbers" since
 * 1970-01-01 inside the engine), wall-clock times are `HH:mm`.
 *
 * The zone data comes from `tzOffset` of @date-fns/tz (the runtime's ICU tz database through
 * `Intl.DateTimeFormat`). That call costs ~4 µs, and the slot engine needs a few hundred offsets per
 * request, so offsets are memoised per zone and per UTC day (see `dayOffsets`). Memoising a
 * deterministic function keeps the module pure in every way that matters.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

// ---------------------------------------------------------------------------------------------
// Calendar dates (no zone involved)
// ---------------------------------------------------------------------------------------------

/** `YYYY-MM-DD` → days since 1970-01-01, or null for a malformed or non-existent date (2026-02-30). */
export function parseIsoDate(date: string): number | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

/** Day number → `YYYY-MM-DD`. */
export function formatDayNumber(dayNumber: number): IsoDate {
  const d = new Date(dayNumber * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${y}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`;
}

function dayNumberOrThrow(date: string): number {
  const n = parseIsoDate(date);
  if (n === null) throw new RangeError(`Invalid date: ${date}`);
  return n;
}

export const isIsoDate = (date: string) => parseIsoDate(date) !== null;

/** Calendar arithmetic on `YYYY-MM-DD` (no zone: a date plus one day is always the next date). */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return formatDayNumber(dayNumberOrThrow(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumberOrThrow(to) - dayNumberOrThrow(from);
}

/** Every date from `from` to `to`, both included. */
export function eachCalendarDate(from: IsoDate, to: IsoDate): IsoDate[] {
  const a = dayNumberOrThrow(from);
  const b = dayNumberOrThrow(to);
  const out: IsoDate[] = [];
  for (let d = a; d <= b; d++) out.push(formatDayNumber(d));
  return out;
}

export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/** Day of week of a day number (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(dayNumber: number): WeekdayKey {
  return WEEKDAY_KEYS[(((dayNumber + 4) % 7) + 7) % 7]!;
}

/** Day of week of a calendar date as a number: 0 = Sunday … 6 = Saturday (the guest calendar's columns). */
export function dayOfWeek(date: IsoDate): number {
  return (((dayNumberOrThrow(date) + 4) % 7) + 7) % 7;
}

/** Day of week of a calendar date: `'mon'` … `'sun'` (the keys of WeeklyHours). */
export function weekdayOf(date: IsoDate): WeekdayKey {
  return weekdayOfDayNumber(dayNumberOrThrow(date));
}

/** `HH:mm` (or `24:00`) → minutes after midnight. */
export function parseWallTime(time: string): number {
  const match = HH_MM.exec(time);
  if (!match) throw new RangeError(`Invalid wall-clock time: ${time}`);
  if (time === '24:00') return 1440;
  return Number(match[1]) * 60 + Number(match[2]);
}

// ---------------------------------------------------------------------------------------------
// Zone offsets
// ---------------------------------------------------------------------------------------------

/** UTC offset of `zone` at an instant, in ms, straight from the tz database (uncached). */
function rawOffsetMs(zone: string, ms: number): number {
  const minutes = tzOffset(zone, new Date(ms));
  if (Number.isNaN(minutes)) throw new RangeError(`Invalid time zone: ${zone}`);
  return Math.round(minutes * MINUTE_MS);
}

/**
 * The offsets of one UTC day: the offset at its start, and — when the zone changes offset during
 * that day — the instant of the change and the offset after it. Assumes at most one transition per
 * UTC day, which holds for every zone since long before any date a booking page can show.
 */
type DayOffsets = { start: number; changeAt: number; after: number };

/** Per zone: UTC day number → offsets of that day. Bounded so a long-running server can't grow it forever. */
const dayCache = new Map<string, Map<number, DayOffsets>>();
const boundaryCache = new Map<string, Map<number, number>>();
const MAX_DAYS_PER_ZONE = 4000;
const MAX_ZONES = 600;

function zoneMap<T>(cache: Map<string, Map<number, T>>, zone: string): Map<number, T> {
  let map = cache.get(zone);
  if (!map) {
    if (cache.size >= MAX_ZONES) cache.clear();
    map = new Map();
    cache.set(zone, map);
  } else if (map.size >= MAX_DAYS_PER_ZONE) {
    map.clear();
  }
  return map;
}

function boundaryOffset(zone: string, dayNumber: number): number {
  const map = zoneMap(boundaryCache, zone);
  let offset = map.get(dayNumber);
  if (offset === undefined) {
    offset = rawOffsetMs(zone, dayNumber * DAY_MS);
    map.set(dayNumber, offset);
  }
  return offset;
}

function dayOffsets(zone: string, dayNumber: number): DayOffsets {
  const map = zoneMap(dayCache, zone);
  let entry = map.get(dayNumber);
  if (entry) return entry;
  const start = boundaryOffset(zone, dayNumber);
  const end = boundaryOffset(zone, dayNumber + 1);
  if (start === end) {
    entry = { start, changeAt: Number.POSITIVE_INFINITY, after: start };
  } else {
    // Bisect to the minute: transitions happen on whole minutes in every modern rule.
    let lo = dayNumber * DAY_MS; // offset === start here
    let hi = lo + DAY_MS; // offset === end here
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
      if (rawOffsetMs(zone, mid) === start) lo = mid;
      else hi = mid;
    }
    entry = { start, changeAt: hi, after: end };
  }
  map.set(dayNumber, entry);
  return entry;
}

/** Forgets every memoised offset (the benchmark measures the cold path with it). */
export function resetOffsetCache(): void {
  dayCache.clear();
  boundaryCache.clear();
}

/** UTC offset of `zone` at the instant `ms`, in ms (e.g. +20_700_000 for Asia/Kathmandu). Throws RangeError for an unknown zone. */
export function offsetMsAt(zone: string, ms: number): number {
  const d = dayOffsets(zone, Math.floor(ms / DAY_MS));
  return ms < d.changeAt ? d.start : d.after;
}

/** UTC offset in minutes of `zone` at `instant` (+345 for Asia/Kathmandu, −240 for New York in summer). */
export function offsetMinutesAt(zone: string, instant: Date): number {
  return offsetMsAt(zone, instant.getTime()) / MINUTE_MS;
}

/**
 * Wall-clock time → instant, with the same rule as Temporal's `disambiguation: 'compatible'`:
 * - a wall time that does not exist (spring-forward gap) moves forward by the gap
 *   (02:30 on a New York spring-forward day is 03:30 EDT);
 * - a wall time that happens twice (fall-back) is its earlier occurrence, so a window from 00:00
 *   to 03:00 on a fall-back day really is four hours long.
 *
 * `wallMs` is the wall-clock time written as if it were UTC (day number × DAY + minutes).
 */
export function wallMsToUtcMs(zone: string, wallMs: number): number {
  const before = offsetMsAt(zone, wallMs - DAY_MS);
  const after = offsetMsAt(zone, wallMs + DAY_MS);
  const withBefore = wallMs - before;
  if (before === after) {
    // Fast path: no transition anywhere near; confirm in case one happened and reverted within 2 days.
    if (offsetMsAt(zone, withBefore) === before) return withBefore;
  }
  const withAfter = wallMs - after;
  const beforeValid = offsetMsAt(zone, withBefore) === before;
  const afterValid = offsetMsAt(zone, withAfter) === after;
  if (beforeValid && afterValid) return Math.min(withBefore, withAfter); // repeated: earlier occurrence
  if (beforeValid) return withBefore;
  if (afterValid) return withAfter;
  // Gap: read the wall time with the offset in force before the jump, which lands after the gap.
  return withBefore;
}

/** The local calendar day (day number) of an instant in `zone`. */
export function localDayNumber(zone: string, ms: number): number {
  return Math.floor((ms + offsetMsAt(zone, ms)) / DAY_MS);
}

/** The instant at which local day `dayNumber` begins in `zone` (its 00:00, or the first moment after a midnight gap). */
export function localDayStartMs(zone: string, dayNumber: number): number {
  return wallMsToUtcMs(zone, dayNumber * DAY_MS);
}

// ---------------------------------------------------------------------------------------------
// Public helpers for the rest of Aki (routes, bookings, mails): they must not do zone math themselves.
// ---------------------------------------------------------------------------------------------

/**
 * `zonedWallTimeToUtc('2026-03-08', '02:30', 'America/New_York')` → 2026-03-08T07:30:00Z (03:30 EDT:
 * the gap moves it forward). `'24:00'` is midnight at the end of the date.
 */
export function zonedWallTimeToUtc(date: IsoDate, time: string, zone: string): Date {
  return new Date(wallMsToUtcMs(zone, dayNumberOrThrow(date) * DAY_MS + parseWallTime(time) * MINUTE_MS));
}

/** The half-open UTC range `[start, end)` of a local calendar date in `zone` (23, 24 or 25 hours long; 23.5 on Lord Howe Island). */
export function localDayRangeUtc(date: IsoDate, zone: string): { start: Date; end: Date } {
  const day = dayNumberOrThrow(date);
  return { start: new Date(localDayStartMs(zone, day)), end: new Date(localDayStartMs(zone, day + 1)) };
}

/** The UTC range covering local dates `from` … `to` (both included) in `zone`. */
export function localDateRangeUtc(from: IsoDate, to: IsoDate, zone: string): { start: Date; end: Date } {
  return {
    start: new Date(localDayStartMs(zone, dayNumberOrThrow(from))),
    end: new Date(localDayStartMs(zone, dayNumberOrThrow(to) + 1)),
  };
}

/** The local calendar date of an instant in `zone`. */
export function localDateOf(instant: Date, zone: string): IsoDate {
  return formatDayNumber(localDayNumber(zone, instant.getTime()));
}

/** Today in `zone` (as of `now`). */
export function todayIn(zone: string, now: Date): IsoDate {
  return localDateOf(now, zone);
}

/** Local wall-clock parts of an instant in `zone`: `{ date: 'YYYY-MM-DD', time: 'HH:mm', weekday: 'mon' }`. */
export function localDateTimeOf(instant: Date, zone: string): { date: IsoDate; time: string; weekday: WeekdayKey } {
  const ms = instant.getTime();
  const wall = ms + offsetMsAt(zone, ms);
  const day = Math.floor(wall / DAY_MS);
  const minutes = Math.floor((wall - day * DAY_MS) / MINUTE_MS);
  const hh = Math.floor(minutes / 60);
  const mm = minutes % 60;
  return { date: formatDayNumber(day), time: `${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}`, weekday: weekdayOfDayNumber(day) };
}

/** Answers of `isKnownTimeZone`: building an Intl.DateTimeFormat costs ~0.1 ms, and the slots endpoint asks on every request. */
const knownZones = new Map<string, boolean>();

/** True when the runtime knows `zone` (IANA name or `UTC`). */
export function isKnownTimeZone(zone: string): boolean {
  if (!zone) return false;
  const cached = knownZones.get(zone);
  if (cached !== undefined) return cached;
  let known: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    known = true;
  } catch {
    known = false;
  }
  // Bounded: the argument comes from URLs, so unknown names must not grow the map forever.
  if (knownZones.size >= 2000) knownZones.clear();
  knownZones.set(zone, known);
  return known;
}

/** `+05:45`, `-03:30`, `+00:00` for an offset in minutes. */
export function formatUtcOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMinutes));
  const hh = Math.floor(abs / 60);
  const mm = abs % 60;
  return `${sign}${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}`;
}

export type TimeZoneOption = {
  /** IANA name, e.g. `Asia/Tokyo`. */
  id: string;
  /** Current UTC offset in minutes (as of `now`). */
  offsetMinutes: number;
  /** `UTC+09:00` */
  offsetLabel: string;
};

/**
 * Node 20's ICU still lists some zones under names IANA has since replaced (Asia/Calcutta), while
 * browsers increasingly report the current ones (Asia/Kolkata). The picker shows the current name;
 * both names are valid zones everywhere.
 */
export const RENAMED_ZONES: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
};

/** The current IANA name of a zone (`Asia/Calcutta` → `Asia/Kolkata`); other names unchanged. */
export function canonicalTimeZone(zone: string): string {
  const renamed = RENAMED_ZONES[zone];
  return renamed && isKnownTimeZone(renamed) ? renamed : zone;
}

let zoneIdsCache: string[] | null = null;

/** Every IANA zone the runtime knows under its current name, plus `UTC` (Intl leaves it out of `supportedValuesOf`). */
export function allTimeZoneIds(): string[] {
  if (!zoneIdsCache) {
    const ids = new Set(Intl.supportedValuesOf('timeZone').map(canonicalTimeZone));
    ids.add('UTC');
    zoneIdsCache = [...ids].sort();
  }
  return zoneIdsCache;
}

/** A picker entry: `id` with its offset as of `now` (straight from the tz database: the picker's ~400 zones stay out of the memo). */
export function timeZoneOption(id: string, now: Date): TimeZoneOption {
  const offsetMinutes = rawOffsetMs(id, now.getTime()) / MINUTE_MS;
  return { id, offsetMinutes, offsetLabel: `UTC${formatUtcOffset(offsetMinutes)}` };
}

/** The picker's order: by offset, then name. */
export const compareTimeZoneOptions = (a: TimeZoneOption, b: TimeZoneOption) => a.offsetMinutes - b.offsetMinutes || a.id.localeCompare(b.id);

/** The guest's zone picker: every zone with its current offset, sorted by offset then name. */
export function listTimeZones(now: Date): TimeZoneOption[] {
  return allTimeZoneIds()
    .map((id) => timeZoneOption(id, now))
    .sort(compareTimeZoneOptions);
}
