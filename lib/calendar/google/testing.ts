import { DEMO_GOOGLE_CLIENT_ID, DEMO_GOOGLE_CLIENT_SECRET } from '@/lib/emulators/google/server';
import { type ConsentResult, setTestEnv, submitConsent } from '@/lib/oauth/testing';
import { getGoogleConnection } from './queries';
import { beginGoogleConnect, finishGoogleConnect } from './service';

/** Test helpers: point env() at a standalone Google emulator and link hosts through the real round trip. */

export function useGoogleEmulatorEnv(emulatorUrl: string, appUrl = 'http://localhost:3999'): void {
  setTestEnv({
    GOOGLE_CLIENT_ID: DEMO_GOOGLE_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: DEMO_GOOGLE_CLIENT_SECRET,
    GOOGLE_OAUTH_URL: emulatorUrl,
    GOOGLE_TOKEN_URL: emulatorUrl,
    GOOGLE_API_URL: emulatorUrl,
    APP_URL: process.env.APP_URL ?? appUrl,
  });
}

const unescapeHtml = (value: string) =>
  value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/**
 * Opens the emulator's consent page for `account` (created on the fly) and submits a decision.
 * `grant` lists the Google scopes left ticked (default: all requested).
 */
export async function consentGoogle(
  hostId: string,
  decision: 'allow' | 'deny',
  options: { account?: string; grant?: string[] } = {},
): Promise<ConsentResult> {
  return submitConsent(await beginGoogleConnect(hostId, { loginHint: options.account }), ({ html, authorizeUrl }) => {
    const form = new URLSearchParams();
    for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(match[1] ?? '', unescapeHtml(match[2] ?? ''));
    const requested = (authorizeUrl.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
    for (const scope of options.grant ?? requested) form.append('granted_scope', scope);
    form.set('account', options.account ?? /name="account" type="email" value="([^"]+)"/.exec(html)?.[1] ?? '');
    form.set('decision', decision);
    return form;
  });
}

/** Links `hostId` to a Google account of the emulator (default: the demo account) through the whole flow. */
export async function linkGoogle(hostId: string, account?: string): Promise<{ email: string }> {
  const { location, cookie } = await consentGoogle(hostId, 'allow', { account });
  const outcome = await finishGoogleConnect({ hostId, params: location.searchParams, cookie });
  const row = await getGoogleConnection(hostId);
  if (outcome !== 'connected' || !row?.googleEmail) throw new Error(`linkGoogle: ${outcome}`);
  return { email: row.googleEmail };
}
