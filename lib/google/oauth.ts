import 'server-only';
import { Auth, google } from 'googleapis';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';

/**
 * Google OAuth 2.0 (web server flow, offline access, PKCE) with google-auth-library's OAuth2Client.
 * Every endpoint comes from env().google, so the same code talks to Google or to the emulator:
 *   `${oauthUrl}/o/oauth2/v2/auth`, `${tokenUrl}/token`, `${tokenUrl}/revoke`, API at `${apiUrl}/calendar/v3`.
 */

export const GOOGLE_CALLBACK_PATH = '/api/integrations/google/callback';

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

export const googleRedirectUri = () => `${env().appUrl}${GOOGLE_CALLBACK_PATH}`;

/** A fresh OAuth2 client. `forceRefreshOnFailure`: a 401 triggers one refresh + retry (clock skew, early expiry). */
export function createGoogleOAuthClient(): GoogleOAuthClient {
  const config = env().google;
  if (!config.configured) throw new AppError('not_configured', 'Google Calendar is not configured (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET)');
  return new google.auth.OAuth2({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: googleRedirectUri(),
    forceRefreshOnFailure: true,
    endpoints: {
      oauth2AuthBaseUrl: `${config.oauthUrl}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${config.tokenUrl}/token`,
      oauth2RevokeUrl: `${config.tokenUrl}/revoke`,
      tokenInfoUrl: `${config.tokenUrl}/tokeninfo`,
    },
  });
}

export function buildGoogleAuthorizeUrl(
  client: GoogleOAuthClient,
  input: { state: string; codeChallenge: string; loginHint?: string },
): string {
  return client.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: [...GOOGLE_CALENDAR_SCOPES],
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: Auth.CodeChallengeMethod.S256,
    include_granted_scopes: false,
    ...(input.loginHint ? { login_hint: input.loginHint } : {}),
  });
}

/** Scopes of ours missing from what the host granted (granular consent lets them untick some). */
export function missingGoogleScopes(granted: string | null | undefined): string[] {
  const have = new Set((granted ?? '').split(/\s+/).filter(Boolean));
  return GOOGLE_CALENDAR_SCOPES.filter((scope) => !have.has(scope) && !SATISFIES[scope].some((s) => have.has(s)));
}
