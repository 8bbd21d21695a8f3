import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { forbiddenAddress } from './ssrf';

/**
 * One webhook POST. The address check happens at connect time, on the address the name resolved to
 * (request-filtering-agent), so a public name pointing at 127.0.0.1 or the metadata service is refused
 * too, and so is a name that changes its answer after the URL was saved. Redirects are not followed
 * (a 3xx is a failed attempt): a redirect could lead anywhere. The answer's body is read only up to
 * RESPONSE_BODY_CAP bytes, for the log.
 */

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const RESPONSE_BODY_CAP = 1024;

export type WebhookPostResult = {
  /** The HTTP status, or null when there was no answer (refused, timed out, unreachable). */
  status: number | null;
  /** The first RESPONSE_BODY_CAP bytes of the answer. */
  body: string | null;
  /** Why the attempt failed (null: a 2xx answer). */
  error: string | null;
  durationMs: number;
};

const agents = new Map<boolean, { http: http.Agent; https: https.Agent }>();
function agentsFor(allowPrivate: boolean) {
  let pair = agents.get(allowPrivate);
  if (!pair) {
    const options = { allowPrivateIPAddress: allowPrivate, allowMetaIPAddress: allowPrivate };
    pair = { http: new RequestFilteringHttpAgent(options), https: new RequestFilteringHttpsAgent(options) };
    agents.set(allowPrivate, pair);
  }
  return pair;
}

/** request-filtering-agent's "DNS lookup 10.0.0.1(family:4, host:…) is not allowed…" as our "refused: …". */
function refusal(message: string): string | null {
  const match = /^DNS lookup (\S+?)\(family:[^,]*, host:([^)]*)\) is not allowed/.exec(message);
  if (!match) return null;
  const [, address, host] = match as unknown as [string, string, string];
  const reason = forbiddenAddress(address) ?? `refused: address ${address} is not public`;
  // A literal address is reported with host "undefined".
  return host && host !== 'undefined' && host !== address ? `${reason} (${host} resolves to it)` : reason;
}

export function postWebhook(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowPrivate: boolean;
  timeoutMs?: number;
}): Promise<WebhookPostResult> {
  const started = performance.now();
  const timeoutMs = input.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<WebhookPostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: Math.round(performance.now() - started) });
    };
    let url: URL;
    try {
      url = new URL(input.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('only http(s) URLs');
    } catch (error) {
      resolve({ status: null, body: null, error: `invalid URL: ${(error as Error).message}`, durationMs: 0 });
      return;
    }
    const pair = agentsFor(input.allowPrivate);
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      agent: url.protocol === 'https:' ? pair.https : pair.http,
      headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) },
    });
    // The whole attempt (connect, send, answer headers and the capped body) within timeoutMs.
    const timer = setTimeout(() => {
      finish({ status: null, body: null, error: `timed out after ${Math.round(timeoutMs / 1000)} s` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => {
      finish({ status: null, body: null, error: refusal(error.message) ?? `connection failed: ${error.message}` });
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const body = Buffer.concat(chunks).subarray(0, RESPONSE_BODY_CAP).toString('utf8');
        const ok = status >= 200 && status < 300;
        const error = ok
          ? null
          : status >= 300 && status < 400
            ? `HTTP ${status} (redirects are not followed${response.headers.location ? `: ${response.headers.location}` : ''})`
            : `HTTP ${status}`;
        finish({ status, body, error });
        response.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        if (size < RESPONSE_BODY_CAP) chunks.push(chunk);
        size += chunk.length;
        // The rest is not read: a receiver streaming megabytes costs us 1 KB.
        if (size >= RESPONSE_BODY_CAP) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(input.body);
  });
}
