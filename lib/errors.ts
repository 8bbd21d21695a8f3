/**
 * The one application error. Its code is a closed union; each boundary maps it once
 * (HTTP status in lib/http.ts, action results in server actions).
 */
export type AppErrorCode =
  | 'unauthorized'
  /** Refused whoever asks (a cross-origin server action): 403. Another host's objects are not_found, never this. */
  | 'forbidden'
  | 'not_found'
  | 'invalid_input'
  /** A malformed query/path parameter of a read (GET) endpoint: 400, unlike a bad body (422). */
  | 'invalid_parameter'
  /** A request body over its route's cap (lib/http.ts BODY_LIMITS): 413, refused while reading. */
  | 'payload_too_large'
  | 'slot_unavailable'
  /** An Idempotency-Key sent again with a different request body (Stripe's contract): 422. */
  | 'idempotency_key_reused'
  | 'conflict'
  | 'rate_limited'
  | 'integration_not_connected'
  | 'integration_revoked'
  | 'integration_unavailable'
  | 'integration_error'
  | 'not_configured';

export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  constructor(
    public readonly code: AppErrorCode,
    message?: string,
    public readonly details: { fields?: FieldErrors; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 422,
  invalid_parameter: 400,
  payload_too_large: 413,
  slot_unavailable: 409,
  idempotency_key_reused: 422,
  conflict: 409,
  rate_limited: 429,
  integration_not_connected: 409,
  integration_revoked: 409,
  integration_unavailable: 503,
  integration_error: 502,
  not_configured: 503,
};
