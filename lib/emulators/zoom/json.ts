import { randomBytes } from 'node:crypto';

/**
 * Zoom sends meeting ids as int64 JSON numbers. JSON.stringify cannot write a bigint, and a JS
 * number would lose precision above 2^53, so bigints are written through a sentinel string that
 * is replaced by the bare digits afterwards. The sentinel carries a per-process nonce so no string
 * value coming from a client can be mistaken for it.
 */
const NONCE = randomBytes(6).toString('hex');
const SENTINEL = new RegExp(`"__int64_${NONCE}_(-?\\d+)__"`, 'g');

export function stringifyWithInt64(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `__int64_${NONCE}_${v.toString()}__` : v));
  return text.replace(SENTINEL, '$1');
}

export function jsonResponse(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(stringifyWithInt64(value), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
}
