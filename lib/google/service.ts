import 'server-only';
import { type GoogleCalendarSummary, listCalendarsWith, listGoogleCalendars } from '@/lib/calendar/google';
import { CalendarError } from '@/lib/calendar/errors';
import type { Auth } from 'googleapis';
import { decryptSecret, encryptSecret, randomToken, safeEqual } from '@/lib/crypto';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { calendarCallOptions, calendarClient, httpStatusOf, isInvalidGrant } from './client';
import { deleteGoogleConnection, saveGoogleCalendarChoice, upsertGoogleConnection } from './mutations';
import { buildGoogleAuthorizeUrl, createGoogleOAuthClient, missingGoogleScopes } from './oauth';
import { type GoogleConnectionView, getGoogleConnection, toGoogleConnectionView } from './queries';
import type { GoogleCalendarSettingsInput } from './schema';

/**
 * Linking a host's Google Calendar: connect (OAuth with PKCE, state bound to the signed-in host in a
 * short-lived encrypted cookie), choose calendars, disconnect. Core functions take the host id; the
 * route handlers and actions deal with cookies and sessions.
 */

export const GOOGLE_SETTINGS_PATH = '/settings/integrations';
export const GOOGLE_CONNECT_COOKIE = 'aki_google_connect';
export const GOOGLE_CONNECT_COOKIE_PATH = '/api/integrations/google';
const CONNECT_TTL_SECONDS = 10 * 60;

/** ?google=… on the settings page after a connect attempt or an action. */
export type GoogleConnectOutcome = 'connected' | 'denied' | 'state' | 'scope' | 'unreachable' | 'no_refresh_token' | 'error' | 'not_configured';

export class GoogleConnectError extends Error {
  constructor(
    public readonly outcome: Exclude<GoogleConnectOutcome, 'connected'>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GoogleConnectError';
  }
}

type ConnectState = { v: 1; userId: string; state: string; verifier: string; exp: number };

export type CookieToSet = { name: string; value: string; maxAge: number; path: string; httpOnly: true; sameSite: 'lax'; secure: boolean };

/** Starts a connect: the Google URL to send the host to, and the cookie that binds the answer to this host. */
export async function beginGoogleConnect(userId: string, options: { loginHint?: string } = {}): Promise<{ authorizeUrl: string; cookie: CookieToSet }> {
  if (!env().google.configured) throw new GoogleConnectError('not_configured', 'Google is not configured');
  const client = createGoogleOAuthClient();
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const state = randomToken(24);
  const payload: ConnectState = { v: 1, userId, state, verifier: codeVerifier, exp: Date.now() + CONNECT_TTL_SECONDS * 1000 };
  return {
    authorizeUrl: buildGoogleAuthorizeUrl(client, { state, codeChallenge: codeChallenge ?? '', loginHint: options.loginHint }),
    cookie: {
      name: GOOGLE_CONNECT_COOKIE,
      value: encryptSecret(JSON.stringify(payload)),
      maxAge: CONNECT_TTL_SECONDS,
      path: GOOGLE_CONNECT_COOKIE_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: env().appUrl.startsWith('https://'),
    },
  };
}

function readConnectState(cookie: string | undefined): ConnectState | null {
  if (!cookie) return null;
  try {
    const parsed = JSON.parse(decryptSecret(cookie)) as Partial<ConnectState>;
    if (parsed.v !== 1 || typeof parsed.userId !== 'string' || typeof parsed.state !== 'string' || typeof parsed.verifier !== 'string') return null;
    if (typeof parsed.exp !== 'number' || parsed.exp < Date.now()) return null;
    return parsed as ConnectState;
  } catch {
    return null;
  }
}

/**
 * Completes a connect from Google's redirect: checks state against the cookie and the signed-in host,
 * exchanges the code (PKCE), checks the granted scopes, reads the calendar list (the primary
 * calendar's id is the account's address) and stores the link with encrypted tokens.
 */
export async function finishGoogleConnect(
  userId: string,
  input: { cookie: string | undefined; state: string | null; code: string | null; error: string | null },
): Promise<{ email: string }> {
  const saved = readConnectState(input.cookie);
  if (!saved || saved.userId !== userId || !input.state || !safeEqual(saved.state, input.state)) {
    throw new GoogleConnectError('state', 'The connect request does not match this browser session');
  }
  if (input.error) throw new GoogleConnectError(input.error === 'access_denied' ? 'denied' : 'error', `Google answered ${input.error}`);
  if (!input.code) throw new GoogleConnectError('error', 'Google did not send an authorisation code');

  const client = createGoogleOAuthClient();
  let tokens: Auth.Credentials;
  try {
    ({ tokens } = await client.getToken({ code: input.code, codeVerifier: saved.verifier }));
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === undefined || status >= 500) throw new GoogleConnectError('unreachable', 'Google could not be reached', { cause: error });
    throw new GoogleConnectError('error', isInvalidGrant(error) ? 'The authorisation code was refused' : 'The code exchange failed', { cause: error });
  }
  if (!tokens.access_token) throw new GoogleConnectError('error', 'Google sent no access token');
  client.setCredentials(tokens);

  if (missingGoogleScopes(tokens.scope).length > 0) {
    // Partial consent: give the grant back rather than keep a link that cannot do its job.
    await client.revokeToken(tokens.access_token).catch(() => undefined);
    throw new GoogleConnectError('scope', `Missing scopes: ${missingGoogleScopes(tokens.scope).join(' ')}`);
  }

  let calendars: GoogleCalendarSummary[];
  try {
    calendars = await listCalendarsWith({ calendar: calendarClient(client), call: calendarCallOptions(10_000) });
  } catch (error) {
    const status = httpStatusOf(error);
    throw new GoogleConnectError(status === undefined || status >= 500 ? 'unreachable' : 'error', 'Could not read the calendar list', { cause: error });
  }
  const primary = calendars.find((c) => c.primary);
  if (!primary) throw new GoogleConnectError('error', 'The Google account has no primary calendar');

  // Google sends a refresh token on every consent with prompt=consent; should it not, the stored one
  // of the same Google account still works (never another account's).
  const existing = await getGoogleConnection(userId);
  const stored = existing?.googleEmail === primary.id && existing.refreshTokenEnc ? decryptSecret(existing.refreshTokenEnc) : null;
  const refreshToken = tokens.refresh_token ?? stored;
  if (!refreshToken) throw new GoogleConnectError('no_refresh_token', 'Google sent no refresh token');

  await upsertGoogleConnection(userId, {
    email: primary.id,
    accessToken: tokens.access_token,
    refreshToken,
    expiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
    scopes: (tokens.scope ?? '').split(/\s+/).filter(Boolean),
    calendarIds: calendars.map((c) => c.id),
    primaryCalendarId: primary.id,
    writableCalendarIds: calendars.filter((c) => c.writable).map((c) => c.id),
  });
  return { email: primary.id };
}

export type GoogleCardData =
  | { state: 'not_configured' }
  | { state: 'disconnected' }
  | { state: 'revoked'; connection: GoogleConnectionView }
  | {
      state: 'connected';
      connection: GoogleConnectionView;
      /** null when Google could not be read just now (the card says so and keeps the saved choice). */
      calendars: GoogleCalendarSummary[] | null;
      calendarsError: 'unreachable' | 'revoked' | 'error' | null;
    };

/** Everything the settings card shows, without tokens. A failing calendar list never breaks the page. */
export async function getGoogleCardData(userId: string): Promise<GoogleCardData> {
  const row = await getGoogleConnection(userId);
  if (!row) return env().google.configured ? { state: 'disconnected' } : { state: 'not_configured' };
  if (row.status === 'revoked') return { state: 'revoked', connection: toGoogleConnectionView(row) };
  try {
    const calendars = await listGoogleCalendars(userId, { timeoutMs: 3000 });
    return { state: 'connected', connection: toGoogleConnectionView(row), calendars, calendarsError: null };
  } catch (error) {
    if (error instanceof CalendarError && error.revoked) {
      const fresh = await getGoogleConnection(userId);
      if (fresh) return { state: 'revoked', connection: toGoogleConnectionView(fresh) };
    }
    const reason = error instanceof CalendarError && error.retryable ? 'unreachable' : 'error';
    return { state: 'connected', connection: toGoogleConnectionView(row), calendars: null, calendarsError: reason };
  }
}

/**
 * Saves which calendars count as busy, which one receives bookings and whether all-day events block.
 * Ids are checked against the host's calendar list when Google answers (the target must be writable).
 */
export async function updateGoogleCalendarSettings(userId: string, input: GoogleCalendarSettingsInput): Promise<void> {
  const row = await getGoogleConnection(userId);
  if (!row) throw new AppError('integration_not_connected', 'Google Calendar is not connected');
  if (row.status === 'revoked') throw new AppError('integration_revoked', 'Google Calendar access was revoked; reconnect first');
  let calendars: GoogleCalendarSummary[] | null = null;
  try {
    calendars = await listGoogleCalendars(userId, { timeoutMs: 5000 });
  } catch (error) {
    if (error instanceof CalendarError && error.revoked) throw new AppError('integration_revoked', 'Google Calendar access was revoked; reconnect first');
    calendars = null;
  }
  const busyCalendarIds = [...new Set(input.busyCalendarIds)];
  if (calendars) {
    const known = new Set(calendars.map((c) => c.id));
    const unknown = busyCalendarIds.find((id) => !known.has(id));
    if (unknown) throw new AppError('invalid_input', 'Unknown calendar', { fields: { busyCalendarIds: 'unknown_calendar' } });
    const target = calendars.find((c) => c.id === input.targetCalendarId);
    if (!target?.writable) throw new AppError('invalid_input', 'This calendar cannot receive events', { fields: { targetCalendarId: 'not_writable' } });
  }
  await saveGoogleCalendarChoice(userId, { busyCalendarIds, targetCalendarId: input.targetCalendarId, allDayEventsBusy: input.allDayEventsBusy });
}

/** Revokes the grant at Google (best effort: a dead or unreachable token must not keep the link) and deletes the tokens. */
export async function disconnectGoogle(userId: string): Promise<void> {
  const row = await getGoogleConnection(userId);
  if (!row) return;
  const token = row.refreshTokenEnc ? decryptSecret(row.refreshTokenEnc) : decryptSecret(row.accessTokenEnc);
  if (env().google.configured) {
    try {
      const client = createGoogleOAuthClient();
      await Promise.race([client.revokeToken(token), new Promise((resolve) => setTimeout(resolve, 5000))]);
    } catch (error) {
      console.warn('[google] revoke on disconnect failed; deleting the tokens anyway', httpStatusOf(error) ?? (error as Error).message);
    }
  }
  await deleteGoogleConnection(userId);
}
