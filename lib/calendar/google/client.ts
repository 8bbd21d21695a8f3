import 'server-only';
import { type calendar_v3, google } from 'googleapis';
import { decryptSecret } from '@/lib/crypto';
import { env } from '@/lib/env';
import { IntegrationError, type IntegrationErrorFacts, type IntegrationReason, isIntegrationError, parseRetryAfter } from '@/lib/errors';
import { markGoogleRevoked, persistGoogleTokens } from './mutations';
import { createGoogleOAuthClient, type GoogleOAuthClient } from './oauth';
import { type GoogleConnectionRow, getGoogleConnection } from './queries';

/**
 * An authorised Calendar v3 client for one host. The OAuth2 client refreshes expired access tokens
 * itself (before expiry, and once on a 401); every token it obtains is written back encrypted
 * before the call returns. Failures come out as IntegrationError (lib/errors.ts) with provider 'google'.
 */

export type GoogleSession = {
  connection: GoogleConnectionRow;
  auth: GoogleOAuthClient;
  calendar: calendar_v3.Calendar;
  /** Pass as the per-call options of every API method: see `calendarCallOptions`. */
  call: GoogleCallOptions;
};

export type GoogleCallOptions = { rootUrl: string; timeout: number; retry: false };

/**
 * googleapis resolves a client-level `rootUrl` with `new URL('/calendar/v3/…', rootUrl)`, which drops
 * any path in it (the in-app emulator lives under /api/emulators/google). A per-call `rootUrl` is
 * concatenated instead, so every call passes these options.
 * retry:false — the booking pipeline owns retries (with backoff and Retry-After); slot lookups have a budget.
 */
export function calendarCallOptions(timeoutMs: number): GoogleCallOptions {
  return { rootUrl: `${env().google.apiUrl}/`, timeout: timeoutMs, retry: false };
}

/** Default per-request timeout for writes; busy lookups pass their own, shorter budget. */
export const GOOGLE_WRITE_TIMEOUT_MS = 10_000;

export function calendarClient(auth: GoogleOAuthClient): calendar_v3.Calendar {
  return google.calendar({ version: 'v3', auth });
}

type ErrorLike = Error & {
  status?: number;
  code?: string | number;
  response?: { status?: number; data?: unknown; headers?: { get?: (name: string) => string | null } };
};

function errorData(error: ErrorLike): unknown {
  return error.response?.data;
}

function oauthErrorCode(error: ErrorLike): string | null {
  const data = errorData(error);
  if (data && typeof data === 'object' && 'error' in data && typeof data.error === 'string') return data.error;
  return null;
}

function apiReasons(error: ErrorLike): string[] {
  const data = errorData(error);
  if (!data || typeof data !== 'object' || !('error' in data)) return [];
  const inner = data.error;
  if (!inner || typeof inner !== 'object' || !('errors' in inner) || !Array.isArray(inner.errors)) return [];
  return inner.errors.flatMap((e: unknown) => (e && typeof e === 'object' && 'reason' in e && typeof e.reason === 'string' ? [e.reason] : []));
}

const retryAfterMs = (error: ErrorLike): number | undefined => parseRetryAfter(error.response?.headers?.get?.('retry-after')) ?? undefined;

const googleError = (reason: IntegrationReason, message: string, facts?: IntegrationErrorFacts) => new IntegrationError('google', reason, message, facts);

export function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as ErrorLike;
  return e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
}

/** True when the failure means the refresh token is dead: the link is revoked. */
export function isInvalidGrant(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as ErrorLike;
  return oauthErrorCode(e) === 'invalid_grant' || e.message === 'invalid_grant' || /No refresh token is set/.test(e.message);
}

/** Maps a googleapis / gaxios failure to an IntegrationError (does not touch the database). */
export function toGoogleError(error: unknown, operation: string): IntegrationError {
  if (error instanceof IntegrationError) return error;
  if (isInvalidGrant(error)) return googleError('revoked', `Google ${operation}: access was revoked (invalid_grant)`, { revokedReason: 'invalid_grant', cause: error });
  const e = (error instanceof Error ? error : new Error(String(error))) as ErrorLike;
  const status = httpStatusOf(e);
  const text = `Google ${operation} failed${status ? ` (${status})` : ''}: ${e.message}`.slice(0, 500);
  // No answer at all: connection refused/reset, DNS, timeout or abort. Google may or may not have acted.
  if (status === undefined) return googleError('unavailable', text, { cause: error });
  const reasons = apiReasons(e);
  const facts = { status, cause: error };
  if (status === 429 || (status === 403 && reasons.some((r) => /rateLimitExceeded|quotaExceeded/.test(r)))) {
    return googleError('rate_limited', text, { ...facts, retryAfterMs: retryAfterMs(e) });
  }
  if (status >= 500) return googleError('unavailable', text, { ...facts, retryAfterMs: retryAfterMs(e) });
  if (status === 404 || status === 410) return googleError('not_found', text, facts);
  if (status === 401) return googleError('unauthorized', text, facts);
  if (status === 403) return googleError('forbidden', text, facts);
  if (status === 408) return googleError('unavailable', text, facts);
  return googleError('invalid_request', text, facts);
}

/** Builds the authorised client for a stored connection; `tokenWrites` collects the persistence of refreshed tokens. */
export function sessionFor(connection: GoogleConnectionRow, timeoutMs: number, tokenWrites: Promise<void>[]): GoogleSession {
  const auth = createGoogleOAuthClient();
  auth.setCredentials({
    access_token: decryptSecret(connection.accessTokenEnc),
    refresh_token: connection.refreshTokenEnc ? decryptSecret(connection.refreshTokenEnc) : undefined,
    expiry_date: connection.accessTokenExpiresAt?.getTime(),
    token_type: 'Bearer',
  });
  auth.on('tokens', (tokens) => {
    if (!tokens.access_token) return;
    tokenWrites.push(
      persistGoogleTokens(connection.userId, {
        accessToken: tokens.access_token,
        expiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
        refreshToken: tokens.refresh_token ?? null,
      }).catch((error) => console.error('[google] could not store refreshed tokens', error)),
    );
  });
  return { connection, auth, calendar: calendarClient(auth), call: calendarCallOptions(timeoutMs) };
}

/**
 * Runs `fn` with an authorised client for the host. Not linked → IntegrationError not_connected; link
 * revoked (before or during the call) → IntegrationError revoked, after marking it and telling the host.
 */
export async function withGoogle<T>(
  userId: string,
  operation: string,
  fn: (session: GoogleSession) => Promise<T>,
  options: { timeoutMs?: number; connection?: GoogleConnectionRow } = {},
): Promise<T> {
  const connection = options.connection ?? (await getGoogleConnection(userId));
  if (!connection) throw googleError('not_connected', 'Google Calendar is not connected');
  if (connection.status === 'revoked') {
    const revokedReason = connection.revokedReason ?? 'revoked';
    throw googleError('revoked', `Google Calendar link revoked (${revokedReason})`, { revokedReason });
  }
  const tokenWrites: Promise<void>[] = [];
  try {
    return await fn(sessionFor(connection, options.timeoutMs ?? GOOGLE_WRITE_TIMEOUT_MS, tokenWrites));
  } catch (error) {
    const mapped = toGoogleError(error, operation);
    if (isIntegrationError(mapped, 'revoked')) await markGoogleRevoked(userId, 'invalid_grant');
    throw mapped;
  } finally {
    await Promise.all(tokenWrites);
  }
}
