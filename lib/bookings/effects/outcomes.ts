import { IntegrationError } from '@/lib/errors';
import type { ZoomProblemCode } from '@/lib/bookings/notifications';
import { errorMessage, type StepContext, type StepOutcome, zoomMarker } from './context';

/**
 * The one mapping of an integration failure (lib/errors.ts IntegrationError, Zoom or Google) to what
 * the pipeline does with it: the step outcome, and the problem the host is told about.
 */

/** Revoked / not connected / missing scope: retried slowly until the host reconnects (wakeZoomSteps / wakeCalendarSteps pull it forward). */
export const RECONNECT_WAIT_MS = 15 * 60_000;
/** A transient failure this many times in a row tells the host (once per booking). */
const TELL_HOST_AFTER_ATTEMPTS = 3;

/** The step error (and notice) of a reconciliation that could not prove the meeting absent. */
export const UNVERIFIED =
  'Aki could not confirm at Zoom whether this booking already has a meeting, so it did not create one (that could make a duplicate). Check your Zoom meetings for one whose description contains';

/** The host-notice problem an integration failure is (the host mail's `code`); 'failed' for anything else. */
export function problemCodeFor(error: unknown): ZoomProblemCode {
  if (!(error instanceof IntegrationError)) return 'failed';
  switch (error.reason) {
    case 'revoked':
    case 'not_connected':
    case 'missing_scope':
    case 'unavailable':
      return error.reason;
    case 'rate_limited':
    case 'daily_limit':
      return 'rate_limited';
    case 'lookup_incomplete':
      return 'unverified';
    default:
      return 'failed';
  }
}

/** Honours Retry-After: never earlier, plus a little jitter so a host's queued steps spread out. */
const afterRetryAfter = (ms: number) => ms + Math.round(Math.random() * Math.min(5_000, ms * 0.1));

export type FailureOutcome = {
  outcome: StepOutcome;
  /** What to tell the host about, if anything (the step decides whether it tells: only the create does today). */
  notice: { code: ZoomProblemCode; detail: string } | null;
};

/**
 * How a step ends after `error`: anything that is not an IntegrationError is retried with backoff.
 * - revoked / not_connected / missing_scope: wait for the host (not an attempt), and tell them;
 * - daily_limit: wait until the provider's day starts again (not an attempt; nothing succeeds before);
 * - rate_limited: retry after Retry-After;
 * - unavailable: retry (remembering an ambiguous create, to reconcile first); the host hears after a few;
 * - lookup_incomplete: fail — creating could make a second meeting; the host must look;
 * - anything else: retry when `retryable`, else fail.
 */
export function failureOutcome(ctx: StepContext, error: unknown): FailureOutcome {
  const message = errorMessage(error);
  if (!(error instanceof IntegrationError)) return { outcome: { type: 'retry', error: message }, notice: null };
  const notice = { code: problemCodeFor(error), detail: message };
  switch (error.reason) {
    case 'revoked':
    case 'not_connected':
    case 'missing_scope':
      return { outcome: { type: 'wait', error: message, delayMs: RECONNECT_WAIT_MS }, notice };
    case 'daily_limit': {
      const delayMs = error.retryAfterMs ?? RECONNECT_WAIT_MS;
      return { outcome: { type: 'wait', error: message, delayMs: delayMs + Math.round(Math.random() * 60_000) }, notice };
    }
    case 'rate_limited':
      return {
        outcome: { type: 'retry', error: message, delayMs: error.retryAfterMs === undefined ? undefined : afterRetryAfter(error.retryAfterMs) },
        notice,
      };
    case 'unavailable':
      return {
        outcome: { type: 'retry', error: message, payload: error.ambiguous ? { ambiguous: true } : undefined },
        notice: ctx.step.attempts >= TELL_HOST_AFTER_ATTEMPTS ? notice : null,
      };
    case 'lookup_incomplete': {
      // Creating now might make a second meeting: stop and let the host look (Retry reconciles again).
      const explained = `${UNVERIFIED} "${zoomMarker(ctx.booking.uid)}", delete any extra one, then press Retry. (${message})`;
      return { outcome: { type: 'fail', error: explained }, notice: { code: 'unverified', detail: explained } };
    }
    default:
      return { outcome: error.retryable ? { type: 'retry', error: message } : { type: 'fail', error: message }, notice: null };
  }
}
