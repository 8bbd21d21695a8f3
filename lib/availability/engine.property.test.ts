import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimeInterval, WeeklyHours } from '@/lib/booking-pages/schema';
import { type Busy, computeSlots, isSlotOpen, type PageRules, type SlotQuery } from './engine';
import { addCalendarDays, localDateOf, todayIn, weekdayOf, zonedWallTimeToUtc } from './time-zone';

/**
 * Properties of docs/api.md, slot semantics over random pages, busy times, clocks and viewers. The oracles below
 * are written independently of the engine's internals: windows are rebuilt from the rules with
 * `zonedWallTimeToUtc` date by date, and every check is a plain loop.
 */

const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Pacific/Honolulu',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Pacific/Chatham',
  'America/Santiago',
];
const MIN = 60_000;

const hhmm = (m: number) => (m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);

/** Random (possibly touching or overlapping) windows for a day, on a 15-minute grid. */
const intervalsArb: fc.Arbitrary<TimeInterval[]> = fc
  .array(
    fc.tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 40 })).map(([a, len]) => ({
      start: hhmm(a * 15),
      end: hhmm(Math.min(96, a + len) * 15),
    })),
    { maxLength: 3 },
  )
  .map((list) => list.filter((i) => i.start < i.end || i.end === '24:00'));

const weeklyArb: fc.Arbitrary<WeeklyHours> = fc.record({
  mon: intervalsArb,
  tue: intervalsArb,
  wed: intervalsArb,
  thu: intervalsArb,
  fri: intervalsArb,
  sat: intervalsArb,
  sun: intervalsArb,
});

// Clocks around the 2026 DST changes of the zones above (and a quiet week).
const NOW_ANCHORS = ['2026-03-05T00:00:00Z', '2026-03-26T00:00:00Z', '2026-04-02T00:00:00Z', '2026-09-30T00:00:00Z', '2026-10-29T00:00:00Z', '2026-01-10T00:00:00Z'];

const scenarioArb = fc
  .record({
    pageZone: fc.constantFrom(...ZONES),
    viewerZone: fc.constantFrom(...ZONES),
    weeklyHours: weeklyArb,
    overrideDays: fc.array(fc.tuple(fc.integer({ min: -1, max: 12 }), intervalsArb), { maxLength: 3 }),
    durationMinutes: fc.constantFrom(15, 20, 30, 45, 60, 90),
    slotIntervalMinutes: fc.constantFrom(null, 10, 15, 30, 45),
    bufferBeforeMinutes: fc.constantFrom(0, 5, 15, 60),
    bufferAfterMinutes: fc.constantFrom(0, 10, 30),
    minimumNoticeMinutes: fc.constantFrom(0, 30, 240, 1440),
    bookingWindowDays: fc.integer({ min: 1, max: 14 }),
    maxBookingsPerDay: fc.constantFrom(null, 1, 2),
    nowAnchor: fc.constantFrom(...NOW_ANCHORS),
    nowMinutes: fc.integer({ min: 0, max: 3 * 1440 }),
    fromOffset: fc.integer({ min: -2, max: 8 }),
    days: fc.integer({ min: 1, max: 7 }),
    busy: fc.array(fc.tuple(fc.integer({ min: 0, max: 12 * 96 }), fc.integer({ min: 0, max: 16 })), { maxLength: 25 }),
    pageBookings: fc.array(fc.integer({ min: 0, max: 12 * 24 }), { maxLength: 6 }),
  })
  .map((s) => {
    const now = new Date(new Date(s.nowAnchor).getTime() + s.nowMinutes * MIN);
    const base = new Date(s.nowAnchor).getTime() - 86_400_000;
    const baseDate = todayIn(s.pageZone, now);
    const rules: PageRules = {
      timeZone: s.pageZone,
      weeklyHours: s.weeklyHours,
      dateOverrides: [...new Map(s.overrideDays.map(([d, intervals]) => [addCalendarDays(baseDate, d), intervals])).entries()].map(
        ([date, intervals]) => ({ date, intervals }),
      ),
      durationMinutes: s.durationMinutes,
      slotIntervalMinutes: s.slotIntervalMinutes,
      bufferBeforeMinutes: s.bufferBeforeMinutes,
      bufferAfterMinutes: s.bufferAfterMinutes,
      minimumNoticeMinutes: s.minimumNoticeMinutes,
      bookingWindowDays: s.bookingWindowDays,
      maxBookingsPerDay: s.maxBookingsPerDay,
    };
    const busy: Busy[] = s.busy.map(([q, len]) => ({ start: new Date(base + q * 15 * MIN), end: new Date(base + (q + len) * 15 * MIN) }));
    const from = addCalendarDays(todayIn(s.viewerZone, now), s.fromOffset);
    const query: SlotQuery = {
      rules,
      busy,
      pageBookingStarts: s.pageBookings.map((h) => new Date(base + h * 60 * MIN)),
      now,
      from,
      to: addCalendarDays(from, s.days - 1),
      timeZone: s.viewerZone,
    };
    return query;
  });

/** The page's windows as instants, rebuilt date by date from the rules (not merged). */
function oracleWindows(q: SlotQuery, fromDate: string, toDate: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let date = fromDate; date <= toDate; date = addCalendarDays(date, 1)) {
    const override = q.rules.dateOverrides.find((o) => o.date === date);
    const intervals = override ? override.intervals : q.rules.weeklyHours[weekdayOf(date)];
    for (const i of intervals) {
      const start = zonedWallTimeToUtc(date, i.start, q.rules.timeZone).getTime();
      const end = zonedWallTimeToUtc(date, i.end, q.rules.timeZone).getTime();
      if (end > start) out.push({ start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Is [start, end) covered by the union of the windows? */
function covered(windows: { start: number; end: number }[], start: number, end: number): boolean {
  let cursor = start;
  let progressed = true;
  while (cursor < end && progressed) {
    progressed = false;
    for (const w of windows) {
      if (w.start <= cursor && w.end > cursor) {
        cursor = w.end;
        progressed = true;
      }
    }
  }
  return cursor >= end;
}

const RUNS = { numRuns: 300 };
/** Generous: the build machine is shared; this bounds a hang, it is not a timing assertion. */
const TIMEOUT = 120_000;

describe('computeSlots properties', () => {
  it('every slot lies inside the page hours, clear of busy time plus buffers, after now + notice, inside the booking window and under the daily cap', () => {
    fc.assert(
      fc.property(scenarioArb, (q) => {
        const result = computeSlots(q);
        const duration = q.rules.durationMinutes * MIN;
        const notBefore = q.now.getTime() + q.rules.minimumNoticeMinutes * MIN;
        const today = todayIn(q.rules.timeZone, q.now);
        const lastDate = addCalendarDays(today, q.rules.bookingWindowDays);
        const windows = oracleWindows(q, addCalendarDays(q.from, -3), addCalendarDays(q.to, 3));
        const counts = new Map<string, number>();
        for (const s of q.pageBookingStarts) {
          const d = localDateOf(s, q.rules.timeZone);
          counts.set(d, (counts.get(d) ?? 0) + 1);
        }

        expect(result.days.map((d) => d.date)).toEqual(
          Array.from({ length: result.days.length }, (_, i) => addCalendarDays(q.from, i)).filter((d) => d <= q.to),
        );
        expect(result.days[result.days.length - 1]!.date).toBe(q.to);

        let previous = Number.NEGATIVE_INFINITY;
        for (const day of result.days) {
          for (const iso of day.slots) {
            expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
            const s = new Date(iso).getTime();
            expect(s).toBeGreaterThan(previous); // sorted, no duplicates (fall-back!)
            previous = s;
            expect(localDateOf(new Date(s), q.timeZone)).toBe(day.date);
            expect(covered(windows, s, s + duration)).toBe(true);
            expect(s).toBeGreaterThanOrEqual(notBefore);
            expect(localDateOf(new Date(s), q.rules.timeZone) <= lastDate).toBe(true);
            for (const b of q.busy) {
              const overlaps =
                b.start.getTime() < s + duration + q.rules.bufferAfterMinutes * MIN && b.end.getTime() > s - q.rules.bufferBeforeMinutes * MIN;
              expect(overlaps && b.end.getTime() > b.start.getTime()).toBe(false);
            }
            if (q.rules.maxBookingsPerDay !== null) {
              expect(counts.get(localDateOf(new Date(s), q.rules.timeZone)) ?? 0).toBeLessThan(q.rules.maxBookingsPerDay);
            }
          }
        }
      }),
      RUNS,
    );
  }, TIMEOUT);

  it('asking for the days one at a time gives the same slots (the grid does not depend on the range)', () => {
    fc.assert(
      fc.property(scenarioArb, (q) => {
        const whole = computeSlots(q).days;
        const single = whole.map((d) => computeSlots({ ...q, from: d.date, to: d.date }).days[0]);
        expect(single).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  }, TIMEOUT);

  it('isSlotOpen says yes exactly for the listed slots', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 7 * 96 }), (q, quarter) => {
        const listed = new Set(computeSlots(q).days.flatMap((d) => d.slots));
        for (const s of listed) expect(isSlotOpen({ ...q, start: new Date(s) })).toBe(true);
        // any instant on a 5-minute grid in the range is open iff it is listed
        const probe = new Date(zonedWallTimeToUtc(q.from, '00:00', q.timeZone).getTime() + quarter * 5 * MIN);
        if (probe.getTime() < zonedWallTimeToUtc(addCalendarDays(q.to, 1), '00:00', q.timeZone).getTime()) {
          expect(isSlotOpen({ ...q, start: probe })).toBe(listed.has(probe.toISOString()));
        }
      }),
      RUNS,
    );
  }, TIMEOUT);

  it('more busy time never adds a slot', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 7 * 96 }), fc.integer({ min: 1, max: 8 }), (q, at, len) => {
        const before = new Set(computeSlots(q).days.flatMap((d) => d.slots));
        const start = zonedWallTimeToUtc(q.from, '00:00', q.timeZone).getTime() + at * 15 * MIN;
        const more = computeSlots({ ...q, busy: [...q.busy, { start: new Date(start), end: new Date(start + len * 15 * MIN) }] });
        for (const s of more.days.flatMap((d) => d.slots)) expect(before.has(s)).toBe(true);
      }),
      RUNS,
    );
  }, TIMEOUT);
});
