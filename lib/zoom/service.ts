import 'server-only';
import { isIntegrationError } from '@/lib/errors';
import { type AuthorizationStart, beginAuthorization, completeAuthorization } from '@/lib/oauth/flow';
import type { IntegrationOutcome } from '@/lib/oauth/outcome';
import { fetchZoomUser } from './client';
import { deleteZoomConnection, saveZoomLink } from './mutations';
import { revokeToken, zoomOAuthProvider } from './oauth';
import { getZoomConnection } from './queries';
import { getZoomAccessToken } from './tokens';

/**
 * Linking and unlinking a host's Zoom account. Routes stay thin: they hand the signed-in host's id,
 * the callback query and the cookie to these functions and redirect where they say.
 */

/** The outcomes a Zoom connect or disconnect can end in (?zoom=…). */
export type ZoomLinkOutcome = Extract<
  IntegrationOutcome,
  'connected' | 'disconnected' | 'disconnected_local' | 'denied' | 'state' | 'taken' | 'admin_approval' | 'unreachable' | 'not_configured' | 'error'
>;

/** Begins the authorize round trip for the signed-in host (state + PKCE sealed in a cookie bound to this host). */
export function startZoomLink(hostId: string): Promise<AuthorizationStart> {
  return beginAuthorization(zoomOAuthProvider(), hostId);
}

/** Zoom words a missing admin pre-approval in its error texts (4738, 4717 …). */
const ADMIN_HINT = /approv|admin|4738|4717/i;

/**
 * Completes the round trip (lib/oauth checks cookie, state and exchanges the code), reads
 * /users/me and stores the link. Never throws for expected failures: the outcome says what the
 * page should tell the host. The route deletes the cookie whatever the outcome (single use).
 */
export async function finishZoomLink(input: { hostId: string; params: URLSearchParams; cookie: string | undefined }): Promise<ZoomLinkOutcome> {
  const result = await completeAuthorization(zoomOAuthProvider(), input);
  if (!result.ok) {
    const { failure } = result;
    switch (failure.reason) {
      case 'denied':
        return ADMIN_HINT.test(failure.description) ? 'admin_approval' : 'denied';
      // A refused code (expired, reused, wrong verifier) means: start again.
      case 'refused':
        return ADMIN_HINT.test(failure.description) ? 'admin_approval' : 'state';
      case 'not_configured':
      case 'state':
      case 'unreachable':
        return failure.reason;
      case 'failed':
        console.error('[zoom] code exchange failed:', failure.detail);
        return 'error';
    }
  }
  const { accessToken, refreshToken, expiresAt, scopes } = result.value;
  if (!refreshToken || !expiresAt) {
    console.error('[zoom] code exchange failed: no refresh token or expiry');
    return 'error';
  }

  let user: Awaited<ReturnType<typeof fetchZoomUser>>;
  try {
    user = await fetchZoomUser(accessToken);
  } catch (failure) {
    if (isIntegrationError(failure, 'unavailable')) return 'unreachable';
    if (failure instanceof Error && ADMIN_HINT.test(failure.message)) return 'admin_approval';
    console.error('[zoom] reading the Zoom user failed:', failure instanceof Error ? failure.message : 'unknown error');
    return 'error';
  }

  const tokens = { accessToken, refreshToken, expiresAt, scopes };
  const saved = await saveZoomLink(input.hostId, tokens, { id: user.id, accountId: user.account_id ?? null, email: user.email ?? null, type: user.type ?? null });
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
        if (isIntegrationError(error, 'revoked')) return null;
        throw error;
      });
      const revoked = token ? await revokeToken(token) : null;
      // A refused revocation means Zoom no longer knows the token: it is revoked already.
      if (revoked && !revoked.ok && revoked.failure.reason !== 'refused') {
        revokedAtZoom = false;
        console.error('[zoom] revoke at Zoom failed:', revoked.failure.reason);
      }
    } catch (error) {
      // An OAuth error while refreshing means Zoom no longer knows the grant: it is revoked already.
      if (!isIntegrationError(error, 'oauth_refused')) {
        revokedAtZoom = false;
        console.error('[zoom] revoke at Zoom failed:', error instanceof Error ? error.message : 'unknown error');
      }
    }
  }
  await deleteZoomConnection(hostId);
  return { revokedAtZoom };
}
