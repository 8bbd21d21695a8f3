import 'server-only';
import * as oauth from 'oauth4webapi';
import { decryptSecret, encryptSecret, safeEqual } from '@/lib/crypto';
import { env } from '@/lib/env';

/**
 * The one OAuth 2.0 authorization-code flow (PKCE S256) for every provider, on oauth4webapi.
 * A provider is described by data (endpoints, client, scopes, extra authorize parameters); what a
 * grant means (which account, which scopes suffice) stays with the provider's own code.
 *
 * State and the PKCE verifier travel in ONE sealed (AES-GCM) httpOnly cookie, bound to the
 * signed-in host, valid 10 minutes, scoped to the provider's callback path and deleted by the
 * callback whatever the outcome (single use; the provider's code is single use as well).
 */

export type OAuthProviderId = 'zoom' | 'google';

export type OAuthProvider = {
  id: OAuthProviderId;
  /** The authorization server's issuer: an `iss` callback parameter (RFC 9207, Google sends it) must match. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** How the client authenticates at the token endpoint. */
  tokenAuth: 'client_secret_basic' | 'client_secret_post';
  /** How it authenticates at the revocation endpoint ('none': Google's needs only the token). */
  revocationAuth: 'client_secret_basic' | 'none';
  /** null: no `scope` parameter at all (Zoom keeps scopes on the app and refuses the parameter). */
  scopes: readonly string[] | null;
  /** Fixed extra authorize parameters (Google: access_type=offline, prompt=consent). */
  authorizeParams?: Record<string, string>;
  /** Client id and secret are set (or the emulator stands in). */
  configured: boolean;
  /** Our own emulator: plain http is fine even off loopback (demo mode on a LAN address). */
  emulated: boolean;
};

const OAUTH_COOKIE_MAX_AGE_SECONDS = 10 * 60;
const TIMEOUT_MS = 10_000;

/** Registered at the providers by self-hosters: these paths never change. */
const oauthCallbackPath = (id: OAuthProviderId) => `/api/integrations/${id}/callback`;
export const oauthRedirectUri = (id: OAuthProviderId) => `${env().appUrl}${oauthCallbackPath(id)}`;
const cookiePath = (id: OAuthProviderId) => `/api/integrations/${id}`;
export const oauthCookieName = (id: OAuthProviderId) => `aki_${id}_oauth`;

export type OAuthCookie = { name: string; value: string; maxAge: number; path: string; httpOnly: true; sameSite: 'lax'; secure: boolean };

/** s: state, v: PKCE verifier, h: host id, e: expiry (ms). */
type Sealed = { s: string; v: string; h: string; e: number };

export type OAuthTokens = {
  accessToken: string;
  refreshToken: string | null;
  /** Absolute, computed from expires_in when the request was sent. */
  expiresAt: Date | null;
  scopes: string[];
};

/** Why a round trip or a revocation did not succeed, in protocol terms; the provider code words it for the host. */
export type OAuthFailure =
  | { reason: 'not_configured' }
  /** No, expired, foreign or garbled cookie, state mismatch, or a callback without a code. */
  | { reason: 'state' }
  /** The provider redirected back with an error (access_denied…); `description` joins error_description and Zoom's `reason`. */
  | { reason: 'denied'; error: string; description: string }
  /** The token or revocation endpoint answered an OAuth error (invalid_grant…). */
  | { reason: 'refused'; error: string; description: string; status: number }
  /** Network failure, timeout or 5xx. */
  | { reason: 'unreachable'; detail: string }
  /** Anything else: 429, a malformed answer. */
  | { reason: 'failed'; detail: string };

export type AuthorizationStart = { ok: true; authorizeUrl: string; cookie: OAuthCookie } | { ok: false; outcome: 'not_configured' };

export type OAuthResult<T> = { ok: true; value: T } | { ok: false; failure: OAuthFailure };

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

function server(provider: OAuthProvider): oauth.AuthorizationServer {
  return {
    issuer: provider.issuer,
    authorization_endpoint: provider.authorizationEndpoint,
    token_endpoint: provider.tokenEndpoint,
    revocation_endpoint: provider.revocationEndpoint,
  };
}

function requestOptions(provider: OAuthProvider, url: string, timeoutMs: number) {
  return { signal: AbortSignal.timeout(timeoutMs), [oauth.allowInsecureRequests]: provider.emulated || isLoopback(url) };
}

/**
 * HTTP Basic with the raw id and secret, as Zoom documents it. oauth4webapi's ClientSecretBasic
 * form-encodes both first (RFC 6749 §2.3.1), which turns a '-' into '%2D' for servers that do not decode.
 */
function rawBasic(secret: string): oauth.ClientAuth {
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`);
  };
}

/** Starts the round trip: the provider URL to send the host to and the cookie that binds the answer to this host. */
export async function beginAuthorization(
  provider: OAuthProvider,
  hostId: string,
  extraParams: Record<string, string | undefined> = {},
): Promise<AuthorizationStart> {
  if (!provider.configured) return { ok: false, outcome: 'not_configured' };
  const state = oauth.generateRandomState();
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(provider.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', provider.clientId);
  url.searchParams.set('redirect_uri', oauthRedirectUri(provider.id));
  if (provider.scopes) url.searchParams.set('scope', provider.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  for (const [key, value] of Object.entries({ ...provider.authorizeParams, ...extraParams })) if (value) url.searchParams.set(key, value);
  const sealed: Sealed = { s: state, v: verifier, h: hostId, e: Date.now() + OAUTH_COOKIE_MAX_AGE_SECONDS * 1000 };
  return {
    ok: true,
    authorizeUrl: url.toString(),
    cookie: {
      name: oauthCookieName(provider.id),
      value: encryptSecret(JSON.stringify(sealed)),
      maxAge: OAUTH_COOKIE_MAX_AGE_SECONDS,
      path: cookiePath(provider.id),
      httpOnly: true,
      sameSite: 'lax',
      secure: env().appUrl.startsWith('https://'),
    },
  };
}

/** The cookie that deletes the round trip's cookie: the callback sets it whatever happened. */
export function clearedOAuthCookie(id: OAuthProviderId): OAuthCookie {
  return { name: oauthCookieName(id), value: '', maxAge: 0, path: cookiePath(id), httpOnly: true, sameSite: 'lax', secure: env().appUrl.startsWith('https://') };
}

function openCookie(value: string | undefined, hostId: string): Sealed | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(decryptSecret(value)) as Partial<Sealed>;
    if (typeof parsed.s !== 'string' || typeof parsed.v !== 'string' || typeof parsed.h !== 'string' || typeof parsed.e !== 'number') return null;
    if (parsed.e < Date.now() || parsed.h !== hostId) return null;
    return parsed as Sealed;
  } catch {
    return null;
  }
}

function failureOf(error: unknown): OAuthFailure {
  if (error instanceof oauth.ResponseBodyError) {
    // Zoom words its errors in `reason`, standard servers in `error_description`.
    const reason = typeof error.cause.reason === 'string' ? error.cause.reason : '';
    return { reason: 'refused', error: error.error, description: error.error_description ?? reason, status: error.status };
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) return { reason: 'refused', error: 'invalid_client', description: error.message, status: error.status };
  const response = error instanceof oauth.OperationProcessingError && error.cause instanceof Response ? error.cause : null;
  if (response) {
    const detail = `HTTP ${response.status}`;
    return response.status >= 500 ? { reason: 'unreachable', detail } : { reason: 'failed', detail };
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) return { reason: 'failed', detail: error.message };
  // fetch: TypeError('fetch failed'), TimeoutError / AbortError from the signal.
  return { reason: 'unreachable', detail: error instanceof Error ? `${error.name}: ${error.message}` : 'network error' };
}

/**
 * Completes the round trip from the provider's redirect: opens the cookie (this host, not expired),
 * checks state (and `iss` when sent), turns an error redirect into 'denied', exchanges the code with
 * the PKCE verifier. Never throws for expected failures.
 */
export async function completeAuthorization(
  provider: OAuthProvider,
  input: { hostId: string; params: URLSearchParams; cookie: string | undefined },
): Promise<OAuthResult<OAuthTokens>> {
  if (!provider.configured) return { ok: false, failure: { reason: 'not_configured' } };
  const sealed = openCookie(input.cookie, input.hostId);
  const state = input.params.get('state');
  if (!sealed || !state || !safeEqual(state, sealed.s)) return { ok: false, failure: { reason: 'state' } };
  const as = server(provider);
  const client: oauth.Client = { client_id: provider.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, input.params, sealed.s);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      const description = [error.error_description, input.params.get('reason')].filter(Boolean).join(' ');
      return { ok: false, failure: { reason: 'denied', error: error.error, description } };
    }
    return { ok: false, failure: { reason: 'state' } };
  }
  if (!params.get('code')) return { ok: false, failure: { reason: 'state' } };

  const auth = provider.tokenAuth === 'client_secret_basic' ? rawBasic(provider.clientSecret) : oauth.ClientSecretPost(provider.clientSecret);
  const sentAt = Date.now();
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      params,
      oauthRedirectUri(provider.id),
      sealed.v,
      requestOptions(provider, provider.tokenEndpoint, TIMEOUT_MS),
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    return {
      ok: true,
      value: {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token ?? null,
        expiresAt: tokens.expires_in === undefined ? null : new Date(sentAt + tokens.expires_in * 1000),
        scopes: (tokens.scope ?? '').split(/\s+/).filter(Boolean),
      },
    };
  } catch (error) {
    return { ok: false, failure: failureOf(error) };
  }
}

/** Revokes a token (RFC 7009). A 'refused' answer usually means the provider no longer knows the token. */
export async function revokeAuthorization(provider: OAuthProvider, token: string, options: { timeoutMs?: number } = {}): Promise<OAuthResult<null>> {
  const as = server(provider);
  const client: oauth.Client = { client_id: provider.clientId };
  const auth = provider.revocationAuth === 'client_secret_basic' ? rawBasic(provider.clientSecret) : oauth.None();
  try {
    const response = await oauth.revocationRequest(as, client, auth, token, requestOptions(provider, provider.revocationEndpoint, options.timeoutMs ?? TIMEOUT_MS));
    await oauth.processRevocationResponse(response);
    return { ok: true, value: null };
  } catch (error) {
    return { ok: false, failure: failureOf(error) };
  }
}
