import 'server-only';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { processSingleton } from '@/lib/process-singletons';

/**
 * The client address for rate limiting, without trusting what the client says about itself.
 *
 * Next.js route handlers and server actions never see the socket: `next start` only sets
 * X-Forwarded-For to the socket address when the request has none (base-server.js,
 * `req.headers['x-forwarded-for'] ??= socket.remoteAddress`), so a client that sends the header itself
 * picks any address it likes. `installPeerStamp()` (called from instrumentation.ts) does what a reverse
 * proxy does: it appends the socket address to X-Forwarded-For of every incoming request, plus a
 * per-process secret proof that it did. The last entry is then always the socket, the N entries before
 * it were written by our N proxies (TRUST_PROXY), and anything further left is the client's own claim.
 */

export const PEER_PROOF_HEADER = 'x-aki-peer-proof';

type Store = { proof?: string; stampInstalled?: boolean; unverifiedWarned?: boolean };
// One per process: instrumentation and the route bundles are separate module instances in one process.
const store = processSingleton('http:peer-stamp', (): Store => ({}));

function proof(): string {
  store.proof ??= randomBytes(24).toString('base64url');
  return store.proof;
}

const normalise = (address: string | undefined) => (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

type NodeHeaders = Record<string, string | string[] | undefined>;

/** Appends the socket address to X-Forwarded-For (as a proxy would) and marks the headers as stamped by this process. */
export function stampPeer(headers: NodeHeaders, remoteAddress: string | undefined): void {
  const received = headers['x-forwarded-for'];
  const chain = (Array.isArray(received) ? received.join(', ') : (received ?? '')).trim();
  const peer = normalise(remoteAddress) || 'unknown';
  headers['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
  headers[PEER_PROOF_HEADER] = proof();
}

const stamped = new WeakSet<object>();

/**
 * Stamps every request the Node HTTP(S) servers of this process receive, before Next.js reads it.
 * Requests that reached the server before this ran (while `next start` was still starting) stay
 * unstamped and are treated as described in clientAddress.
 */
export function installPeerStamp(): void {
  if (store.stampInstalled) return;
  store.stampInstalled = true;
  for (const proto of new Set([http.Server.prototype, https.Server.prototype])) {
    const emit = proto.emit as (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
    proto.emit = function stampingEmit(this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === 'request' || event === 'checkContinue' || event === 'checkExpectation') {
        const req = args[0] as http.IncomingMessage | undefined;
        if (req && !stamped.has(req)) {
          stamped.add(req);
          stampPeer(req.headers, req.socket?.remoteAddress);
        }
      }
      return emit.call(this, event, ...args);
    } as typeof proto.emit;
  }
}

function isStamped(headers: Pick<Headers, 'get'>): boolean {
  const given = headers.get(PEER_PROOF_HEADER);
  const expected = store.proof;
  if (!given || !expected || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/**
 * The client's address: with `trustProxy` = 0 the socket address; with N > 0 the address the N-th
 * proxy (counted from us) appended, i.e. the N-th entry from the right of X-Forwarded-For as our
 * outermost proxy received it. Entries further left are the client's own claims and never used.
 * Unstamped headers (peer stamp not installed, or a request from before it was) lack the socket:
 * behind a proxy (N > 0) the answer is the same; with N = 0 the last X-Forwarded-For entry (Next.js
 * sets it from the socket when absent) is the best there is, and a warning is logged once.
 */
export function clientAddress(headers: Pick<Headers, 'get'>, trustProxy: number): string {
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  let index: number;
  if (isStamped(headers)) {
    index = chain.length - 1 - trustProxy;
  } else {
    if (trustProxy === 0 && !store.unverifiedWarned) {
      store.unverifiedWarned = true;
      console.warn('[http] request without the peer stamp (instrumentation.ts not loaded?): X-Forwarded-For used as received');
    }
    index = chain.length - Math.max(1, trustProxy);
  }
  // Fewer entries than trusted hops: the furthest address known (a misconfigured TRUST_PROXY).
  return chain[Math.max(0, index)] ?? 'unknown';
}
