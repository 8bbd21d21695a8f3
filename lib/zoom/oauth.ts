import 'server-only';
import { z } from 'zod';
import { env } from '@/lib/env';
import { type OAuthProvider, revokeAuthorization } from '@/lib/oauth/flow';
import { oauthErrorFrom, sendWire, zoomError } from './rest';

/**
 * Zoom user-level OAuth. The authorization-code round trip and revocation run through lib/oauth
 * with this description; the refresh (Zoom rotates the refresh token) stays here with Zoom's errors.
 * Base URL from env().zoom.oauthUrl so the same code talks to zoom.us or to the emulator.
 */

/** Scopes live on the Marketplace app: Zoom refuses a `scope` parameter. Client auth is HTTP Basic. */
export function zoomOAuthProvider(): OAuthProvider {
  const config = env().zoom;
  return {
    id: 'zoom',
    issuer: config.oauthUrl,
    authorizationEndpoint: `${config.oauthUrl}/oauth/authorize`,
    tokenEndpoint: `${config.oauthUrl}/oauth/token`,
    revocationEndpoint: `${config.oauthUrl}/oauth/revoke`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    tokenAuth: 'client_secret_basic',
    revocationAuth: 'client_secret_basic',
    scopes: null,
    configured: config.configured && Boolean(config.clientId),
    emulated: config.emulated,
  };
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  scope: z.string().default(''),
  api_url: z.string().optional(),
});

export type ZoomTokenSet = {
  accessToken: string;
  refreshToken: string;
  /** Absolute expiry, computed when the answer arrived. */
  expiresAt: Date;
  scopes: string[];
};

function basicAuth(): string {
  const { clientId, clientSecret } = env().zoom;
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

async function postForm(path: '/oauth/token', params: Record<string, string>, operation: string) {
  const response = await sendWire({
    method: 'POST',
    url: `${env().zoom.oauthUrl}${path}`,
    headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
  });
  if (response.status < 200 || response.status >= 300) throw oauthErrorFrom(response, operation);
  return response;
}

function toTokenSet(body: unknown, requestedAt: number): ZoomTokenSet {
  const parsed = tokenResponse.safeParse(body);
  if (!parsed.success) throw zoomError('unexpected_response', 'Zoom token endpoint returned an unexpected body');
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    expiresAt: new Date(requestedAt + parsed.data.expires_in * 1000),
    scopes: parsed.data.scope.split(/\s+/).filter(Boolean),
  };
}

/** One refresh. Zoom rotates the refresh token: the one passed in is dead once this succeeds. */
export async function refreshTokenSet(refreshToken: string): Promise<ZoomTokenSet> {
  const requestedAt = Date.now();
  const response = await postForm('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, 'token refresh');
  return toTokenSet(response.body, requestedAt);
}

/** Revokes at Zoom; a refused answer means Zoom no longer knows the token (revoked already). */
export async function revokeToken(token: string) {
  return revokeAuthorization(zoomOAuthProvider(), token);
}
