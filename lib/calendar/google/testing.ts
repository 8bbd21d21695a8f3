import { DEMO_GOOGLE_CLIENT_ID, DEMO_GOOGLE_CLIENT_SECRET } from '@/lib/emulators/google/server';
import { resetEnvCache } from '@/lib/env';
import { beginGoogleConnect, finishGoogleConnect } from './service';

/**
 * Test helpers: point env() at a standalone Google emulator and walk the real OAuth round trip over
 * HTTP (consent page → form post → redirect with code → finishGoogleConnect).
 */

export function useGoogleEmulatorEnv(emulatorUrl: string, appUrl = 'http://localhost:3999'): void {
  // lib/env.ts is the only reader of process.env; tests set the variables and drop its cache.
  process.env.GOOGLE_CLIENT_ID = DEMO_GOOGLE_CLIENT_ID;
  process.env.GOOGLE_CLIENT_SECRET = DEMO_GOOGLE_CLIENT_SECRET;
  process.env.GOOGLE_OAUTH_URL = emulatorUrl;
  process.env.GOOGLE_TOKEN_URL = emulatorUrl;
  process.env.GOOGLE_API_URL = emulatorUrl;
  process.env.APP_URL ??= appUrl;
  resetEnvCache();
}

export type GoogleConsentResult = { location: URL; cookie: string; authorizeUrl: URL };

/**
 * Opens the emulator's consent page for `account` (created on the fly) and submits a decision.
 * `grant` lists the Google scopes left ticked (default: all requested).
 */
export async function consentGoogle(
  hostId: string,
  decision: 'allow' | 'deny',
  options: { account?: string; grant?: string[] } = {},
): Promise<GoogleConsentResult> {
  const start = await beginGoogleConnect(hostId, { loginHint: options.account });
  const authorizeUrl = new URL(start.authorizeUrl);
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1] ?? '', (match[2] ?? '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
  }
  const requested = (authorizeUrl.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
  for (const scope of options.grant ?? requested) form.append('granted_scope', scope);
  if (options.account) form.set('account', options.account);
  else form.set('account', /name="account" type="email" value="([^"]+)"/.exec(html)?.[1] ?? '');
  form.set('decision', decision);
  const answer = await fetch(authorizeUrl.origin + authorizeUrl.pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`consent answered ${answer.status}`);
  return { location: new URL(location), cookie: start.cookie.value, authorizeUrl };
}

/** Links `hostId` to a Google account of the emulator (default: the demo account) through the whole flow. */
export async function linkGoogle(hostId: string, account?: string): Promise<{ email: string }> {
  const { location, cookie } = await consentGoogle(hostId, 'allow', { account });
  return finishGoogleConnect(hostId, {
    cookie,
    state: location.searchParams.get('state'),
    code: location.searchParams.get('code'),
    error: location.searchParams.get('error'),
  });
}
