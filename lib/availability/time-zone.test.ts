import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  allTimeZoneIds,
  calendarDaysBetween,
  canonicalTimeZone,
  eachCalendarDate,
  formatUtcOffset,
  isIsoDate,
  isKnownTimeZone,
  listTimeZones,
  localDateOf,
  localDateTimeOf,
  localDayRangeUtc,
  offsetMinutesAt,
  todayIn,
  weekdayOf,
  zonedWallTimeToUtc,
} from './time-zone';

const iso = (d: Date) => d.toISOString();

describe('zonedWallTimeToUtc', () => {
  it.each([
    ['2026-01-12', '09:00', 'Asia/Tokyo', '2026-01-12T00:00:00.000Z'],
    ['2026-01-12', '09:00', 'Asia/Kathmandu', '2026-01-12T03:15:00.000Z'],
    ['2026-01-12', '24:00', 'UTC', '2026-01-13T00:00:00.000Z'],
    // spring-forward gap: 02:30 does not exist in New York, it moves forward by the hour-long gap
    ['2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['2026-03-08', '03:00', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    // fall-back: 01:30 happens twice, the first occurrence (EDT) wins
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-11-01', '02:00', 'America/New_York', '2026-11-01T07:00:00.000Z'],
    // Lord Howe: 30-minute jumps
    ['2026-10-04', '02:15', 'Australia/Lord_Howe', '2026-10-03T15:45:00.000Z'],
    ['2026-04-05', '01:45', 'Australia/Lord_Howe', '2026-04-04T14:45:00.000Z'],
    // southern hemisphere, and a zone east of the date line
    ['2026-01-12', '09:00', 'Australia/Sydney', '2026-01-11T22:00:00.000Z'],
    ['2026-01-12', '00:00', 'Pacific/Kiritimati', '2026-01-11T10:00:00.000Z'],
    ['2026-01-12', '00:00', 'Pacific/Pago_Pago', '2026-01-12T11:00:00.000Z'],
  ])('%s %s %s → %s', (date, time, zone, expected) => {
    expect(iso(zonedWallTimeToUtc(date, time, zone))).toBe(expected);
  });

  it('agrees with TZDate for every wall time that exists exactly once', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Honolulu', 'Pacific/Chatham', 'America/Santiago'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 0, max: 1439 }),
        (zone, dayOffset, minute) => {
          const date = addCalendarDays('2025-01-01', dayOffset);
          const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
          const ours = zonedWallTimeToUtc(date, time, zone);
          const [y, m, d] = date.split('-').map(Number) as [number, number, number];
          const theirs = new TZDate(y, m - 1, d, Math.floor(minute / 60), minute % 60, zone);
          // Our instant must show the requested wall time in the zone, unless it was in a gap.
          const back = localDateTimeOf(ours, zone);
          if (back.date === date && back.time === time) {
            // A repeated wall time may be either occurrence in TZDate; ours is the earlier one.
            expect(ours.getTime()).toBeLessThanOrEqual(theirs.getTime());
            expect(localDateTimeOf(new Date(theirs.getTime()), zone)).toEqual(back);
          } else {
            // Gap: moved forward, by less than the gap itself (≤ 1 h in these zones).
            const asIfUtc = Date.UTC(y, m - 1, d, Math.floor(minute / 60), minute % 60);
            const shown = new Date(`${back.date}T${back.time}:00Z`).getTime();
            expect(shown - asIfUtc).toBeGreaterThan(0);
            expect(shown - asIfUtc).toBeLessThanOrEqual(60 * 60_000);
          }
        },
      ),
      { numRuns: 3000 },
    );
  }, 120_000);
});

describe('local days', () => {
  it('a local day is as long as it really is', () => {
    const hours = (date: string, zone: string) => {
      const { start, end } = localDayRangeUtc(date, zone);
      return (end.getTime() - start.getTime()) / 3_600_000;
    };
    expect(hours('2026-03-08', 'America/New_York')).toBe(23);
    expect(hours('2026-11-01', 'America/New_York')).toBe(25);
    expect(hours('2026-10-04', 'Australia/Lord_Howe')).toBe(23.5);
    expect(hours('2026-04-05', 'Australia/Lord_Howe')).toBe(24.5);
    expect(hours('2026-01-12', 'Asia/Kathmandu')).toBe(24);
    // Samoa skipped 2011-12-30 when it moved across the date line
    expect(hours('2011-12-30', 'Pacific/Apia')).toBe(0);
  });

  it('localDateOf / todayIn read the date in the given zone, not the process zone', () => {
    const instant = new Date('2026-01-12T14:59:00Z');
    expect(localDateOf(instant, 'Asia/Tokyo')).toBe('2026-01-12');
    expect(todayIn('Asia/Tokyo', new Date('2026-01-12T15:00:00Z'))).toBe('2026-01-13');
    expect(localDateOf(instant, 'Pacific/Pago_Pago')).toBe('2026-01-12');
    expect(localDateOf(new Date('2026-01-12T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-01-13');
    expect(localDateTimeOf(new Date('2026-01-12T03:15:00Z'), 'Asia/Kathmandu')).toEqual({ date: '2026-01-12', time: '09:00', weekday: 'mon' });
  });

  it('offsets', () => {
    expect(offsetMinutesAt('Asia/Kathmandu', new Date('2026-01-12T00:00:00Z'))).toBe(345);
    expect(offsetMinutesAt('America/New_York', new Date('2026-03-08T06:59:00Z'))).toBe(-300);
    expect(offsetMinutesAt('America/New_York', new Date('2026-03-08T07:00:00Z'))).toBe(-240);
    expect(offsetMinutesAt('Australia/Lord_Howe', new Date('2026-10-03T15:29:00Z'))).toBe(630);
    expect(offsetMinutesAt('Australia/Lord_Howe', new Date('2026-10-03T15:30:00Z'))).toBe(660);
    expect(() => offsetMinutesAt('Mars/Olympus', new Date())).toThrow(RangeError);
  });
});

describe('calendar dates', () => {
  it('arithmetic, validation and weekdays', () => {
    expect(addCalendarDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(calendarDaysBetween('2026-01-01', '2026-03-03')).toBe(61);
    expect(eachCalendarDate('2026-01-30', '2026-02-02')).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-1')).toBe(false);
    expect(weekdayOf('2026-01-12')).toBe('mon');
    expect(weekdayOf('2026-03-08')).toBe('sun');
  });
});

describe('zone list', () => {
  it('has every IANA zone plus UTC, with current offsets', () => {
    const now = new Date('2026-01-12T00:00:00Z');
    const list = listTimeZones(now);
    expect(list.length).toBe(allTimeZoneIds().length);
    expect(list.find((z) => z.id === 'UTC')).toEqual({ id: 'UTC', offsetMinutes: 0, offsetLabel: 'UTC+00:00' });
    expect(list.find((z) => z.id === 'Asia/Kathmandu')).toMatchObject({ offsetMinutes: 345, offsetLabel: 'UTC+05:45' });
    expect(list.find((z) => z.id === 'America/St_Johns')).toMatchObject({ offsetMinutes: -210, offsetLabel: 'UTC-03:30' });
    expect(list[0]!.offsetMinutes).toBeLessThanOrEqual(list[list.length - 1]!.offsetMinutes);
    expect(list.every((z) => isKnownTimeZone(z.id))).toBe(true);
    expect(list.some((z) => z.id === 'Asia/Katmandu')).toBe(false);
    expect(canonicalTimeZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(formatUtcOffset(-570)).toBe('-09:30');
  });
});
