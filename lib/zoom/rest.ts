import 'server-only';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { type IntegrationErrorFacts, IntegrationError, type IntegrationReason, parseRetryAfter } from '@/lib/errors';
import { parseJsonPreservingBigInts } from './json';

/**
 * The wire layer: one request to Zoom with a timeout, a guarded body parse (Zoom sometimes answers
 * with HTML/XML) and the mapping of failures to IntegrationError (lib/errors.ts). No tokens are ever
 * put into error messages or logs.
 *
 * node:http(s) rather than fetch: the same exchange on Node's keep-alive global agents costs a third
 * of fetch's CPU (no WHATWG Request/Response/stream objects), and every booking makes one. Redirects
 * are not followed (as fetch's redirect: 'manual'); no Accept-Encoding is sent, so bodies come plain.
 */

export const zoomError = (reason: IntegrationReason, message: string, facts?: IntegrationErrorFacts) => new IntegrationError('zoom', reason, message, facts);

/**
 * 429 (or the older 300 "maximum … meetings can be created/updated … in one day"): `retryAfterMs`
 * from Retry-After, the time to the next 00:00 UTC for the per-host daily create/update limit
 * (`daily_limit`; Zoom sends no Retry-After then), or a default backoff.
 */
function zoomRateLimited(retryAfterMs: number, daily = false, nowMs = Date.now()): IntegrationError {
  return daily
    ? zoomError('daily_limit', `Zoom daily meeting create/update limit reached; retry after 00:00 UTC (${Math.round(retryAfterMs / 60_000)} min)`, {
        retryAfterMs,
        resetAt: new Date(nowMs + retryAfterMs),
        status: 429,
      })
    : zoomError('rate_limited', `Zoom rate limit; retry after ${Math.round(retryAfterMs / 1000)} s`, { retryAfterMs, status: 429 });
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Reads a response header by name (case-insensitive), null when absent: the one use callers make of headers. */
export type HeaderReader = { get(name: string): string | null };
export type WireResponse = { status: number; headers: HeaderReader; text: string; body: unknown };

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

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL', 'ERR_INVALID_PROTOCOL']);

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

function headerReader(headers: IncomingHttpHeaders): HeaderReader {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** One HTTP exchange, body read in full; rejects on any network error or when `signal` aborts. */
function exchange(request: WireRequest, url: URL, signal: AbortSignal): Promise<Omit<WireResponse, 'body'>> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    const req = transport.request(url, { method: request.method, headers, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: headerReader(res.headers), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

export async function sendWire(request: WireRequest): Promise<WireResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  let path = '(invalid URL)';
  try {
    const url = new URL(request.url);
    path = url.pathname;
    const answer = await exchange(request, url, signal);
    return { ...answer, body: parseBody(answer.text) };
  } catch (error) {
    const code = errorCode(error);
    // However the abort surfaced (AbortError, or the socket error of a response cut mid-body), the signal says what it was.
    const timedOut = signal.aborted || isTimeout(error);
    const notSent = !timedOut && code !== undefined && NOT_SENT_CODES.has(code);
    const ambiguous = Boolean(request.ambiguousOnFailure) && !notSent;
    const what = timedOut ? `timed out after ${timeoutMs} ms` : `failed (${code ?? (error instanceof Error ? error.message : 'network error')})`;
    throw zoomError('unavailable', `Zoom ${request.method} ${path} ${what}`, { ambiguous, cause: error });
  }
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
export function apiErrorFrom(response: WireResponse, context: { operation: string; ambiguousOnFailure?: boolean; nowMs?: number }): IntegrationError {
  const parsed = apiErrorBody.safeParse(response.body);
  const zoomCode = parsed.success && parsed.data.code !== undefined ? Number(parsed.data.code) : undefined;
  const zoomMessage = parsed.success ? parsed.data.message : undefined;
  const message = `Zoom ${context.operation}: ${response.status}${zoomCode !== undefined ? `/${zoomCode}` : ''} ${zoomMessage ?? (response.text ? 'non-JSON response' : 'empty response')}`.trim();
  const nowMs = context.nowMs ?? Date.now();
  const facts = { status: response.status, providerCode: zoomCode, providerMessage: zoomMessage };
  if (response.status === 401) return zoomError('unauthorized', message, { ...facts, retryable: true });
  if (response.status === 400 && zoomCode === 4711) {
    const scope = scopeFromMessage(zoomMessage ?? '');
    return zoomError('missing_scope', `Zoom token lacks the scope ${scope}`, { ...facts, scope });
  }
  if (response.status === 404 && zoomCode === 3001) return zoomError('not_found', message, facts);
  // "Only available for paid users" (past meeting participants, reports on a Basic account).
  if (response.status === 400 && zoomCode === 200) return zoomError('plan_required', message, facts);
  if (response.status === 429 || (zoomCode === 300 && DAILY_MEETING_LIMIT.test(zoomMessage ?? ''))) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), nowMs);
    const daily =
      response.headers.get('x-ratelimit-type')?.toLowerCase() === 'daily-limit' || zoomCode === 300 || DAILY_MEETING_LIMIT.test(zoomMessage ?? '');
    if (daily) return zoomRateLimited(retryAfter ?? untilNextUtcMidnight(nowMs), true, nowMs);
    return zoomRateLimited(retryAfter ?? DEFAULT_RETRY_AFTER_MS, false, nowMs);
  }
  if (response.status === 400 && (zoomCode === 3002 || (zoomCode === 3000 && /\bstarted\b|in progress/i.test(zoomMessage ?? '')))) {
    return zoomError('meeting_started', message, facts);
  }
  if (response.status === 400 && zoomCode === 3007) return zoomError('meeting_ended', message, facts);
  if (response.status >= 500) return zoomError('unavailable', message, { ...facts, ambiguous: Boolean(context.ambiguousOnFailure) });
  return zoomError('invalid_request', message, facts);
}

const oauthErrorBody = z.object({ error: z.string().optional(), reason: z.string().optional(), error_description: z.string().optional() });

/** Maps a non-2xx answer of /oauth/token or /oauth/revoke (`{reason,error}`) to a typed error. */
export function oauthErrorFrom(response: WireResponse, operation: string): IntegrationError {
  if (response.status >= 500) return zoomError('unavailable', `Zoom ${operation}: ${response.status}`, { status: response.status });
  if (response.status === 429) return zoomRateLimited(parseRetryAfter(response.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS);
  const parsed = oauthErrorBody.safeParse(response.body);
  const oauthError = parsed.success ? (parsed.data.error ?? 'invalid_request') : 'invalid_response';
  const oauthReason = parsed.success ? (parsed.data.reason ?? parsed.data.error_description ?? '') : response.text.slice(0, 200);
  return zoomError('oauth_refused', `Zoom OAuth error ${oauthError}: ${oauthReason}`, { status: response.status, providerCode: oauthError, oauthError, oauthReason });
}

/** invalid_grant, or Zoom's older invalid_request "Invalid Token!": the refresh token is dead. */
export function isDeadGrant(error: unknown): error is IntegrationError {
  if (!(error instanceof IntegrationError) || error.reason !== 'oauth_refused') return false;
  if (error.oauthError === 'invalid_grant') return true;
  return error.oauthError === 'invalid_request' && /invalid token/i.test(error.oauthReason ?? '');
}
