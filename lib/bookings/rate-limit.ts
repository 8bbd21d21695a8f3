import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';

/**
 * Rate limits of the public booking write endpoints (create, cancel, reschedule) — rate-limiter-flexible,
 * memory store (per process). AKI_RATE_LIMIT = requests per minute per client (IP); a page accepts
 * PAGE_FACTOR times that from all clients together. 0 turns both off (load tests).
 */

export const PAGE_FACTOR = 5;

type Limiters = { perMinute: number; client: RateLimiterMemory; page: RateLimiterMemory };
const store = globalThis as unknown as { __akiBookingLimiters?: Limiters };

function limiters(perMinute: number): Limiters {
  const current = store.__akiBookingLimiters;
  if (current && current.perMinute === perMinute) return current;
  const created: Limiters = {
    perMinute,
    client: new RateLimiterMemory({ keyPrefix: 'booking-client', points: perMinute, duration: 60 }),
    page: new RateLimiterMemory({ keyPrefix: 'booking-page', points: perMinute * PAGE_FACTOR, duration: 60 }),
  };
  store.__akiBookingLimiters = created;
  return created;
}

/** Spends one request for the client and one for the page; throws AppError('rate_limited', {retryAfterSeconds}) when either is exhausted. */
export async function consumeBookingWrite(keys: { clientKey?: string | null; pageKey?: string | null }): Promise<void> {
  const perMinute = env().rateLimitPerMinute;
  if (perMinute <= 0) return;
  const { client, page } = limiters(perMinute);
  try {
    if (keys.clientKey) await client.consume(keys.clientKey);
    if (keys.pageKey) await page.consume(keys.pageKey);
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new AppError('rate_limited', 'Too many requests; try again shortly', { retryAfterSeconds });
    }
    throw error;
  }
}

/** Tests: forget all counters. */
export function resetBookingRateLimits(): void {
  store.__akiBookingLimiters = undefined;
}
