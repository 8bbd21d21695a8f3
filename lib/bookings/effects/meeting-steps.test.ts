import { describe, expect, it } from 'vitest';
import { notEndedDelayMs } from './meeting-steps';

describe('notEndedDelayMs', () => {
  const end = new Date('2031-05-01T10:30:00Z');
  const at = (minutesAfterEnd: number) => new Date(end.getTime() + minutesAfterEnd * 60_000);
  it('before the first scheduled read (a read pulled forward): waits until end + 15 min, at least 2 min', () => {
    expect(notEndedDelayMs(end, at(-3 * 24 * 60))).toBe((3 * 24 * 60 + 15) * 60_000);
    expect(notEndedDelayMs(end, at(14))).toBe(2 * 60_000);
  });
  it('after it: a quarter of the time since the end, 2 to 30 minutes', () => {
    expect(notEndedDelayMs(end, at(16))).toBe(4 * 60_000);
    expect(notEndedDelayMs(end, at(20))).toBe(5 * 60_000);
    expect(notEndedDelayMs(end, at(5 * 60))).toBe(30 * 60_000);
  });
});
