import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { randomToken } from '@/lib/crypto';
import { env } from '@/lib/env';
import { oauthErrorFrom, sendWire } from './rest';
import { ZoomError } from './types';

/**
 * Zoom user-level OAuth (authorization code + PKCE S256). Base URL from env().zoom.oauthUrl so the
 * same code talks to zoom.us or to the emulator. No `scope` parameter: scopes live on the app.
 */

export const ZOOM_CALLBACK_PATH = '/api/integrations/zoom/callback';

export function zoomRedirectUri(): string {
  return `${env().appUrl}${ZOOM_CALLBACK_PATH}`;
}

export type PkcePair = { verifier: string; challenge: string };

/** RFC 7636: a 43-char verifier and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const verifier = randomToken(32);
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function buildAuthorizeUrl(input: { state: string; codeChallenge: string; redirectUri?: string }): string {
  const config = env().zoom;
  const url = new URL(`${config.oauthUrl}/oauth/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri ?? zoomRedirectUri());
  url.searchParams.set('state', input.state);
  url.searchParams.set('code_challenge', input.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
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

async function postForm(path: '/oauth/token' | '/oauth/revoke', params: Record<string, string>, operation: string) {
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
  if (!parsed.success) throw new ZoomError('Zoom token endpoint returned an unexpected body', true);
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    expiresAt: new Date(requestedAt + parsed.data.expires_in * 1000),
    scopes: parsed.data.scope.split(/\s+/).filter(Boolean),
  };
}

export async function exchangeCode(input: { code: string; codeVerifier: string; redirectUri?: string }): Promise<ZoomTokenSet> {
  const requestedAt = Date.now();
  const response = await postForm(
    '/oauth/token',
    { grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri ?? zoomRedirectUri(), code_verifier: input.codeVerifier },
    'code exchange',
  );
  return toTokenSet(response.body, requestedAt);
}

/** One refresh. Zoom rotates the refresh token: the one passed in is dead once this succeeds. */
export async function refreshTokenSet(refreshToken: string): Promise<ZoomTokenSet> {
  const requestedAt = Date.now();
  const response = await postForm('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, 'token refresh');
  return toTokenSet(response.body, requestedAt);
}

export async function revokeToken(token: string): Promise<void> {
  await postForm('/oauth/revoke', { token }, 'revoke');
}
