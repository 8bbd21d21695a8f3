import 'server-only';
import { decryptSecret } from '@/lib/crypto';
import { env } from '@/lib/env';
import { AppError, IntegrationError, isIntegrationError } from '@/lib/errors';
import { type AuthorizationStart, beginAuthorization, completeAuthorization, revokeAuthorization } from '@/lib/oauth/flow';
import type { IntegrationOutcome } from '@/lib/oauth/outcome';
import { type GoogleCalendarSummary, listCalendarsWith, listGoogleCalendars } from './calendar';
import { calendarCallOptions, calendarClient, httpStatusOf } from './client';
import { deleteGoogleConnection, saveGoogleCalendarChoice, upsertGoogleConnection } from './mutations';
import { createGoogleOAuthClient, googleOAuthProvider, missingGoogleScopes } from './oauth';
import { type GoogleConnectionView, getGoogleConnection, toGoogleConnectionView } from './queries';
import type { GoogleCalendarSettingsInput } from './schema';

/**
 * Linking a host's Google Calendar: connect (lib/oauth round trip: state + PKCE sealed in a cookie
 * bound to the signed-in host), choose calendars, disconnect. Core functions take the host id; the
 * route handlers and actions deal with cookies and sessions.
 */

/** The outcomes a Google connect can end in (?google=…). */
export type GoogleConnectOutcome = Extract<IntegrationOutcome, 'connected' | 'denied' | 'state' | 'scope' | 'unreachable' | 'no_refresh_token' | 'error' | 'not_configured'>;

/** Starts a connect: the Google URL to send the host to, and the cookie that binds the answer to this host. */
export function beginGoogleConnect(userId: string, options: { loginHint?: string } = {}): Promise<AuthorizationStart> {
  return beginAuthorization(googleOAuthProvider(), userId, { login_hint: options.loginHint });
}

/**
 * Completes a connect from Google's redirect (lib/oauth checks the cookie, state and exchanges the
 * code), checks the granted scopes, reads the calendar list (the primary calendar's id is the
 * account's address) and stores the link with encrypted tokens. Never throws for expected failures.
 */
export async function finishGoogleConnect(input: { hostId: string; params: URLSearchParams; cookie: string | undefined }): Promise<GoogleConnectOutcome> {
  const userId = input.hostId;
  const provider = googleOAuthProvider();
  const result = await completeAuthorization(provider, input);
  if (!result.ok) {
    const { failure } = result;
    if (failure.reason === 'not_configured' || failure.reason === 'state' || failure.reason === 'unreachable') return failure.reason;
    if (failure.reason === 'denied') return failure.error === 'access_denied' ? 'denied' : 'error';
    console.warn('[google] connect failed:', failure.reason === 'refused' ? `${failure.error} ${failure.description}` : failure.detail);
    return 'error';
  }
  const tokens = result.value;

  if (missingGoogleScopes(tokens.scopes.join(' ')).length > 0) {
    // Partial consent: give the grant back rather than keep a link that cannot do its job.
    await revokeAuthorization(provider, tokens.accessToken);
    return 'scope';
  }

  let calendars: GoogleCalendarSummary[];
  try {
    const client = createGoogleOAuthClient();
    client.setCredentials({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expiry_date: tokens.expiresAt?.getTime() ?? null });
    calendars = await listCalendarsWith({ calendar: calendarClient(client), call: calendarCallOptions(10_000) });
  } catch (error) {
    const status = httpStatusOf(error);
    console.warn('[google] connect failed: could not read the calendar list', status ?? (error as Error).message);
    return status === undefined || status >= 500 ? 'unreachable' : 'error';
  }
  const primary = calendars.find((c) => c.primary);
  if (!primary) {
    console.warn('[google] connect failed: the Google account has no primary calendar');
    return 'error';
  }

  // Google sends a refresh token on every consent with prompt=consent; should it not, the stored one
  // of the same Google account still works (never another account's).
  const existing = await getGoogleConnection(userId);
  const stored = existing?.googleEmail === primary.id && existing.refreshTokenEnc ? decryptSecret(existing.refreshTokenEnc) : null;
  const refreshToken = tokens.refreshToken ?? stored;
  if (!refreshToken) return 'no_refresh_token';

  await upsertGoogleConnection(userId, {
    email: primary.id,
    accessToken: tokens.accessToken,
    refreshToken,
    expiresAt: tokens.expiresAt,
    scopes: tokens.scopes,
    calendarIds: calendars.map((c) => c.id),
    primaryCalendarId: primary.id,
    writableCalendarIds: calendars.filter((c) => c.writable).map((c) => c.id),
  });
  return 'connected';
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
    if (isIntegrationError(error, 'revoked')) {
      const fresh = await getGoogleConnection(userId);
      if (fresh) return { state: 'revoked', connection: toGoogleConnectionView(fresh) };
    }
    const reason = error instanceof IntegrationError && error.retryable ? 'unreachable' : 'error';
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
    if (isIntegrationError(error, 'revoked')) throw new AppError('integration_revoked', 'Google Calendar access was revoked; reconnect first');
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
    const revoked = await revokeAuthorization(googleOAuthProvider(), token, { timeoutMs: 5000 });
    if (!revoked.ok) console.warn('[google] revoke on disconnect failed; deleting the tokens anyway', revoked.failure.reason);
  }
  await deleteGoogleConnection(userId);
}
