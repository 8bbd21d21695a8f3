import { describe, expect, it } from 'vitest';
import { RETRY_SCHEDULE_MS, webhookRetryDelayMs } from './deliver';

describe('the webhook retry schedule', () => {
  it('retries first within 10 s, then waits longer each time, up to 8 h', () => {
    const low = (attempt: number) => webhookRetryDelayMs(attempt, () => 0);
    const high = (attempt: number) => webhookRetryDelayMs(attempt, () => 0.999_999);
    expect(high(1)).toBeLessThanOrEqual(10_000);
    expect(low(1)).toBeGreaterThan(0);
    for (let attempt = 2; attempt <= RETRY_SCHEDULE_MS.length; attempt++) expect(low(attempt)).toBeGreaterThanOrEqual(low(attempt - 1));
    expect(high(RETRY_SCHEDULE_MS.length)).toBeLessThanOrEqual(8.8 * 3_600_000);
    // Past the table, the last wait repeats.
    expect(low(40)).toBe(low(RETRY_SCHEDULE_MS.length));
  });

  it('spans more than 24 hours over the 12 attempts a delivery gets, even with the shortest jitter', () => {
    let total = 0;
    for (let attempt = 1; attempt < 12; attempt++) total += webhookRetryDelayMs(attempt, () => 0);
    expect(total).toBeGreaterThan(24 * 3_600_000);
    expect(total).toBeLessThan(40 * 3_600_000);
  });

  it('spreads retries of many deliveries (jitter within ±10 %)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => webhookRetryDelayMs(3)));
    expect(delays.size).toBeGreaterThan(1);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(0.9 * RETRY_SCHEDULE_MS[2]);
      expect(d).toBeLessThanOrEqual(1.1 * RETRY_SCHEDULE_MS[2]);
    }
  });
});
