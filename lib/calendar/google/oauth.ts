import 'server-only';
import { type Auth, google } from 'googleapis';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { type OAuthProvider, oauthRedirectUri } from '@/lib/oauth/flow';

/**
 * Google OAuth 2.0 (web server flow, offline access, PKCE). The connect round trip and revocation
 * run through lib/oauth with googleOAuthProvider(); API calls and token refresh use
 * google-auth-library's OAuth2Client. Every endpoint comes from env().google, so the same code talks
 * to Google or to the emulator:
 *   `${oauthUrl}/o/oauth2/v2/auth`, `${tokenUrl}/token`, `${tokenUrl}/revoke`, API at `${apiUrl}/calendar/v3`.
 */

/** Calendar scopes only: read calendars + free/busy, write events. Nothing about the account itself. */
export const GOOGLE_CALENDAR_SCOPES = [
  'https://www.googleapis.com/auth/calendar.readonly',
  'https://www.googleapis.com/auth/calendar.events',
] as const;

/** Broader scopes that also satisfy each of ours (a token granted `calendar` can do both). */
const SATISFIES: Record<(typeof GOOGLE_CALENDAR_SCOPES)[number], string[]> = {
  'https://www.googleapis.com/auth/calendar.readonly': ['https://www.googleapis.com/auth/calendar'],
  'https://www.googleapis.com/auth/calendar.events': ['https://www.googleapis.com/auth/calendar'],
};

export type GoogleOAuthClient = Auth.OAuth2Client;

/** Offline access with a consent prompt, so Google sends a refresh token on every connect. */
export function googleOAuthProvider(): OAuthProvider {
  const config = env().google;
  return {
    id: 'google',
    // Real Google sends iss=https://accounts.google.com on the callback (RFC 9207); the emulator sends none.
    issuer: config.oauthUrl,
    authorizationEndpoint: `${config.oauthUrl}/o/oauth2/v2/auth`,
    tokenEndpoint: `${config.tokenUrl}/token`,
    revocationEndpoint: `${config.tokenUrl}/revoke`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    tokenAuth: 'client_secret_post',
    revocationAuth: 'none',
    scopes: GOOGLE_CALENDAR_SCOPES,
    authorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'false' },
    configured: config.configured,
    emulated: config.emulated,
  };
}

/** A fresh OAuth2 client. `forceRefreshOnFailure`: a 401 triggers one refresh + retry (clock skew, early expiry). */
export function createGoogleOAuthClient(): GoogleOAuthClient {
  const config = env().google;
  if (!config.configured) throw new AppError('not_configured', 'Google Calendar is not configured (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET)');
  return new google.auth.OAuth2({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: oauthRedirectUri('google'),
    forceRefreshOnFailure: true,
    endpoints: {
      oauth2AuthBaseUrl: `${config.oauthUrl}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${config.tokenUrl}/token`,
      oauth2RevokeUrl: `${config.tokenUrl}/revoke`,
      tokenInfoUrl: `${config.tokenUrl}/tokeninfo`,
    },
  });
}

/** Scopes of ours missing from what the host granted (granular consent lets them untick some). */
export function missingGoogleScopes(granted: string | null | undefined): string[] {
  const have = new Set((granted ?? '').split(/\s+/).filter(Boolean));
  return GOOGLE_CALENDAR_SCOPES.filter((scope) => !have.has(scope) && !SATISFIES[scope].some((s) => have.has(s)));
}
