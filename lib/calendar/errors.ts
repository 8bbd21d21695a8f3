/**
 * A failed calendar call, typed for the booking pipeline: `retryable` says whether trying again later
 * can help (network, timeouts, 5xx, rate limits); `revoked` says the host must reconnect (the link
 * is already marked revoked and the host told when this is thrown).
 */
export type CalendarErrorReason =
  | 'not_connected'
  | 'revoked'
  | 'unavailable'
  | 'rate_limited'
  | 'not_found'
  | 'forbidden'
  | 'unauthorized'
  | 'invalid'
  | 'unknown';

export class CalendarError extends Error {
  readonly reason: CalendarErrorReason;
  readonly retryable: boolean;
  readonly revoked: boolean;
  readonly status: number | undefined;
  /** From Retry-After on 429/403 rate limits, when Google sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    reason: CalendarErrorReason,
    message: string,
    options: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CalendarError';
    this.reason = reason;
    this.retryable = options.retryable;
    this.revoked = reason === 'revoked';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export const isCalendarError = (error: unknown): error is CalendarError => error instanceof CalendarError;
