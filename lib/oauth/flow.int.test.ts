import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GOOGLE_CLIENT_ID, DEMO_GOOGLE_CLIENT_SECRET, type RunningGoogleEmulator, startGoogleEmulator } from '@/lib/emulators/google/server';
import { beginAuthorization, clearedOAuthCookie, completeAuthorization, type OAuthProvider } from './flow';
import { setTestEnv, submitConsent } from './testing';

/** The flow's own guarantees, against the Google emulator (the provider tests cover each provider's outcomes). */

let google: RunningGoogleEmulator;

let provider: OAuthProvider;

beforeAll(async () => {
  google = await startGoogleEmulator();
  setTestEnv({ APP_URL: 'http://localhost:3999' });
  provider = {
    id: 'google',
    issuer: google.url,
    authorizationEndpoint: `${google.url}/o/oauth2/v2/auth`,
    tokenEndpoint: `${google.url}/token`,
    revocationEndpoint: `${google.url}/revoke`,
    clientId: DEMO_GOOGLE_CLIENT_ID,
    clientSecret: DEMO_GOOGLE_CLIENT_SECRET,
    tokenAuth: 'client_secret_post',
    revocationAuth: 'none',
    scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
    authorizeParams: { access_type: 'offline', prompt: 'consent' },
    configured: true,
    emulated: false,
  };
});

/** Allows on the emulator's consent page as `account`. */
async function allow(hostId: string, account: string) {
  return submitConsent(await beginAuthorization(provider, hostId), ({ html, authorizeUrl }) => {
    const form = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(name ?? '', (value ?? '').replace(/&amp;/g, '&'));
    form.append('granted_scope', authorizeUrl.searchParams.get('scope') ?? '');
    form.set('account', account);
    form.set('decision', 'allow');
    return form;
  });
}

afterAll(async () => {
  await google.close();
});

const tokenCalls = async () =>
  ((await (await fetch(`${google.url}/__control/state`)).json()) as { grants: unknown[] }).grants.length;

describe('the authorization-code flow', () => {
  it('seals state and verifier into one httpOnly, path-scoped, 10-minute cookie, cleared by the callback', async () => {
    const start = await beginAuthorization(provider, 'host-cookie', { login_hint: 'a@gmail.test', unused: undefined });
    if (!start.ok) throw new Error('not configured');
    const url = new URL(start.authorizeUrl);
    expect(url.searchParams.get('login_hint')).toBe('a@gmail.test');
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.has('unused')).toBe(false);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(start.cookie).toMatchObject({ name: 'aki_google_oauth', path: '/api/integrations/google', maxAge: 600, httpOnly: true, sameSite: 'lax', secure: false });
    expect(start.cookie.value).not.toContain(url.searchParams.get('state'));
    expect(clearedOAuthCookie('google')).toMatchObject({ name: 'aki_google_oauth', path: '/api/integrations/google', maxAge: 0, value: '' });
  });

  it('refuses a callback whose iss names another issuer (RFC 9207) before exchanging the code', async () => {
    const { location, cookie } = await allow('host-iss', 'iss.g@gmail.test');
    const before = await tokenCalls();
    const forged = new URLSearchParams(location.searchParams);
    forged.set('iss', 'https://evil.example');
    expect(await completeAuthorization(provider, { hostId: 'host-iss', params: forged, cookie })).toEqual({ ok: false, failure: { reason: 'state' } });
    expect(await tokenCalls()).toBe(before);
    const result = await completeAuthorization(provider, { hostId: 'host-iss', params: location.searchParams, cookie });
    expect(result.ok && result.value.refreshToken).toBeTruthy();
  });

  it('sends nothing over plain http to a provider that is neither on loopback nor our emulator', async () => {
    const { location, cookie } = await allow('host-http', 'http.g@gmail.test');
    const offLoopback = { ...provider, tokenEndpoint: 'http://oauth.example.test/token' };
    const result = await completeAuthorization(offLoopback, { hostId: 'host-http', params: location.searchParams, cookie });
    expect(result).toMatchObject({ ok: false, failure: { reason: 'failed' } });
  });
});
