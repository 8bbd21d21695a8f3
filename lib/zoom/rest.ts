import 'server-only';
import { z } from 'zod';
import { parseJsonPreservingBigInts } from './json';
import {
  ZoomError,
  ZoomMeetingEndedError,
  ZoomMeetingNotFoundError,
  ZoomMeetingStartedError,
  ZoomMissingScopeError,
  ZoomOAuthError,
  ZoomRateLimitedError,
  ZoomUnauthorizedError,
  ZoomUnavailableError,
} from './types';

/**
 * The wire layer: one fetch to Zoom with a timeout, a guarded body parse (Zoom sometimes answers
 * with HTML/XML) and the mapping of failures to the typed errors of lib/zoom/types.ts. No tokens
 * are ever put into error messages or logs.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY_AFTER_MS = 60_000;

export type WireResponse = { status: number; headers: Headers; text: string; body: unknown };

export type WireRequest = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The request may have been acted on when it fails in flight (meeting create): failures are ambiguous. */
  ambiguousOnFailure?: boolean;
};

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL']);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Parses a body that should be JSON; anything else is kept as text only. */
export function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return parseJsonPreservingBigInts(text);
  } catch {
    return null;
  }
}

export async function sendWire(request: WireRequest): Promise<WireResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const path = new URL(request.url).pathname;
  try {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal, redirect: 'manual' });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: parseBody(text) };
  } catch (error) {
    const code = errorCode(error);
    const timedOut = isTimeout(error);
    const notSent = !timedOut && code !== undefined && NOT_SENT_CODES.has(code);
    const ambiguous = Boolean(request.ambiguousOnFailure) && !notSent;
    const what = timedOut ? `timed out after ${timeoutMs} ms` : `failed (${code ?? (error instanceof Error ? error.message : 'network error')})`;
    throw new ZoomUnavailableError(`Zoom ${request.method} ${path} ${what}`, ambiguous);
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

export function untilNextUtcMidnight(nowMs: number): number {
  const now = new Date(nowMs);
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - nowMs;
}

/**
 * The per-host 100 create/update per UTC day limit. Real Zoom answers HTTP 429 code 429 without
 * Retry-After or X-RateLimit-Type ("…daily rate limit (100) of Meeting Create/Update API requests…
 * resume … at GMT 00:00:00"); older spec text: code 300 "A maximum of {n} meetings can be
 * created/updated for a single user in one day". Per-second 429s say "per-second".
 */
const DAILY_MEETING_LIMIT = /daily rate limit|in one day|per day|GMT 00:00/i;

const apiErrorBody = z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() });

/** The scope named in a 4711 message: "…does not contain scopes:[meeting:delete:meeting:admin, meeting:delete:meeting]." */
export function scopeFromMessage(message: string): string {
  const list = /scopes?\s*:?\s*\[([^\]]*)\]/i.exec(message)?.[1];
  const scopes = (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return scopes.find((s) => !/:(admin|master)$/.test(s)) ?? scopes[0] ?? 'unknown';
}

/** Maps a non-2xx REST answer (`{code,message}` or anything else) to a typed error. */
export function apiErrorFrom(response: WireResponse, context: { operation: string; ambiguousOnFailure?: boolean; nowMs?: number }): ZoomError {
  const parsed = apiErrorBody.safeParse(response.body);
  const zoomCode = parsed.success && parsed.data.code !== undefined ? Number(parsed.data.code) : undefined;
  const zoomMessage = parsed.success ? parsed.data.message : undefined;
  const message = `Zoom ${context.operation}: ${response.status}${zoomCode !== undefined ? `/${zoomCode}` : ''} ${zoomMessage ?? (response.text ? 'non-JSON response' : 'empty response')}`.trim();
  const nowMs = context.nowMs ?? Date.now();
  if (response.status === 401) return new ZoomUnauthorizedError(message, zoomCode);
  if (response.status === 400 && zoomCode === 4711) return new ZoomMissingScopeError(scopeFromMessage(zoomMessage ?? ''));
  if (response.status === 404 && zoomCode === 3001) return new ZoomMeetingNotFoundError(message);
  if (response.status === 429 || (zoomCode === 300 && DAILY_MEETING_LIMIT.test(zoomMessage ?? ''))) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), nowMs);
    const daily =
      response.headers.get('x-ratelimit-type')?.toLowerCase() === 'daily-limit' || zoomCode === 300 || DAILY_MEETING_LIMIT.test(zoomMessage ?? '');
    if (daily) return new ZoomRateLimitedError(retryAfter ?? untilNextUtcMidnight(nowMs), true);
    return new ZoomRateLimitedError(retryAfter ?? DEFAULT_RETRY_AFTER_MS);
  }
  if (response.status === 400 && (zoomCode === 3002 || (zoomCode === 3000 && /\bstarted\b|in progress/i.test(zoomMessage ?? '')))) {
    return new ZoomMeetingStartedError(message, zoomCode);
  }
  if (response.status === 400 && zoomCode === 3007) return new ZoomMeetingEndedError(message);
  if (response.status >= 500) return new ZoomUnavailableError(message, Boolean(context.ambiguousOnFailure), response.status);
  return new ZoomError(message, false, response.status, zoomCode);
}

const oauthErrorBody = z.object({ error: z.string().optional(), reason: z.string().optional(), error_description: z.string().optional() });

/** Maps a non-2xx answer of /oauth/token or /oauth/revoke (`{reason,error}`) to a typed error. */
export function oauthErrorFrom(response: WireResponse, operation: string): ZoomError {
  if (response.status >= 500) return new ZoomUnavailableError(`Zoom ${operation}: ${response.status}`, false, response.status);
  if (response.status === 429) {
    return new ZoomRateLimitedError(parseRetryAfter(response.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS);
  }
  const parsed = oauthErrorBody.safeParse(response.body);
  const error = parsed.success ? (parsed.data.error ?? 'invalid_request') : 'invalid_response';
  const reason = parsed.success ? (parsed.data.reason ?? parsed.data.error_description ?? '') : response.text.slice(0, 200);
  return new ZoomOAuthError(error, reason, response.status);
}

/** invalid_grant, or Zoom's older invalid_request "Invalid Token!": the refresh token is dead. */
export function isDeadGrant(error: unknown): boolean {
  if (!(error instanceof ZoomOAuthError)) return false;
  if (error.oauthError === 'invalid_grant') return true;
  return error.oauthError === 'invalid_request' && /invalid token/i.test(error.reason);
}
