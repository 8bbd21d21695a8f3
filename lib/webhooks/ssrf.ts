import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may not point (server-side request forgery): this server itself, the private
 * network it sits in, link-local addresses (cloud metadata at 169.254.169.254) and every other
 * non-public range. This is the check at creation time, on the URL as written (literal addresses and
 * `localhost`), for a friendly error; the delivery checks again at connect time, on the address the
 * name resolves to (lib/webhooks/http.ts), which also catches names that resolve to private addresses.
 */

/** Why the address may not be posted to, or null when it is a public (unicast) address. */
export function forbiddenAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return null;
  // ::ffff:127.0.0.1 is 127.0.0.1.
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return null;
  return `refused: address ${parsed.toString()} is ${RANGE_NAMES[range] ?? range}`;
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local (e.g. cloud metadata)',
  unspecified: 'unspecified',
  uniqueLocal: 'private (unique local)',
  carrierGradeNat: 'private (carrier-grade NAT)',
  broadcast: 'broadcast',
  multicast: 'multicast',
  reserved: 'reserved',
};

/** Why a URL may not receive webhooks: a stable code (the form and the API translate it) and the words for the delivery log. */
export type WebhookUrlProblem = { code: 'invalid_url' | 'unsupported_scheme' | 'credentials_in_url' | 'private_address'; message: string };

/**
 * The one rule for webhook URLs, at input (a friendly 422) and before each attempt: http(s) only, no
 * user name or password, and — unless private targets are allowed (AKI_WEBHOOK_ALLOW_PRIVATE) — not
 * `localhost` nor a literal loopback/private/link-local/… address. Names that resolve to such an
 * address are stopped at connect time (lib/webhooks/http.ts).
 */
export function webhookUrlProblem(url: string, allowPrivate: boolean): WebhookUrlProblem | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { code: 'invalid_url', message: 'not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { code: 'unsupported_scheme', message: 'only http:// and https:// URLs can receive webhooks' };
  }
  if (parsed.username || parsed.password) return { code: 'credentials_in_url', message: 'the URL must not contain a user name or password' };
  if (allowPrivate) return null;
  // WHATWG URL has already normalised 0x7f.1, 2130706433 and the like to dotted quads.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return { code: 'private_address', message: 'refused: localhost is this server itself (loopback)' };
  const address = forbiddenAddress(host);
  return address ? { code: 'private_address', message: address } : null;
}

/** The delivery log's words for webhookUrlProblem, or null. */
export const forbiddenWebhookUrl = (url: string, allowPrivate: boolean): string | null => webhookUrlProblem(url, allowPrivate)?.message ?? null;
