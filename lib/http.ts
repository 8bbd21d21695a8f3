import { ZodError } from 'zod';
import { clientAddress } from '@/lib/client-address';
import { env } from '@/lib/env';
import { AppError, appErrorFor, HTTP_STATUS, IntegrationError, isAppError } from '@/lib/errors';
import { defaultLog } from '@/lib/log';
import { unusablePathSegment } from '@/lib/text-input';

/** JSON error body used by every API route: {"error":{"code","message","fields"?}}. */
export function errorResponse(error: AppError): Response {
  const headers: Record<string, string> = {};
  if (error.details.retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.ceil(error.details.retryAfterSeconds));
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.details.fields) body.fields = error.details.fields;
  return Response.json({ error: body }, { status: HTTP_STATUS[error.code], headers });
}

/** zod issues → {"a.b": "message"} for 422 responses and forms. */
export function fieldErrors(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

export const invalidInput = (error: ZodError) => new AppError('invalid_input', 'Invalid input', { fields: fieldErrors(error) });

/**
 * Body caps, checked BEFORE anything else looks at a request (auth and signatures included): an
 * unauthenticated client must not be able to make the server buffer megabytes. No real request
 * comes close: a Zoom event is a few KB, a guest booking under 10 KB, the largest booking page the
 * schema accepts (lib/booking-pages/schema.ts limits) well under 1 MB.
 */
export const BODY_LIMITS = {
  webhook: 256 * 1024,
  publicJson: 64 * 1024,
  hostApi: 1024 * 1024,
} as const;

const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `Request body is larger than ${maxBytes} bytes`, { maxBytes });

/**
 * Reads a request body as UTF-8 text, at most `maxBytes` of it: a Content-Length over the cap is
 * refused without reading; otherwise the stream is counted as it arrives (Content-Length can lie,
 * and chunked bodies have none) and cancelled as soon as it passes the cap → 413 `payload_too_large`.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * Reads a JSON body of at most `maxBytes` (413 past it); a malformed body is a 422 with a clear code,
 * never a 500. `allowEmpty`: an empty body reads as null (endpoints whose body is optional).
 */
export async function readJson(request: Request, maxBytes: number = BODY_LIMITS.publicJson, opts: { allowEmpty?: boolean } = {}): Promise<unknown> {
  const text = await readBodyText(request, maxBytes);
  if (opts.allowEmpty && text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_input', 'Body must be valid JSON', { fields: { _: 'invalid_json' } });
  }
}

/**
 * A route's dynamic segments, refused as 404 when one cannot name anything (NUL or other control
 * characters, absurd length): such a value would otherwise reach Postgres, which refuses NUL with a 500.
 */
export async function routeParams<T extends Record<string, string>>(params: Promise<T>): Promise<T> {
  const value = await params;
  if (Object.values(value).some(unusablePathSegment)) throw new AppError('not_found', 'Not found');
  return value;
}

/**
 * What a thrown value means at a boundary (route or server action): an AppError as it is, an
 * IntegrationError or a ZodError translated into one; null for the unexpected, which the boundary logs.
 */
export function asAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (error instanceof IntegrationError) return appErrorFor(error);
  if (error instanceof ZodError) return invalidInput(error);
  return null;
}

/**
 * Wraps a route handler: AppError, IntegrationError (lib/errors.ts appErrorFor: rate limits 429 with
 * Retry-After, an unreachable provider 503, …) and ZodError become their JSON status; anything else is
 * logged and answered 500 with a generic body (no stack traces to clients).
 */
export function withErrors<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      const known = asAppError(error);
      if (known) return errorResponse(known);
      defaultLog({ level: 'error', msg: 'route failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return Response.json({ error: { code: 'internal', message: 'Something went wrong' } }, { status: 500 });
    }
  };
}

/**
 * The client address for rate limiting, from a request (route handlers) or its headers (server actions:
 * `await headers()`): the socket address, or with TRUST_PROXY = N the address the N-th proxy saw
 * (lib/client-address.ts). Never what the client itself put in X-Forwarded-For.
 */
export function clientIp(source: Request | Pick<Headers, 'get'>): string {
  // Not `'headers' in source`: Next's headers() object (HeadersAdapter) has a `headers` field of its own.
  return clientAddress(source instanceof Request ? source.headers : source, env().trustProxy);
}
