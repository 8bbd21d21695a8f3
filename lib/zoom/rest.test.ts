import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrationError, parseRetryAfter } from '@/lib/errors';
import { apiErrorFrom, isDeadGrant, oauthErrorFrom, parseBody, scopeFromMessage, sendWire, type WireResponse } from './rest';

const NOW = Date.parse('2026-03-10T15:30:00Z');

function wire(status: number, text: string, headers: Record<string, string> = {}): WireResponse {
  return { status, headers: new Headers(headers), text, body: parseBody(text) };
}

describe('parseRetryAfter', () => {
  it('reads delta seconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
  });
  it('reads an HTTP date and an ISO date-time', () => {
    expect(parseRetryAfter('Wed, 11 Mar 2026 00:00:00 GMT', NOW)).toBe(8.5 * 3600 * 1000);
    expect(parseRetryAfter('2026-03-11T00:00:00Z', NOW)).toBe(8.5 * 3600 * 1000);
  });
  it('never goes negative and ignores garbage', () => {
    expect(parseRetryAfter('Tue, 10 Mar 2026 00:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
  });
});

describe('apiErrorFrom', () => {
  const map = (response: WireResponse, ambiguousOnFailure = false) => apiErrorFrom(response, { operation: 'test', ambiguousOnFailure, nowMs: NOW });

  it('the daily create/update limit without Retry-After (429/429, or the older 300) waits until 00:00 UTC', () => {
    const untilMidnight = 8.5 * 3600 * 1000;
    const daily = map(
      wire(429, '{"code":429,"message":"You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00."}'),
    );
    expect(daily).toMatchObject({ reason: 'daily_limit', retryAfterMs: untilMidnight, resetAt: new Date('2026-03-11T00:00:00Z') });
    const older = map(wire(400, '{"code":300,"message":"A maximum of 100 meetings can be created/updated for a single user in one day."}'));
    expect(older).toMatchObject({ reason: 'daily_limit', retryAfterMs: untilMidnight });
    // A per-second 429 stays a short back-off.
    const perSecond = map(wire(429, '{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}'));
    expect(perSecond).toMatchObject({ reason: 'rate_limited', retryAfterMs: 60_000 });
    // Other 300s are plain validation errors.
    expect(map(wire(400, '{"code":300,"message":"Validation Failed."}')).reason).toBe('invalid_request');
  });

  it('started (3000 "…have started…", 3002) and ended (3007) meetings map to their own reasons', () => {
    expect(map(wire(400, '{"code":3000,"message":"You cannot update or delete meetings that have started using this method."}'))).toMatchObject({ reason: 'meeting_started' });
    expect(map(wire(400, '{"code":3002,"message":"Sorry, you cannot delete this meeting since it is in progress."}'))).toMatchObject({ reason: 'meeting_started' });
    expect(map(wire(400, '{"code":3007,"message":"Sorry, you cannot delete this meeting since it has ended."}'))).toMatchObject({ reason: 'meeting_ended' });
    expect(map(wire(400, '{"code":3000,"message":"Cannot access meeting information."}')).reason).toBe('invalid_request');
  });

  it('401/124 → unauthorized (refresh once and retry)', () => {
    const error = map(wire(401, '{"code":124,"message":"Access token is expired."}'));
    expect(error).toMatchObject({ provider: 'zoom', reason: 'unauthorized' });
    expect(error.providerCode).toBe(124);
  });

  it('400/4711 → missing_scope naming the user-level scope', () => {
    const error = map(wire(400, '{"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:delete:meeting:admin, meeting:delete:meeting]."}'));
    expect(error).toMatchObject({ provider: 'zoom', reason: 'missing_scope' });
    expect(error.scope).toBe('meeting:delete:meeting');
    expect(error.retryable).toBe(false);
  });

  it('404/3001 → not_found; 404/1001 is a plain invalid_request', () => {
    expect(map(wire(404, '{"code":3001,"message":"Meeting 1 is not found or has expired."}'))).toMatchObject({ reason: 'not_found' });
    const other = map(wire(404, '{"code":1001,"message":"User does not exist: x."}'));
    expect(other).toBeInstanceOf(IntegrationError);
    expect(other.reason).toBe('invalid_request');
    expect(other.retryable).toBe(false);
  });

  it('429 honours Retry-After in seconds and as a date; a daily limit without it waits for 00:00 UTC', () => {
    const seconds = map(wire(429, '{"code":429,"message":"slow down"}', { 'retry-after': '12' }));
    expect(seconds).toMatchObject({ provider: 'zoom', reason: 'rate_limited' });
    expect(seconds.retryAfterMs).toBe(12_000);
    const date = map(wire(429, '{"code":429,"message":"daily"}', { 'retry-after': 'Wed, 11 Mar 2026 00:00:00 GMT' }));
    expect(date.retryAfterMs).toBe(8.5 * 3600 * 1000);
    const daily = map(wire(429, '{"code":429,"message":"daily"}', { 'x-ratelimit-type': 'Daily-limit' }));
    expect(daily.retryAfterMs).toBe(8.5 * 3600 * 1000);
    const bare = map(wire(429, ''));
    expect(bare.retryAfterMs).toBe(60_000);
    expect(bare.retryable).toBe(true);
  });

  it('5xx and non-JSON bodies → unavailable, ambiguous only where asked', () => {
    const html = map(wire(502, '<html><body>Bad Gateway</body></html>'), true);
    expect(html).toMatchObject({ provider: 'zoom', reason: 'unavailable' });
    expect(html.ambiguous).toBe(true);
    expect(html.message).toContain('non-JSON');
    expect(map(wire(503, ''), false).ambiguous).toBe(false);
  });

  it('other 4xx keep Zoom code and message, not retryable', () => {
    const error = map(wire(400, '{"code":300,"message":"Validation Failed."}'));
    expect(error.reason).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.providerCode).toBe(300);
    expect(error.message).toContain('Validation Failed.');
    const xml = map(wire(400, '<?xml version="1.0"?><error/>'));
    expect(xml.status).toBe(400);
    expect(xml.providerCode).toBeUndefined();
  });
});

describe('oauth errors', () => {
  it('maps {reason,error} and recognises a dead refresh token', () => {
    const dead = oauthErrorFrom(wire(400, '{"reason":"Invalid Token!","error":"invalid_grant"}'), 'refresh');
    expect(dead).toMatchObject({ provider: 'zoom', reason: 'oauth_refused' });
    expect(isDeadGrant(dead)).toBe(true);
    expect(isDeadGrant(oauthErrorFrom(wire(400, '{"reason":"Invalid Token!","error":"invalid_request"}'), 'refresh'))).toBe(true);
    const client = oauthErrorFrom(wire(400, '{"reason":"Invalid client_id or client_secret","error":"invalid_client"}'), 'refresh');
    expect(isDeadGrant(client)).toBe(false);
    expect(client.oauthError).toBe('invalid_client');
  });

  it('5xx and HTML bodies from the token endpoint', () => {
    expect(oauthErrorFrom(wire(500, 'oops'), 'refresh')).toMatchObject({ reason: 'unavailable' });
    const html = oauthErrorFrom(wire(400, '<html>error</html>'), 'refresh');
    expect(html.oauthError).toBe('invalid_response');
    expect(isDeadGrant(html)).toBe(false);
  });
});

describe('scopeFromMessage', () => {
  it('prefers the non-admin scope and survives odd messages', () => {
    expect(scopeFromMessage('Invalid access token, does not contain scopes:[meeting:update:meeting:admin, meeting:update:meeting].')).toBe(
      'meeting:update:meeting',
    );
    expect(scopeFromMessage('does not contain scopes:[meeting:write].')).toBe('meeting:write');
    expect(scopeFromMessage('something else')).toBe('unknown');
  });
});

describe('apiErrorFrom: after-meeting answers', () => {
  const map = (response: WireResponse) => apiErrorFrom(response, { operation: 'test', nowMs: NOW });
  it('400 code 200 (paid plan only) is plan_required, not retryable', () => {
    const error = map(wire(400, '{"code":200,"message":"Only available for paid users."}'));
    expect(error).toMatchObject({ reason: 'plan_required', retryable: false, providerCode: 200 });
  });
  it('404 code 3001 on a past meeting is not_found ("not ended yet")', () => {
    expect(map(wire(404, '{"code":3001,"message":"Meeting does not exist"}'))).toMatchObject({ reason: 'not_found' });
  });
});

describe('sendWire over a real socket', () => {
  let server: http.Server;
  let base = '';
  const seen: { method?: string; length?: string; body: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({ method: req.method, length: req.headers['content-length'], body });
        if (req.url === '/limited') {
          res.writeHead(429, [
            ['Retry-After', '7'],
            ['Set-Cookie', 'a=1'],
            ['Set-Cookie', 'b=2'],
            ['Content-Type', 'application/json'],
          ]);
          res.end('{"code":429,"message":"Too many requests"}');
        } else if (req.url === '/moved') {
          res.writeHead(302, { Location: '/elsewhere' });
          res.end();
        } else if (req.url === '/stall-body') {
          // Headers and half the body, then nothing: the timeout must still end the exchange.
          res.writeHead(201, { 'Content-Type': 'application/json' });
          res.write('{"id":');
        } else if (req.url === '/stall') {
          // No answer at all.
        } else {
          res.writeHead(201, { 'Content-Type': 'application/json' });
          res.end(`{"id":91234567890123456789,"echo":${JSON.stringify(body)}}`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the body with its length in bytes and parses the answer (ids beyond 2^53 kept exact)', async () => {
    const answer = await sendWire({ method: 'POST', url: `${base}/ok`, headers: { 'content-type': 'application/json' }, body: '{"topic":"面談"}' });
    expect(answer.status).toBe(201);
    expect(seen.at(-1)).toEqual({ method: 'POST', length: String(Buffer.byteLength('{"topic":"面談"}')), body: '{"topic":"面談"}' });
    expect(String((answer.body as { id: unknown }).id)).toBe('91234567890123456789');
    expect(answer.headers.get('Content-Type')).toBe('application/json');
    expect(answer.headers.get('x-absent')).toBeNull();
  });

  it('reads headers case-insensitively (Retry-After for the 429 mapping) and does not follow redirects', async () => {
    const limited = await sendWire({ method: 'GET', url: `${base}/limited` });
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(apiErrorFrom(limited, { operation: 'test', nowMs: NOW }).retryAfterMs).toBe(7000);
    const moved = await sendWire({ method: 'DELETE', url: `${base}/moved` });
    expect([moved.status, moved.headers.get('location')]).toEqual([302, '/elsewhere']);
  });

  it('a timeout before the answer, or while the body streams, is `unavailable` and ambiguous only where asked', async () => {
    for (const path of ['/stall', '/stall-body']) {
      const create = await sendWire({ method: 'POST', url: `${base}${path}`, body: '{}', timeoutMs: 150, ambiguousOnFailure: true }).catch((e) => e);
      expect(create).toBeInstanceOf(IntegrationError);
      expect(create.message).toBe(`Zoom POST ${path} timed out after 150 ms`);
      expect([create.reason, create.ambiguous]).toEqual(['unavailable', true]);
      const read = await sendWire({ method: 'GET', url: `${base}${path}`, timeoutMs: 150 }).catch((e) => e);
      expect([read.reason, read.ambiguous]).toEqual(['unavailable', false]);
    }
  });

  it('a refused connection was never sent: not ambiguous even for a create', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await sendWire({ method: 'POST', url: `http://127.0.0.1:${port}/v2/users/me/meetings`, body: '{}', ambiguousOnFailure: true }).catch((e) => e);
    expect(error.message).toBe('Zoom POST /v2/users/me/meetings failed (ECONNREFUSED)');
    expect([error.reason, error.ambiguous]).toEqual(['unavailable', false]);
  });
});
