import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, installPeerStamp, PEER_PROOF_HEADER } from './client-address';

/** The peer stamp over a real socket: what a route handler sees once instrumentation.ts installed it. */

let server: http.Server;
let base: string;

const headersOf = (req: http.IncomingMessage) => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return headers;
};

beforeAll(async () => {
  installPeerStamp();
  installPeerStamp(); // idempotent: the socket is appended once
  server = http.createServer((req, res) => {
    const headers = headersOf(req);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ xff: req.headers['x-forwarded-for'], direct: clientAddress(headers, 0), behindOne: clientAddress(headers, 1), behindTwo: clientAddress(headers, 2) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function seen(headers: Record<string, string> = {}) {
  return (await (await fetch(`${base}/`, { headers })).json()) as { xff: string; direct: string; behindOne: string; behindTwo: string };
}

describe('installPeerStamp', () => {
  it('appends the socket address to X-Forwarded-For, so with TRUST_PROXY=0 the client cannot choose its address', async () => {
    expect(await seen()).toMatchObject({ xff: '127.0.0.1', direct: '127.0.0.1' });
    const spoofed = await seen({ 'x-forwarded-for': '198.51.100.7', [PEER_PROOF_HEADER]: 'forged' });
    expect(spoofed).toMatchObject({ xff: '198.51.100.7, 127.0.0.1', direct: '127.0.0.1' });
  });

  it('with TRUST_PROXY=N takes the N-th address from the right of what our outermost proxy received', async () => {
    // client claims 6.6.6.6; proxy 2 (outer) saw 203.0.113.5; proxy 1 (inner, our socket peer) saw proxy 2 at 10.0.0.2
    const chain = await seen({ 'x-forwarded-for': '6.6.6.6, 203.0.113.5, 10.0.0.2' });
    expect(chain).toMatchObject({ direct: '127.0.0.1', behindOne: '10.0.0.2', behindTwo: '203.0.113.5' });
  });
});

describe('clientAddress without the stamp', () => {
  it('never trusts a forged proof; behind proxies uses the N-th address from the right', () => {
    const headers = new Headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.5', [PEER_PROOF_HEADER]: 'forged' });
    expect(clientAddress(headers, 1)).toBe('203.0.113.5');
    expect(clientAddress(headers, 2)).toBe('6.6.6.6');
    expect(clientAddress(new Headers(), 0)).toBe('unknown');
  });
});
