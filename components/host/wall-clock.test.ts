import { describe, expect, it } from 'vitest';
import { formatInstantClock, formatWallClock, formatWindows, hostHour12 } from './wall-clock';

describe('editor clock', () => {
  it("follows the host's choice, else the language's habit (ja 24 h, en 12 h)", () => {
    expect(hostHour12(null, 'ja')).toBe(false);
    expect(hostHour12(null, 'en')).toBe(true);
    expect(hostHour12(true, 'ja')).toBe(true);
    expect(hostHour12(false, 'en')).toBe(false);
  });

  it('formats wall-clock times in 24 h and in each language’s 12 h form, midnight and noon included', () => {
    expect(['00:00', '09:05', '12:00', '13:30', '23:45', '24:00'].map((v) => formatWallClock(v, 'en', false))).toEqual(['00:00', '09:05', '12:00', '13:30', '23:45', '24:00']);
    expect(['00:00', '09:05', '12:00', '13:30', '23:45', '24:00'].map((v) => formatWallClock(v, 'en', true))).toEqual([
      '12:00 AM',
      '9:05 AM',
      '12:00 PM',
      '1:30 PM',
      '11:45 PM',
      '12:00 AM',
    ]);
    expect(['00:00', '09:05', '12:00', '13:30', '24:00'].map((v) => formatWallClock(v, 'ja', true))).toEqual(['午前0:00', '午前9:05', '午後0:00', '午後1:30', '午前0:00']);
    expect(formatWallClock('09:05', 'ja', false)).toBe('09:05');
  });

  it('writes a day of windows and an instant in a zone the same way as the pickers', () => {
    const day = [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ];
    expect(formatWindows(day, 'en', true)).toBe('9:00 AM – 12:00 PM, 1:00 PM – 5:00 PM');
    expect(formatWindows(day, 'en', false)).toBe('09:00 – 12:00, 13:00 – 17:00');
    // 00:30Z is 09:30 in Tokyo and 19:30 the day before in New York (the test process runs in Asia/Kathmandu).
    const instant = new Date('2030-01-07T00:30:00Z');
    expect(formatInstantClock(instant, 'Asia/Tokyo', 'ja', false)).toBe('09:30');
    expect(formatInstantClock(instant, 'Asia/Tokyo', 'en', true)).toBe('9:30 AM');
    expect(formatInstantClock(instant, 'America/New_York', 'en', true)).toBe('7:30 PM');
    expect(formatInstantClock(new Date('2030-01-07T15:00:00Z'), 'Asia/Tokyo', 'en', false)).toBe('00:00');
  });
});
