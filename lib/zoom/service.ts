import 'server-only';
import { decryptSecret, encryptSecret, randomToken, safeEqual } from '@/lib/crypto';
import { env } from '@/lib/env';
import { fetchZoomUser } from './client';
import { deleteZoomConnection, saveZoomLink } from './mutations';
import { buildAuthorizeUrl, createPkcePair, exchangeCode, revokeToken } from './oauth';
import { getZoomConnection } from './queries';
import { getZoomAccessToken } from './tokens';
import { ZoomOAuthError, ZoomRevokedError, ZoomUnavailableError } from './types';

/**
 * Linking and unlinking a host's Zoom account. Routes stay thin: they hand the signed-in host's id,
 * the callback query and the cookie to these functions and redirect where they say.
 */

export const ZOOM_OAUTH_COOKIE = 'aki_zoom_oauth';
export const ZOOM_OAUTH_COOKIE_PATH = '/api/integrations/zoom';
/** The authorize round trip must finish within this time (Zoom's codes live 5 minutes). */
export const ZOOM_OAUTH_COOKIE_MAX_AGE_SECONDS = 10 * 60;

export const INTEGRATIONS_PATH = '/settings/integrations';

/** Every outcome the integrations page can explain (?zoom=…). */
export type ZoomLinkOutcome =
  | 'connected'
  | 'disconnected'
  | 'disconnected_local'
  | 'denied'
  | 'state'
  | 'taken'
  | 'admin_approval'
  | 'unreachable'
  | 'not_configured'
  | 'error';

export const ZOOM_OUTCOMES: readonly ZoomLinkOutcome[] = [
  'connected',
  'disconnected',
  'disconnected_local',
  'denied',
  'state',
  'taken',
  'admin_approval',
  'unreachable',
  'not_configured',
  'error',
];

export function integrationsUrl(outcome: ZoomLinkOutcome): string {
  return `${env().appUrl}${INTEGRATIONS_PATH}?zoom=${outcome}`;
}

type OAuthCookie = { s: string; v: string; h: string; e: number };

export type ZoomLinkStart =
  | { ok: true; authorizeUrl: string; cookie: { name: string; value: string; maxAge: number; path: string; secure: boolean } }
  | { ok: false; outcome: 'not_configured' };

/**
 * Begins the authorize round trip for the signed-in host: a random state and a PKCE verifier,
 * sealed (AES-GCM) into a short-lived httpOnly cookie bound to this host.
 */
export function startZoomLink(hostId: string): ZoomLinkStart {
  const config = env();
  if (!config.zoom.configured || !config.zoom.clientId) return { ok: false, outcome: 'not_configured' };
  const state = randomToken(24);
  const pkce = createPkcePair();
  const sealed: OAuthCookie = { s: state, v: pkce.verifier, h: hostId, e: Date.now() + ZOOM_OAUTH_COOKIE_MAX_AGE_SECONDS * 1000 };
  return {
    ok: true,
    authorizeUrl: buildAuthorizeUrl({ state, codeChallenge: pkce.challenge }),
    cookie: {
      name: ZOOM_OAUTH_COOKIE,
      value: encryptSecret(JSON.stringify(sealed)),
      maxAge: ZOOM_OAUTH_COOKIE_MAX_AGE_SECONDS,
      path: ZOOM_OAUTH_COOKIE_PATH,
      secure: config.appUrl.startsWith('https://'),
    },
  };
}

function openCookie(value: string | undefined, hostId: string): OAuthCookie | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(decryptSecret(value)) as Partial<OAuthCookie>;
    if (typeof parsed.s !== 'string' || typeof parsed.v !== 'string' || typeof parsed.h !== 'string' || typeof parsed.e !== 'number') return null;
    if (parsed.e < Date.now() || parsed.h !== hostId) return null;
    return parsed as OAuthCookie;
  } catch {
    return null;
  }
}

const ADMIN_HINT = /approv|admin|4738|4717/i;

/**
 * Completes the round trip: checks the cookie (same host, not expired) and the state, exchanges
 * the code with the PKCE verifier, reads /users/me and stores the link. Never throws for expected
 * failures: the outcome says what the page should tell the host. The route must delete the
 * cookie whatever the outcome (single use).
 */
export async function finishZoomLink(input: { hostId: string; params: URLSearchParams; cookie: string | undefined }): Promise<ZoomLinkOutcome> {
  if (!env().zoom.configured || !env().zoom.clientId) return 'not_configured';
  const { params } = input;
  const error = params.get('error');
  if (error) {
    const description = `${params.get('error_description') ?? ''} ${params.get('reason') ?? ''}`;
    return ADMIN_HINT.test(description) ? 'admin_approval' : 'denied';
  }
  const sealed = openCookie(input.cookie, input.hostId);
  const state = params.get('state') ?? '';
  const code = params.get('code');
  if (!sealed || !code || !safeEqual(state, sealed.s)) return 'state';

  let tokens: Awaited<ReturnType<typeof exchangeCode>>;
  try {
    tokens = await exchangeCode({ code, codeVerifier: sealed.v });
  } catch (failure) {
    if (failure instanceof ZoomOAuthError) return ADMIN_HINT.test(failure.reason) ? 'admin_approval' : 'state';
    if (failure instanceof ZoomUnavailableError) return 'unreachable';
    console.error('[zoom] code exchange failed:', failure instanceof Error ? failure.message : 'unknown error');
    return 'error';
  }

  let user: Awaited<ReturnType<typeof fetchZoomUser>>;
  try {
    user = await fetchZoomUser(tokens.accessToken);
  } catch (failure) {
    if (failure instanceof ZoomUnavailableError) return 'unreachable';
    if (failure instanceof Error && ADMIN_HINT.test(failure.message)) return 'admin_approval';
    console.error('[zoom] reading the Zoom user failed:', failure instanceof Error ? failure.message : 'unknown error');
    return 'error';
  }

  const saved = await saveZoomLink(input.hostId, tokens, { id: user.id, accountId: user.account_id ?? null, email: user.email ?? null });
  return saved === 'linked' ? 'connected' : 'taken';
}

/**
 * Disconnect: revoke the token at Zoom (best effort) and delete the link. Bookings keep their
 * meetings. `revokedAtZoom` is false when Zoom could not be reached; the local link is gone anyway.
 */
export async function disconnectZoom(hostId: string): Promise<{ revokedAtZoom: boolean }> {
  const row = await getZoomConnection(hostId);
  if (!row) return { revokedAtZoom: true };
  let revokedAtZoom = true;
  if (row.status === 'active') {
    try {
      // A current token (refreshed if needed; no "link broken" mail while the host is disconnecting).
      const token = await getZoomAccessToken(hostId, { notify: false }).catch((error: unknown) => {
        if (error instanceof ZoomRevokedError) return null;
        throw error;
      });
      if (token) await revokeToken(token);
    } catch (error) {
      // An OAuth error means Zoom no longer knows the token: it is revoked already.
      if (!(error instanceof ZoomOAuthError)) {
        revokedAtZoom = false;
        console.error('[zoom] revoke at Zoom failed:', error instanceof Error ? error.message : 'unknown error');
      }
    }
  }
  await deleteZoomConnection(hostId);
  return { revokedAtZoom };
}
