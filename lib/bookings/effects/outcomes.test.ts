import { describe, expect, it } from 'vitest';
import { IntegrationError } from '@/lib/errors';
import type { StepContext } from './context';
import { failureOutcome, problemCodeFor, RECONNECT_WAIT_MS, UNVERIFIED } from './outcomes';

/** Only what the mapping reads: the step's attempt count and the booking uid. */
const ctx = (attempts = 1) => ({ step: { attempts }, booking: { uid: 'u1' } }) as unknown as StepContext;
const zoom = (reason: IntegrationError['reason'], facts = {}) => new IntegrationError('zoom', reason, `zoom ${reason}`, facts);

describe('failureOutcome: one mapping of integration failures to steps and host notices', () => {
  it('waits for the host on revoked / not connected / missing scope, and tells them', () => {
    for (const reason of ['revoked', 'not_connected', 'missing_scope'] as const) {
      expect(failureOutcome(ctx(), zoom(reason))).toEqual({
        outcome: { type: 'wait', error: `zoom ${reason}`, delayMs: RECONNECT_WAIT_MS },
        notice: { code: reason, detail: `zoom ${reason}` },
      });
    }
    expect(failureOutcome(ctx(), new IntegrationError('google', 'revoked', 'g')).outcome.type).toBe('wait');
  });

  it('honours Retry-After (never earlier); the daily limit waits without using up an attempt', () => {
    const limited = failureOutcome(ctx(), zoom('rate_limited', { retryAfterMs: 10_000 }));
    expect(limited.outcome).toMatchObject({ type: 'retry' });
    expect((limited.outcome as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(10_000);
    expect(limited.notice?.code).toBe('rate_limited');
    const daily = failureOutcome(ctx(), zoom('daily_limit', { retryAfterMs: 3_600_000 }));
    expect(daily.outcome).toMatchObject({ type: 'wait' });
    expect((daily.outcome as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(3_600_000);
    expect(daily.notice?.code).toBe('rate_limited');
    // Google without Retry-After: the worker's backoff decides.
    expect(failureOutcome(ctx(), new IntegrationError('google', 'rate_limited', 'g')).outcome).toEqual({ type: 'retry', error: 'g', delayMs: undefined });
  });

  it('retries an outage (remembering an ambiguous create) and tells the host only after a few attempts', () => {
    expect(failureOutcome(ctx(1), zoom('unavailable', { ambiguous: true }))).toEqual({
      outcome: { type: 'retry', error: 'zoom unavailable', payload: { ambiguous: true } },
      notice: null,
    });
    expect(failureOutcome(ctx(3), zoom('unavailable')).notice?.code).toBe('unavailable');
  });

  it('fails an unprovable lookup with the marker, and fails / retries the rest by `retryable`', () => {
    const lookup = failureOutcome(ctx(), zoom('lookup_incomplete'));
    expect(lookup.outcome).toMatchObject({ type: 'fail' });
    const { error } = lookup.outcome as { error: string };
    expect(error.startsWith(UNVERIFIED)).toBe(true);
    expect(error).toContain('"aki:u1"');
    expect(lookup.notice?.code).toBe('unverified');
    expect(failureOutcome(ctx(), zoom('invalid_request')).outcome.type).toBe('fail');
    expect(failureOutcome(ctx(), zoom('unexpected_response')).outcome.type).toBe('retry');
    expect(failureOutcome(ctx(), new Error('boom')).outcome).toEqual({ type: 'retry', error: 'boom' });
    expect(problemCodeFor(new Error('boom'))).toBe('failed');
  });
});
