import { describe, expect, it } from 'vitest';
import type { PageRules } from '@/lib/availability/engine';
import { parseSlotsParams, previewSlots } from './slots';

const rules: PageRules = {
  timeZone: 'Asia/Tokyo',
  weeklyHours: { mon: [{ start: '09:00', end: '11:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  dateOverrides: [],
  durationMinutes: 60,
  slotIntervalMinutes: null,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 0,
  bookingWindowDays: 60,
  maxBookingsPerDay: 1,
};

describe('previewSlots', () => {
  const now = new Date('2030-01-06T00:00:00Z'); // Sunday 09:00 in Tokyo
  const booking = (start: string, pageId: string | null) => ({
    pageId,
    startAt: new Date(start),
    blockedStartAt: new Date(start),
    blockedEndAt: new Date(new Date(start).getTime() + 3_600_000),
  });

  it('starts today in the page zone and shows every day of the preview', () => {
    const result = previewSlots(rules, undefined, now, { days: 3 });
    expect(result.days.map((d) => d.date)).toEqual(['2030-01-06', '2030-01-07', '2030-01-08']);
    expect(result.days[1]!.slots).toEqual(['2030-01-07T00:00:00.000Z', '2030-01-07T01:00:00.000Z']);
  });

  it("host bookings block; only this page's bookings count for the daily cap", () => {
    const other = previewSlots(rules, [booking('2030-01-07T00:00:00Z', 'another-page')], now, { days: 3, pageId: 'this-page' });
    expect(other.days[1]!.slots).toEqual(['2030-01-07T01:00:00.000Z']);
    const own = previewSlots(rules, [booking('2030-01-07T00:00:00Z', 'this-page')], now, { days: 3, pageId: 'this-page' });
    expect(own.days[1]!.slots).toEqual([]);
    // a page not saved yet has no bookings of its own
    const unsaved = previewSlots(rules, [booking('2030-01-07T00:00:00Z', null)], now, { days: 3 });
    expect(unsaved.days[1]!.slots).toEqual(['2030-01-07T01:00:00.000Z']);
  });

  it('can show the preview in another zone', () => {
    const result = previewSlots(rules, [], now, { days: 2, timeZone: 'Pacific/Honolulu' });
    expect(result.timeZone).toBe('Pacific/Honolulu');
    // Tokyo Monday 09:00 is Sunday 14:00 in Honolulu
    expect(result.days.find((d) => d.date === '2030-01-06')!.slots).toHaveLength(2);
  });
});

describe('parseSlotsParams', () => {
  it('accepts 62 days, refuses 63, trims, and lets the zone default', () => {
    expect(parseSlotsParams({ from: ' 2030-01-01 ', to: '2030-03-03', timeZone: '' })).toEqual({ from: '2030-01-01', to: '2030-03-03', timeZone: null });
    expect(() => parseSlotsParams({ from: '2030-01-01', to: '2030-03-04', timeZone: 'UTC' })).toThrow(
      expect.objectContaining({ code: 'invalid_parameter', details: { fields: { to: 'range_too_long' } } }),
    );
  });
});
