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

export type IntegrationProvider = 'zoom' | 'google';

/**
 * Why a call to an integration failed — the one vocabulary of Zoom and Google failures (a closed
 * union: each boundary maps it once — step outcomes in lib/bookings/effects/outcomes.ts, HTTP through
 * `appErrorFor` below).
 */
export type IntegrationReason =
  /** The host has no link to the provider. */
  | 'not_connected'
  /** The link was revoked (invalid_grant, app deauthorised): the host must reconnect. */
  | 'revoked'
  /** The token lacks a scope (`scope`): the host must re-authorise with it. */
  | 'missing_scope'
  /** 401 from the API (Zoom: the client refreshes once and retries). */
  | 'unauthorized'
  /** 403 that is not a rate limit: the host's account may not do this. */
  | 'forbidden'
  /** A short-term rate limit; `retryAfterMs` from Retry-After or a default. */
  | 'rate_limited'
  /** Zoom's 100 create/update per host per UTC day: nothing succeeds before `resetAt`. */
  | 'daily_limit'
  /** Network failure, timeout or 5xx: the provider may or may not have acted (`ambiguous`). */
  | 'unavailable'
  /** The object (meeting, event) does not exist (deleted, expired). */
  | 'not_found'
  /** Zoom refuses to change a meeting that has started / is in progress. */
  | 'meeting_started'
  /** Zoom refuses to delete a meeting that has ended. */
  | 'meeting_ended'
  /** Reconciliation could not prove that no meeting carries the booking's marker (the list was cut short). */
  | 'lookup_incomplete'
  /** An OAuth endpoint (token, revoke) refused: `oauthError` is the OAuth error string, `oauthReason` the provider's text. */
  | 'oauth_refused'
  /** A 2xx answer whose body is not what the API documents. */
  | 'unexpected_response'
  /** Zoom's 400 code 200: the feature needs a paid plan (past participants lists, registration…). Not retryable. */
  | 'plan_required'
  /** Any other 4xx: the request itself was refused. */
  | 'invalid_request';

/** Trying again later can help by default (a constructor may say otherwise). */
const RETRYABLE_BY_DEFAULT: ReadonlySet<IntegrationReason> = new Set(['rate_limited', 'daily_limit', 'unavailable', 'unexpected_response']);

export type IntegrationErrorFacts = {
  retryable?: boolean;
  retryAfterMs?: number;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  /** The provider's own error code (Zoom's `code`). */
  providerCode?: number | string;
  /** The provider's own words (Zoom's `message`), kept so a screen can show what Zoom answered (never contains tokens). */
  providerMessage?: string;
  /** unavailable: the request may have been acted on (a create that timed out) — reconcile before repeating it. */
  ambiguous?: boolean;
  /** missing_scope: the scope the token lacks. */
  scope?: string;
  /** daily_limit: when the provider's day starts again. */
  resetAt?: Date;
  /** revoked: why the link is dead (stored on the link: invalid_grant, admin_disabled, …). */
  revokedReason?: string;
  /** oauth_refused: the OAuth error string (invalid_grant, invalid_client, …) and the provider's text. */
  oauthError?: string;
  oauthReason?: string;
  cause?: unknown;
};

/** A failed call to Zoom or Google. No tokens are ever put into its message. */
export class IntegrationError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly providerCode: number | string | undefined;
  readonly providerMessage: string | undefined;
  readonly ambiguous: boolean;
  readonly scope: string | undefined;
  readonly resetAt: Date | undefined;
  readonly revokedReason: string | undefined;
  readonly oauthError: string | undefined;
  readonly oauthReason: string | undefined;

  constructor(
    readonly provider: IntegrationProvider,
    readonly reason: IntegrationReason,
    message: string,
    facts: IntegrationErrorFacts = {},
  ) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.name = 'IntegrationError';
    this.retryable = facts.retryable ?? RETRYABLE_BY_DEFAULT.has(reason);
    this.retryAfterMs = facts.retryAfterMs;
    this.status = facts.status;
    this.providerCode = facts.providerCode;
    this.providerMessage = facts.providerMessage;
    this.ambiguous = facts.ambiguous ?? false;
    this.scope = facts.scope;
    this.resetAt = facts.resetAt;
    this.revokedReason = facts.revokedReason;
    this.oauthError = facts.oauthError;
    this.oauthReason = facts.oauthReason;
  }
}

export const isIntegrationError = (error: unknown, reason?: IntegrationReason): error is IntegrationError =>
  error instanceof IntegrationError && (reason === undefined || error.reason === reason);

const PROVIDER_NAME: Record<IntegrationProvider, string> = { zoom: 'Zoom', google: 'Google Calendar' };

/** An integration failure at a user-facing boundary (route, server action): the AppError it means there. */
export function appErrorFor(error: IntegrationError): AppError {
  switch (error.reason) {
    case 'revoked':
    case 'missing_scope':
      return new AppError('integration_revoked', error.message);
    case 'not_connected':
      return new AppError('integration_not_connected', error.message);
    case 'rate_limited':
    case 'daily_limit':
      return new AppError('rate_limited', error.message, error.retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) });
    case 'not_found':
      return new AppError('not_found', `The ${PROVIDER_NAME[error.provider]} ${error.provider === 'zoom' ? 'meeting' : 'event'} no longer exists`);
    case 'unavailable':
      return new AppError('integration_unavailable', error.message);
    default:
      return new AppError('integration_error', error.message);
  }
}

/**
 * Retry-After as delta-seconds or an HTTP date (Zoom's daily limit sends a date). Returns
 * milliseconds from `nowMs`, never negative; null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}
