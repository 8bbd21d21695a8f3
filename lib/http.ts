import { ZodError } from 'zod';
import { clientAddress } from '@/lib/client-address';
import { env } from '@/lib/env';
import { AppError, HTTP_STATUS, isAppError } from '@/lib/errors';

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

/** Reads a JSON body; a malformed body is a 422 with a clear code, never a 500. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError('invalid_input', 'Body must be valid JSON', { fields: { _: 'invalid_json' } });
  }
}

/**
 * Wraps a route handler: AppError and ZodError become their JSON status; anything else is logged and
 * answered 500 with a generic body (no stack traces to clients).
 */
export function withErrors<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (isAppError(error)) return errorResponse(error);
      if (error instanceof ZodError) return errorResponse(invalidInput(error));
      console.error('[api] unexpected error', error);
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
