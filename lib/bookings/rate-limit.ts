import 'server-only';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { processSingleton } from '@/lib/process-singletons';

/**
 * Rate limits of the public booking write endpoints (create, cancel, reschedule) — rate-limiter-flexible,
 * memory store (per process). AKI_RATE_LIMIT = requests per minute per client; 0 turns both limits off
 * (load tests).
 *
 * - Per client (the socket address, or what our proxy saw — lib/client-address.ts, so a client cannot
 *   pick its bucket): every request counts, junk included; a flood only ever locks out its sender.
 * - Per page, a backstop against many clients together: PAGE_FACTOR × AKI_RATE_LIMIT *writes* per
 *   minute (bookings made, rescheduled, cancelled). Only a write that happened is counted, so invalid
 *   bodies, unknown or taken slots and replays never spend it and cannot lock a page for real guests.
 */

export const PAGE_FACTOR = 5;

type Limiters = { perMinute: number; client: RateLimiterMemory; page: RateLimiterMemory };
const store = processSingleton('bookings:rate-limiters', (): { current?: Limiters } => ({}));

function limiters(perMinute: number): Limiters | null {
  if (perMinute <= 0) return null;
  const current = store.current;
  if (current && current.perMinute === perMinute) return current;
  const created: Limiters = {
    perMinute,
    client: new RateLimiterMemory({ keyPrefix: 'booking-client', points: perMinute, duration: 60 }),
    page: new RateLimiterMemory({ keyPrefix: 'booking-page', points: perMinute * PAGE_FACTOR, duration: 60 }),
  };
  store.current = created;
  return created;
}

const rateLimited = (msBeforeNext: number) =>
  new AppError('rate_limited', 'Too many requests; try again shortly', { retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) });

/** Spends one request of the client's allowance; throws AppError('rate_limited', {retryAfterSeconds}) when it is used up. */
export async function consumeClientRequest(clientKey: string | null | undefined): Promise<void> {
  const limits = limiters(env().rateLimitPerMinute);
  if (!limits || !clientKey) return;
  try {
    await limits.client.consume(clientKey);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(error.msBeforeNext);
    throw error;
  }
}

/** Before a write: rate_limited when the page has had its allowance of writes this minute (spends nothing). */
export async function assertPageWritable(pageKey: string): Promise<void> {
  const limits = limiters(env().rateLimitPerMinute);
  if (!limits) return;
  const used = await limits.page.get(pageKey);
  if (used && used.consumedPoints >= limits.page.points) throw rateLimited(used.msBeforeNext);
}

/** After a write happened: counts it against the page (never throws; the write is done). */
export async function countPageWrite(pageKey: string): Promise<void> {
  const limits = limiters(env().rateLimitPerMinute);
  if (!limits) return;
  await limits.page.penalty(pageKey, 1);
}

/** Tests: forget all counters. */
export function resetBookingRateLimits(): void {
  store.current = undefined;
}
