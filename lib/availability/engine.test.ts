import { describe, expect, it } from 'vitest';
import type { WeeklyHours } from '@/lib/booking-pages/schema';
import { type Busy, computeSlots, isSlotOpen, type PageRules, type SlotQuery } from './engine';

/**
 * The table of docs/api.md, slot semantics cases. Expected slots are written by hand from the semantics (the UTC
 * instants were worked out from each zone's offsets, not produced by the engine). Unit tests run
 * with TZ=Asia/Kathmandu, so any accidental use of the process zone shows up as a 5:45 shift.
 */

const closed: WeeklyHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const allWeek = (start: string, end: string): WeeklyHours => ({
  mon: [{ start, end }],
  tue: [{ start, end }],
  wed: [{ start, end }],
  thu: [{ start, end }],
  fri: [{ start, end }],
  sat: [{ start, end }],
  sun: [{ start, end }],
});

function rules(partial: Partial<PageRules>): PageRules {
  return {
    timeZone: 'UTC',
    weeklyHours: closed,
    dateOverrides: [],
    durationMinutes: 60,
    slotIntervalMinutes: null,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingWindowDays: 365,
    maxBookingsPerDay: null,
    ...partial,
  };
}

/** `'2026-03-08T07:30'` → the engine's output format for that UTC instant. */
const z = (utc: string) => new Date(`${utc}:00Z`).toISOString();
const busy = (start: string, end: string): Busy => ({ start: new Date(`${start}:00Z`), end: new Date(`${end}:00Z`) });

type Case = {
  name: string;
  rules: Partial<PageRules>;
  busy?: Busy[];
  pageBookingStarts?: string[];
  /** UTC, `YYYY-MM-DDTHH:mm` */
  now?: string;
  from: string;
  to?: string;
  timeZone?: string;
  /** viewer date → expected UTC starts (`YYYY-MM-DDTHH:mm`) */
  expected: Record<string, string[]>;
};

// 2026-01-12 is a Monday; 2026-03-08 and 2026-11-01 are the US DST Sundays; 2026-10-04 and
// 2026-04-05 are Lord Howe Island's DST Sundays.
const NOW = '2026-01-01T00:00';

const cases: Case[] = [
  {
    name: 'weekly hours in UTC, one window, slots step by the duration',
    rules: { weeklyHours: { ...closed, mon: [{ start: '09:00', end: '12:00' }] } },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T09:00', '2026-01-12T10:00', '2026-01-12T11:00'] },
  },
  {
    name: 'every requested date is present, [] when empty',
    rules: { weeklyHours: { ...closed, mon: [{ start: '09:00', end: '10:00' }] } },
    from: '2026-01-10',
    to: '2026-01-13',
    expected: { '2026-01-10': [], '2026-01-11': [], '2026-01-12': ['2026-01-12T09:00'], '2026-01-13': [] },
  },
  {
    name: 'interval shorter than the duration: overlapping candidates, last one must end inside the window',
    rules: { weeklyHours: { ...closed, mon: [{ start: '09:00', end: '11:00' }] }, slotIntervalMinutes: 30 },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T09:00', '2026-01-12T09:30', '2026-01-12T10:00'] },
  },
  {
    name: 'interval longer than the duration',
    rules: { weeklyHours: { ...closed, mon: [{ start: '09:00', end: '11:00' }] }, durationMinutes: 30, slotIntervalMinutes: 45 },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T09:00', '2026-01-12T09:45', '2026-01-12T10:30'] },
  },
  {
    name: 'touching windows merge (09:00–10:30 + 10:30–12:00 is one 3 h window)',
    rules: {
      weeklyHours: {
        ...closed,
        mon: [
          { start: '10:30', end: '12:00' },
          { start: '09:00', end: '10:30' },
        ],
      },
    },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T09:00', '2026-01-12T10:00', '2026-01-12T11:00'] },
  },
  {
    name: 'overlapping windows merge too',
    rules: {
      weeklyHours: {
        ...closed,
        mon: [
          { start: '09:00', end: '11:00' },
          { start: '10:00', end: '12:00' },
        ],
      },
    },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T09:00', '2026-01-12T10:00', '2026-01-12T11:00'] },
  },
  {
    name: 'separate windows each start their own grid',
    rules: {
      weeklyHours: {
        ...closed,
        mon: [
          { start: '09:00', end: '10:30' },
          { start: '13:15', end: '14:45' },
        ],
      },
      durationMinutes: 45,
    },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T09:00', '2026-01-12T09:45', '2026-01-12T13:15', '2026-01-12T14:00'] },
  },
  {
    name: 'a window up to 24:00 merges with the next day from 00:00 (one grid across midnight)',
    rules: { weeklyHours: { ...closed, mon: [{ start: '22:00', end: '24:00' }], tue: [{ start: '00:00', end: '02:00' }] }, durationMinutes: 90 },
    from: '2026-01-12',
    to: '2026-01-13',
    expected: { '2026-01-12': ['2026-01-12T22:00', '2026-01-12T23:30'], '2026-01-13': [] },
  },
  {
    name: 'a slot that starts before midnight may end in the next day\'s window, even when only the first day is asked for',
    rules: { weeklyHours: { ...closed, mon: [{ start: '22:00', end: '24:00' }], tue: [{ start: '00:00', end: '02:00' }] }, durationMinutes: 90 },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T22:00', '2026-01-12T23:30'] },
  },
  {
    name: 'the cross-midnight grid is the same when the viewer asks only for the second day',
    rules: { weeklyHours: { ...closed, mon: [{ start: '22:00', end: '24:00' }], tue: [{ start: '00:00', end: '03:00' }] }, durationMinutes: 90 },
    from: '2026-01-13',
    expected: { '2026-01-13': ['2026-01-13T01:00'] },
  },
  {
    name: 'override: closed day',
    rules: { weeklyHours: allWeek('09:00', '10:00'), dateOverrides: [{ date: '2026-01-13', intervals: [] }] },
    from: '2026-01-12',
    to: '2026-01-14',
    expected: { '2026-01-12': ['2026-01-12T09:00'], '2026-01-13': [], '2026-01-14': ['2026-01-14T09:00'] },
  },
  {
    name: 'override: special hours replace the weekday hours',
    rules: {
      weeklyHours: { ...closed, mon: [{ start: '09:00', end: '12:00' }] },
      dateOverrides: [
        {
          date: '2026-01-12',
          intervals: [
            { start: '14:00', end: '15:00' },
            { start: '16:30', end: '17:30' },
          ],
        },
      ],
    },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T14:00', '2026-01-12T16:30'] },
  },
  {
    name: 'override: opens a day that is closed every week',
    rules: { weeklyHours: closed, dateOverrides: [{ date: '2026-01-17', intervals: [{ start: '10:00', end: '11:00' }] }] },
    from: '2026-01-17',
    expected: { '2026-01-17': ['2026-01-17T10:00'] },
  },
  {
    name: 'override dates are page-zone dates (Tokyo page, UTC viewer)',
    rules: {
      timeZone: 'Asia/Tokyo',
      weeklyHours: allWeek('09:00', '10:00'),
      dateOverrides: [{ date: '2026-01-13', intervals: [{ start: '01:00', end: '02:00' }] }],
    },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T00:00', '2026-01-12T16:00'] },
  },
  {
    name: 'spring-forward (New York): 01:00–04:00 is two real hours',
    rules: { timeZone: 'America/New_York', weeklyHours: { ...closed, sun: [{ start: '01:00', end: '04:00' }] } },
    from: '2026-03-08',
    timeZone: 'America/New_York',
    expected: { '2026-03-08': ['2026-03-08T06:00', '2026-03-08T07:00'] },
  },
  {
    name: 'spring-forward (New York): a window starting in the gap moves forward by the gap',
    rules: { timeZone: 'America/New_York', weeklyHours: { ...closed, sun: [{ start: '02:30', end: '05:00' }] }, durationMinutes: 30 },
    from: '2026-03-08',
    timeZone: 'America/New_York',
    expected: { '2026-03-08': ['2026-03-08T07:30', '2026-03-08T08:00', '2026-03-08T08:30'] },
  },
  {
    name: 'spring-forward (New York): a window entirely inside the gap is empty',
    rules: { timeZone: 'America/New_York', weeklyHours: { ...closed, sun: [{ start: '02:00', end: '03:00' }] }, durationMinutes: 15 },
    from: '2026-03-08',
    timeZone: 'America/New_York',
    expected: { '2026-03-08': [] },
  },
  {
    name: 'fall-back (New York): 00:00–03:00 is four real hours, no duplicate slots',
    rules: { timeZone: 'America/New_York', weeklyHours: { ...closed, sun: [{ start: '00:00', end: '03:00' }] } },
    from: '2026-11-01',
    timeZone: 'America/New_York',
    expected: { '2026-11-01': ['2026-11-01T04:00', '2026-11-01T05:00', '2026-11-01T06:00', '2026-11-01T07:00'] },
  },
  {
    name: 'fall-back (New York): a window starting at a repeated time starts at its first occurrence',
    rules: { timeZone: 'America/New_York', weeklyHours: { ...closed, sun: [{ start: '01:30', end: '02:30' }] }, durationMinutes: 30 },
    from: '2026-11-01',
    timeZone: 'America/New_York',
    expected: { '2026-11-01': ['2026-11-01T05:30', '2026-11-01T06:00', '2026-11-01T06:30', '2026-11-01T07:00'] },
  },
  {
    name: 'the same weekly hours keep their wall-clock time across a DST change (London, viewer UTC)',
    rules: { timeZone: 'Europe/London', weeklyHours: allWeek('09:00', '10:00') },
    from: '2026-03-28',
    to: '2026-03-30',
    expected: { '2026-03-28': ['2026-03-28T09:00'], '2026-03-29': ['2026-03-29T08:00'], '2026-03-30': ['2026-03-30T08:00'] },
  },
  {
    name: '30-minute DST, spring (Lord Howe): 01:00–04:00 is 2.5 h',
    rules: { timeZone: 'Australia/Lord_Howe', weeklyHours: { ...closed, sun: [{ start: '01:00', end: '04:00' }] } },
    from: '2026-10-04',
    timeZone: 'Australia/Lord_Howe',
    expected: { '2026-10-04': ['2026-10-03T14:30', '2026-10-03T15:30'] },
  },
  {
    name: '30-minute DST, spring (Lord Howe): 02:15 does not exist and becomes 02:45',
    rules: { timeZone: 'Australia/Lord_Howe', weeklyHours: { ...closed, sun: [{ start: '02:15', end: '03:15' }] }, durationMinutes: 15 },
    from: '2026-10-04',
    timeZone: 'Australia/Lord_Howe',
    expected: { '2026-10-04': ['2026-10-03T15:45', '2026-10-03T16:00'] },
  },
  {
    name: '30-minute DST, fall-back (Lord Howe): 01:00–03:00 is 2.5 h',
    rules: { timeZone: 'Australia/Lord_Howe', weeklyHours: { ...closed, sun: [{ start: '01:00', end: '03:00' }] }, durationMinutes: 30 },
    from: '2026-04-05',
    timeZone: 'Australia/Lord_Howe',
    expected: { '2026-04-05': ['2026-04-04T14:00', '2026-04-04T14:30', '2026-04-04T15:00', '2026-04-04T15:30', '2026-04-04T16:00'] },
  },
  {
    name: '+05:45 offset (Kathmandu host, UTC viewer)',
    rules: { timeZone: 'Asia/Kathmandu', weeklyHours: { ...closed, mon: [{ start: '09:00', end: '10:00' }] }, durationMinutes: 30 },
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T03:15', '2026-01-12T03:45'] },
  },
  {
    name: 'date line: a Tokyo Monday morning is Sunday afternoon in Honolulu',
    rules: { timeZone: 'Asia/Tokyo', weeklyHours: { ...closed, mon: [{ start: '09:00', end: '11:00' }] } },
    from: '2026-01-11',
    to: '2026-01-12',
    timeZone: 'Pacific/Honolulu',
    expected: { '2026-01-11': ['2026-01-12T00:00', '2026-01-12T01:00'], '2026-01-12': [] },
  },
  {
    name: 'date line: the same slots for a Pacific/Kiritimati viewer (UTC+14) are on Monday',
    rules: { timeZone: 'Asia/Tokyo', weeklyHours: { ...closed, mon: [{ start: '09:00', end: '11:00' }] } },
    from: '2026-01-11',
    to: '2026-01-12',
    timeZone: 'Pacific/Kiritimati',
    expected: { '2026-01-11': [], '2026-01-12': ['2026-01-12T00:00', '2026-01-12T01:00'] },
  },
  {
    name: 'date line: …and on Sunday for a Pacific/Pago_Pago viewer (UTC−11)',
    rules: { timeZone: 'Asia/Tokyo', weeklyHours: { ...closed, mon: [{ start: '09:00', end: '11:00' }] } },
    from: '2026-01-11',
    to: '2026-01-12',
    timeZone: 'Pacific/Pago_Pago',
    expected: { '2026-01-11': ['2026-01-12T00:00', '2026-01-12T01:00'], '2026-01-12': [] },
  },
  {
    name: 'one host window split over two viewer dates',
    rules: { timeZone: 'Asia/Tokyo', weeklyHours: { ...closed, mon: [{ start: '08:00', end: '12:00' }] } },
    from: '2026-01-11',
    to: '2026-01-12',
    expected: { '2026-01-11': ['2026-01-11T23:00'], '2026-01-12': ['2026-01-12T00:00', '2026-01-12T01:00', '2026-01-12T02:00'] },
  },
  {
    name: 'a 25-hour viewer day (New York fall-back) holds 25 hourly slots of a UTC 24/7 page',
    rules: { weeklyHours: allWeek('00:00', '24:00') },
    from: '2026-11-01',
    timeZone: 'America/New_York',
    expected: {
      '2026-11-01': Array.from({ length: 25 }, (_, i) => new Date(Date.UTC(2026, 10, 1, 4 + i)).toISOString().slice(0, 16)),
    },
  },
  {
    name: 'a 23.5-hour viewer day (Lord Howe spring) holds 23 hourly slots of a UTC 24/7 page',
    rules: { weeklyHours: allWeek('00:00', '24:00') },
    from: '2026-10-04',
    timeZone: 'Australia/Lord_Howe',
    expected: {
      '2026-10-04': Array.from({ length: 23 }, (_, i) => new Date(Date.UTC(2026, 9, 3, 14 + i)).toISOString().slice(0, 16)),
    },
  },
  {
    name: 'buffers across pages: busy = another page booking widened by ITS buffers; this page adds its own; touching is fine',
    rules: {
      weeklyHours: { ...closed, mon: [{ start: '09:00', end: '13:00' }] },
      durationMinutes: 30,
      bufferBeforeMinutes: 15,
      bufferAfterMinutes: 15,
    },
    // the other page's booking is 10:00–11:00 with 15-minute buffers → blocked 09:45–11:15
    busy: [busy('2026-01-12T09:45', '2026-01-12T11:15')],
    from: '2026-01-12',
    // 09:00 → [08:45, 09:45] touches; 09:30 → [09:15, 10:15] overlaps; 11:30 → [11:15, 12:15] touches
    expected: { '2026-01-12': ['2026-01-12T09:00', '2026-01-12T11:30', '2026-01-12T12:00', '2026-01-12T12:30'] },
  },
  {
    name: 'buffers: a slot that would end right at a booking is removed when this page has an after-buffer',
    rules: { weeklyHours: { ...closed, mon: [{ start: '09:00', end: '12:00' }] }, bufferAfterMinutes: 1 },
    busy: [busy('2026-01-12T11:00', '2026-01-12T11:30')],
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T09:00'] },
  },
  {
    name: 'calendar busy events and bookings combine; overlapping busy intervals are fine',
    rules: { weeklyHours: { ...closed, mon: [{ start: '09:00', end: '17:00' }] } },
    busy: [
      busy('2026-01-12T09:30', '2026-01-12T10:15'),
      busy('2026-01-12T10:00', '2026-01-12T10:30'),
      busy('2026-01-12T14:00', '2026-01-12T14:00'),
      busy('2026-01-12T15:59', '2026-01-12T16:01'),
    ],
    from: '2026-01-12',
    // 09:00 and 10:00 overlap the merged 09:30–10:30; the empty 14:00–14:00 blocks nothing; 15:59–16:01 removes 15:00 and 16:00
    expected: { '2026-01-12': ['2026-01-12T11:00', '2026-01-12T12:00', '2026-01-12T13:00', '2026-01-12T14:00'] },
  },
  {
    name: 'minimum notice: start < now + notice is removed, equal is kept',
    rules: { weeklyHours: { ...closed, mon: [{ start: '09:00', end: '13:00' }] }, minimumNoticeMinutes: 60 },
    now: '2026-01-12T09:00',
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T10:00', '2026-01-12T11:00', '2026-01-12T12:00'] },
  },
  {
    name: 'minimum notice does not shift the grid',
    rules: { weeklyHours: { ...closed, mon: [{ start: '09:00', end: '13:00' }] }, minimumNoticeMinutes: 60 },
    now: '2026-01-12T09:20',
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T11:00', '2026-01-12T12:00'] },
  },
  {
    name: 'slots in the past are gone even without notice',
    rules: { weeklyHours: { ...closed, mon: [{ start: '09:00', end: '13:00' }] } },
    now: '2026-01-12T10:00',
    from: '2026-01-12',
    expected: { '2026-01-12': ['2026-01-12T10:00', '2026-01-12T11:00', '2026-01-12T12:00'] },
  },
  {
    name: 'booking window counts page-zone days from page-zone today (Tokyo 23:59)',
    rules: { timeZone: 'Asia/Tokyo', weeklyHours: allWeek('09:00', '10:00'), bookingWindowDays: 2 },
    now: '2026-01-12T14:59',
    from: '2026-01-12',
    to: '2026-01-16',
    timeZone: 'Asia/Tokyo',
    expected: { '2026-01-12': [], '2026-01-13': ['2026-01-13T00:00'], '2026-01-14': ['2026-01-14T00:00'], '2026-01-15': [], '2026-01-16': [] },
  },
  {
    name: 'booking window: one minute later it is the next day in Tokyo and the window moves',
    rules: { timeZone: 'Asia/Tokyo', weeklyHours: allWeek('09:00', '10:00'), bookingWindowDays: 2 },
    now: '2026-01-12T15:00',
    from: '2026-01-12',
    to: '2026-01-16',
    timeZone: 'Asia/Tokyo',
    expected: {
      '2026-01-12': [],
      '2026-01-13': ['2026-01-13T00:00'],
      '2026-01-14': ['2026-01-14T00:00'],
      '2026-01-15': ['2026-01-15T00:00'],
      '2026-01-16': [],
    },
  },
  {
    name: 'daily cap: a page-local date with maxBookingsPerDay bookings loses all its slots',
    rules: { timeZone: 'Asia/Tokyo', weeklyHours: allWeek('09:00', '12:00'), maxBookingsPerDay: 2 },
    // Jan 12 JST: 09:00 and 10:00 (two bookings); Jan 13 JST: one booking at 01:00 JST, which is Jan 12 in UTC
    pageBookingStarts: ['2026-01-12T00:00', '2026-01-12T01:00', '2026-01-12T16:00'],
    busy: [busy('2026-01-12T00:00', '2026-01-12T01:00'), busy('2026-01-12T01:00', '2026-01-12T02:00'), busy('2026-01-12T16:00', '2026-01-12T17:00')],
    from: '2026-01-12',
    to: '2026-01-13',
    timeZone: 'Asia/Tokyo',
    expected: { '2026-01-12': [], '2026-01-13': ['2026-01-13T00:00', '2026-01-13T01:00', '2026-01-13T02:00'] },
  },
  {
    name: 'daily cap: no cap means bookings only block their own time',
    rules: { timeZone: 'Asia/Tokyo', weeklyHours: allWeek('09:00', '12:00'), maxBookingsPerDay: null },
    pageBookingStarts: ['2026-01-12T00:00', '2026-01-12T01:00'],
    busy: [busy('2026-01-12T00:00', '2026-01-12T01:00'), busy('2026-01-12T01:00', '2026-01-12T02:00')],
    from: '2026-01-12',
    timeZone: 'Asia/Tokyo',
    expected: { '2026-01-12': ['2026-01-12T02:00'] },
  },
];

function query(c: Case): SlotQuery {
  return {
    rules: rules(c.rules),
    busy: c.busy ?? [],
    pageBookingStarts: (c.pageBookingStarts ?? []).map((s) => new Date(`${s}:00Z`)),
    now: new Date(`${c.now ?? NOW}:00Z`),
    from: c.from,
    to: c.to ?? c.from,
    timeZone: c.timeZone ?? 'UTC',
  };
}

describe('computeSlots (docs/api.md slot semantics)', () => {
  it.each(cases)('$name', (c) => {
    const result = computeSlots(query(c));
    const got = Object.fromEntries(result.days.map((d) => [d.date, d.slots]));
    const expected = Object.fromEntries(Object.entries(c.expected).map(([date, slots]) => [date, slots.map(z)]));
    expect(got).toEqual(expected);
    expect(result.timeZone).toBe(c.timeZone ?? 'UTC');
    expect(result.durationMinutes).toBe(rules(c.rules).durationMinutes);
  });

  it.each(cases)('isSlotOpen agrees with the listing: $name', (c) => {
    const q = query(c);
    const listed = computeSlots(q).days.flatMap((d) => d.slots);
    for (const s of listed) expect(isSlotOpen({ ...q, start: new Date(s) })).toBe(true);
    // one minute off the grid is never a slot
    for (const s of listed) expect(isSlotOpen({ ...q, start: new Date(new Date(s).getTime() + 60_000) })).toBe(listed.includes(new Date(new Date(s).getTime() + 60_000).toISOString()));
  });
});

describe('computeSlots: inputs and edges', () => {
  it('rejects from > to, malformed dates and unknown zones', () => {
    const base = query(cases[0]!);
    expect(() => computeSlots({ ...base, from: '2026-01-13', to: '2026-01-12' })).toThrow(RangeError);
    expect(() => computeSlots({ ...base, from: '2026-02-30', to: '2026-03-01' })).toThrow(RangeError);
    expect(() => computeSlots({ ...base, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => computeSlots({ ...base, rules: rules({ timeZone: 'Nope/Nope', weeklyHours: allWeek('09:00', '10:00') }) })).toThrow(RangeError);
  });

  it('a booking being rescheduled is simply left out of busy by the caller', () => {
    const q = query(cases[0]!);
    const withBooking = { ...q, busy: [busy('2026-01-12T10:00', '2026-01-12T11:00')] };
    expect(isSlotOpen({ ...withBooking, start: new Date('2026-01-12T10:00:00Z') })).toBe(false);
    expect(isSlotOpen({ ...q, start: new Date('2026-01-12T10:00:00Z') })).toBe(true);
  });

  it('does not depend on the process time zone', () => {
    // vitest's unit project sets TZ=Asia/Kathmandu; make sure that is really in effect.
    expect(new Date('2026-01-12T00:00:00Z').getTimezoneOffset()).toBe(-345);
  });
});
