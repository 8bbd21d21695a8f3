import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  buildMonthGrid,
  daysBetween,
  daysInMonth,
  isIsoDate,
  isYearMonth,
  monthBounds,
  moveDate,
  weekday,
  weekdayOrder,
} from './calendar-grid';

describe('calendar grid', () => {
  it('does date arithmetic independent of the machine zone (TZ=Asia/Kathmandu in tests)', () => {
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    // US spring-forward day has 23 hours; local-date math must not care.
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
    expect(weekday('2026-11-21')).toBe(6); // a Saturday
  });

  it('moves months across years and knows month lengths', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-05', 14)).toBe('2027-07');
    expect(daysInMonth('2026-02')).toBe(28);
    expect(daysInMonth('2028-02')).toBe(29);
    expect(monthBounds('2026-04')).toEqual({ from: '2026-04-01', to: '2026-04-30' });
  });

  it('builds six full weeks starting on the chosen weekday', () => {
    const grid = buildMonthGrid('2026-11', 0);
    expect(grid).toHaveLength(6);
    for (const week of grid) {
      expect(week).toHaveLength(7);
      expect(weekday(week[0]!.date)).toBe(0);
    }
    // November 2026 starts on a Sunday: no leading days.
    expect(grid[0]![0]).toEqual({ date: '2026-11-01', inMonth: true });
    const inMonth = grid.flat().filter((c) => c.inMonth);
    expect(inMonth.map((c) => c.date)).toEqual(Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`));
    expect(grid[5]![6]).toEqual({ date: '2026-12-12', inMonth: false });

    const monday = buildMonthGrid('2026-11', 1);
    expect(monday[0]![0]).toEqual({ date: '2026-10-26', inMonth: false });
    expect(weekdayOrder(1)).toEqual([1, 2, 3, 4, 5, 6, 0]);
  });

  it('moves keyboard focus like the WAI-ARIA date picker', () => {
    expect(moveDate('2026-11-21', 'ArrowRight')).toBe('2026-11-22');
    expect(moveDate('2026-11-01', 'ArrowLeft')).toBe('2026-10-31');
    expect(moveDate('2026-11-28', 'ArrowDown')).toBe('2026-12-05');
    expect(moveDate('2026-11-03', 'ArrowUp')).toBe('2026-10-27');
    expect(moveDate('2026-11-18', 'Home')).toBe('2026-11-15'); // Wed → Sun
    expect(moveDate('2026-11-18', 'End')).toBe('2026-11-21'); // Wed → Sat
    expect(moveDate('2026-11-18', 'Home', 1)).toBe('2026-11-16'); // Wed → Mon
    expect(moveDate('2026-01-31', 'PageDown')).toBe('2026-02-28');
    expect(moveDate('2026-03-31', 'PageUp')).toBe('2026-02-28');
  });

  it('validates strings', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isYearMonth('2026-13')).toBe(false);
    expect(isYearMonth('2026-09')).toBe(true);
  });
});
