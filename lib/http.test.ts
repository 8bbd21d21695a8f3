import { describe, expect, it } from 'vitest';
import { AppError, IntegrationError } from './errors';
import { BODY_LIMITS, readBodyText, readJson, routeParams, withErrors } from './http';

/** A body that arrives in `chunks` pieces of `size` bytes, counting how much of it was pulled. */
function streamed(chunks: number, size: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  return { body, pulled: () => pulled };
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof AppError ? `${error.code}` : String(error);
  }
};

describe('readBodyText', () => {
  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const { body, pulled } = streamed(100, 1024);
    const request = new Request('http://x/', { method: 'POST', body, headers: { 'content-length': String(100 * 1024) }, duplex: 'half' } as RequestInit);
    expect(await codeOf(readBodyText(request, 1024))).toBe('payload_too_large');
    expect(pulled()).toBeLessThanOrEqual(1); // a stream pulls its first chunk on its own
  });

  it('counts a body without Content-Length (or with a lying one) and stops reading past the cap', async () => {
    const { body, pulled } = streamed(1000, 1024);
    const request = new Request('http://x/', { method: 'POST', body, headers: { 'content-length': '10' }, duplex: 'half' } as RequestInit);
    expect(await codeOf(readBodyText(request, 4 * 1024))).toBe('payload_too_large');
    expect(pulled()).toBeLessThan(10);
  });

  it('returns bodies up to the cap, multi-byte characters split across chunks intact', async () => {
    const text = 'あ'.repeat(1000);
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const request = new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(await readBodyText(request, bytes.length)).toBe(text);
    expect(await readBodyText(new Request('http://x/'), 10)).toBe('');
  });

  it('readJson: 413 past its cap (64 KB for public JSON by default), 422 for malformed JSON, null for an allowed empty body', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(BODY_LIMITS.publicJson) });
    expect(await codeOf(readJson(new Request('http://x/', { method: 'POST', body: big })))).toBe('payload_too_large');
    expect(await readJson(new Request('http://x/', { method: 'POST', body: big }), BODY_LIMITS.hostApi)).toEqual(JSON.parse(big));
    expect(await codeOf(readJson(new Request('http://x/', { method: 'POST', body: '{oops' })))).toBe('invalid_input');
    expect(await readJson(new Request('http://x/', { method: 'POST', body: ' ' }), 10, { allowEmpty: true })).toBeNull();
  });
});

describe('routeParams', () => {
  it('answers not_found for segments with NUL or other control characters', async () => {
    expect(await routeParams(Promise.resolve({ uid: 'abc' }))).toEqual({ uid: 'abc' });
    expect(await codeOf(routeParams(Promise.resolve({ host: 'demo', page: 'a\u0000b' })))).toBe('not_found');
    expect(await codeOf(routeParams(Promise.resolve({ id: 'x'.repeat(201) })))).toBe('not_found');
  });
});

describe('withErrors', () => {
  const answer = (error: unknown) => withErrors(async () => Promise.reject(error))();

  it('maps an integration failure that escapes a route once: rate limits 429 with Retry-After, an outage 503, a revoked link 409', async () => {
    const limited = await answer(new IntegrationError('zoom', 'daily_limit', 'Zoom daily limit', { retryAfterMs: 90_500 }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('91');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await answer(new IntegrationError('google', 'unavailable', 'Google timed out'))).status).toBe(503);
    expect((await answer(new IntegrationError('zoom', 'missing_scope', 'no scope', { scope: 'meeting:write' }))).status).toBe(409);
    expect((await answer(new IntegrationError('zoom', 'not_found', 'gone'))).status).toBe(404);
    expect((await answer(new IntegrationError('zoom', 'invalid_request', 'refused'))).status).toBe(502);
  });
});
