import 'server-only';
import { z } from 'zod';
import { env } from '@/lib/env';
import { type IntegrationError, isIntegrationError } from '@/lib/errors';
import { processSingleton } from '@/lib/process-singletons';
import { oauthErrorFrom, sendWire, zoomError } from './rest';
import { missingS2sScopes, s2sCanCreateUsers } from './scopes';
import type { ZoomCredentialSource } from './types';
import { listZoomUsers } from './users';

/**
 * An organisation's Zoom account through its Server-to-Server OAuth app (issue 12):
 * `POST {oauthUrl}/oauth/token` with Basic auth and `grant_type=account_credentials&account_id=…` →
 * a 1-hour token, no refresh token. Several valid tokens may coexist, so a per-process cache refreshed
 * ~60 s early is enough (no cross-process lock); inside the process one request serves everyone who
 * asks meanwhile (single flight), and a 401 gets one fresh token and one retry (client.ts withToken).
 *
 * The token endpoint's refusals become IntegrationErrors the UI can explain (`s2sFailureOf`):
 * reason `revoked` with `revokedReason` invalid_client | invalid_account | app_deactivated (an admin
 * must fix the app: the pipeline waits, like for a revoked link), `rate_limited`, `unavailable`
 * (unreachable). Secrets never appear in messages or logs.
 */

export type S2sApp = {
  /** Cache and back-off key: the organisation's id. */
  key: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
};

type S2sToken = { accessToken: string; scopes: string[]; /** When the cache stops handing it out (~60 s before expiry). */ refreshAt: number };

/** Refresh this long before Zoom's expiry (rivet uses the same 60 s). */
export const S2S_REFRESH_MARGIN_MS = 60_000;

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive(),
  scope: z.string().default(''),
  api_url: z.string().optional(),
});

/** The `revokedReason`s of a token refusal (see s2sFailureOf). */
const REFUSALS = ['invalid_client', 'invalid_account', 'app_deactivated'] as const;
type Refusal = (typeof REFUSALS)[number];

/** Zoom's {error, reason} of a refused account_credentials grant, in our words. */
export function classifyTokenRefusal(oauthError: string | undefined, oauthReason: string | undefined): Refusal {
  const reason = oauthReason ?? '';
  if (/deactivat|disabled|not\s+activ|inactive|4717/i.test(reason)) return 'app_deactivated';
  if (/account/i.test(reason)) return 'invalid_account';
  // The credentials are checked first (invalid_client); for this grant the "grant" is the account id.
  if (oauthError === 'invalid_grant') return 'invalid_account';
  return 'invalid_client';
}

const REFUSAL_TEXT: Record<Refusal, string> = {
  invalid_client: 'the client ID or client secret is wrong (or the app is not a Server-to-Server OAuth app)',
  invalid_account: 'the account ID does not belong to this app',
  app_deactivated: 'the app is not activated (or was deactivated) in the Zoom App Marketplace',
};

/** One token request (no cache): the grant, mapped to IntegrationErrors. */
async function requestToken(app: S2sApp): Promise<S2sToken> {
  const requestedAt = Date.now();
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
  const response = await sendWire({
    method: 'POST',
    url: `${env().zoom.oauthUrl}/oauth/token`,
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'account_credentials', account_id: app.accountId }).toString(),
  });
  if (response.status < 200 || response.status >= 300) {
    const error = oauthErrorFrom(response, 'server-to-server token');
    if (error.reason !== 'oauth_refused') throw error; // rate_limited, unavailable (5xx)
    // Not Zoom's {reason, error} (an HTML page: a wrong ZOOM_OAUTH_URL, a proxy): say so rather than blame the secret.
    if (error.oauthError === 'invalid_response') {
      throw zoomError('unexpected_response', `Zoom server-to-server token: ${response.status} without Zoom's error body`, { status: response.status });
    }
    const refusal = classifyTokenRefusal(error.oauthError, error.oauthReason);
    throw zoomError('revoked', `Zoom refused the organisation's Server-to-Server app: ${REFUSAL_TEXT[refusal]} (${error.oauthError}: ${error.oauthReason})`, {
      status: response.status,
      providerCode: error.oauthError,
      oauthError: error.oauthError,
      oauthReason: error.oauthReason,
      revokedReason: refusal,
      retryable: false,
    });
  }
  const parsed = tokenResponse.safeParse(response.body);
  if (!parsed.success) throw zoomError('unexpected_response', 'Zoom server-to-server token endpoint returned an unexpected body', { status: response.status });
  const lifetimeMs = parsed.data.expires_in * 1000;
  return {
    accessToken: parsed.data.access_token,
    scopes: parsed.data.scope.split(/\s+/).filter(Boolean),
    // ~60 s early; a (strangely) short-lived token is still used for half its life.
    refreshAt: requestedAt + Math.max(lifetimeMs - S2S_REFRESH_MARGIN_MS, lifetimeMs / 2),
  };
}

/** Per process: the current token request (pending or done) of each app. Failed requests are dropped. */
const tokens = processSingleton('zoom:s2s-tokens', () => new Map<string, Promise<S2sToken>>());

const cacheKey = (app: S2sApp) => JSON.stringify([app.key, app.clientId, app.accountId]);

function load(key: string, app: S2sApp): Promise<S2sToken> {
  const promise = requestToken(app);
  tokens.set(key, promise);
  promise.catch(() => {
    if (tokens.get(key) === promise) tokens.delete(key);
  });
  return promise;
}

async function cachedToken(app: S2sApp): Promise<string> {
  const key = cacheKey(app);
  // Twice at most: a stale cached token is replaced once (a new token is always fresh).
  for (let round = 0; round < 2; round++) {
    const current = tokens.get(key) ?? load(key, app);
    const token = await current;
    if (token.refreshAt > Date.now()) return token.accessToken;
    if (tokens.get(key) === current) load(key, app);
  }
  return (await (tokens.get(key) ?? load(key, app))).accessToken;
}

/** Zoom answered 401 to `rejected`: drop it and get a fresh token — one request however many callers saw the 401. */
async function replaceToken(app: S2sApp, rejected: string): Promise<string> {
  const key = cacheKey(app);
  const current = tokens.get(key);
  if (current) {
    const token = await current.catch(() => null);
    // Someone replaced it already (or it is another, still good token): use that.
    if (token && token.accessToken !== rejected && token.refreshAt > Date.now()) return token.accessToken;
    if (tokens.get(key) === current) load(key, app);
  } else {
    load(key, app);
  }
  return (await (tokens.get(key) ?? load(key, app))).accessToken;
}

/** Meetings of `zoomUser` (a Zoom user id of the account: never `me`) with the app's token. */
export function serverToServerSource(app: S2sApp, zoomUser: string): ZoomCredentialSource {
  return {
    kind: 'server_to_server',
    accountKey: app.key,
    hostKey: `s2s:${app.key}`,
    zoomUser,
    accessToken: () => cachedToken(app),
    onUnauthorized: (rejected) => replaceToken(app, rejected),
  };
}

/** Forgets the cached tokens (tests; an admin who changed the app's credentials gets a new key anyway). */
export function forgetServerToServerTokens(app?: S2sApp): void {
  if (app) tokens.delete(cacheKey(app));
  else tokens.clear();
}

export type S2sCheckFailure =
  | 'invalid_client' // wrong client id or secret
  | 'invalid_account' // the account id does not belong to the app
  | 'app_deactivated' // the app exists but is not activated (or was deactivated)
  | 'missing_scope' // the token lacks scopes Aki needs (`missingScopes` names them)
  | 'rate_limited'
  | 'unreachable'
  | 'unexpected_response';

/**
 * What an S2S failure means for an admin, from any error of this module or of a call made with a
 * serverToServerSource (null: not one of these, e.g. a meeting that no longer exists).
 */
export function s2sFailureOf(error: unknown): S2sCheckFailure | null {
  if (!isIntegrationError(error)) return null;
  switch (error.reason) {
    case 'revoked':
      return (REFUSALS as readonly string[]).includes(error.revokedReason ?? '') ? (error.revokedReason as Refusal) : null;
    case 'missing_scope':
      return 'missing_scope';
    case 'rate_limited':
    case 'daily_limit':
      return 'rate_limited';
    case 'unavailable':
      return 'unreachable';
    case 'unexpected_response':
      return 'unexpected_response';
    default:
      return null;
  }
}

export type S2sCheckUser = { id: string; email: string; firstName: string; lastName: string; type: number };

export type S2sCheck =
  | {
      ok: true;
      scopes: string[];
      users: S2sCheckUser[];
      /** The app may create Zoom users (user:write:user:admin): optional, "Create Zoom user" is offered only then. */
      canCreateUsers: boolean;
    }
  | { ok: false; reason: S2sCheckFailure; missingScopes?: string[]; detail?: string };

/** A source that uses one given token and has no other (a 401 is the answer). */
function fixedTokenSource(app: S2sApp, token: string): ZoomCredentialSource {
  return {
    kind: 'server_to_server',
    accountKey: app.key,
    hostKey: `s2s-check:${app.key}`,
    zoomUser: '',
    accessToken: async () => token,
    onUnauthorized: async () => {
      throw zoomError('revoked', 'Zoom refused a token it has just issued to the Server-to-Server app (is the app activated?)', {
        revokedReason: 'app_deactivated',
        retryable: false,
      });
    },
  };
}

/** The admin name of the scope a 4711 names ("…does not contain scopes:[user:read:list_users:admin, user:read:list_users]"). */
function adminScopeOf(error: IntegrationError): string | null {
  const listed = /\[([^\]]*)\]/.exec(error.providerMessage ?? '')?.[1];
  const scopes = (listed ?? '')
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  const admin = scopes.find((scope) => scope.endsWith(':admin'));
  if (admin) return admin;
  if (!error.scope || error.scope === 'unknown') return null;
  return error.scope.endsWith(':admin') ? error.scope : `${error.scope}:admin`;
}

function failure(error: unknown): Extract<S2sCheck, { ok: false }> {
  const detail = error instanceof Error ? error.message : String(error);
  const reason = s2sFailureOf(error) ?? 'unexpected_response';
  if (reason === 'missing_scope') {
    const scope = adminScopeOf(error as IntegrationError);
    return { ok: false, reason, missingScopes: scope ? [scope] : [], detail };
  }
  return { ok: false, reason, detail };
}

/**
 * "Test connection": gets a fresh token (never the cache), checks its scopes against
 * REQUIRED_S2S_SCOPES (granular `:admin` or classic admin names), then lists the account's users.
 * Never throws for Zoom's answers: every expected failure is `{ok:false, reason, …}`.
 */
export async function checkServerToServerApp(app: S2sApp): Promise<S2sCheck> {
  let token: S2sToken;
  try {
    token = await requestToken(app);
  } catch (error) {
    return failure(error);
  }
  const missing = missingS2sScopes(token.scopes);
  // Zoom always lists the token's scopes; without a list the users call below is the check.
  if (token.scopes.length > 0 && missing.length > 0) {
    return { ok: false, reason: 'missing_scope', missingScopes: missing, detail: `The app lacks ${missing.join(', ')}` };
  }
  try {
    const users = await listZoomUsers(fixedTokenSource(app, token.accessToken));
    return {
      ok: true,
      scopes: token.scopes,
      users: users.map(({ id, email, firstName, lastName, type }) => ({ id, email, firstName, lastName, type })),
      canCreateUsers: s2sCanCreateUsers(token.scopes),
    };
  } catch (error) {
    if (isIntegrationError(error, 'unauthorized')) {
      return { ok: false, reason: 'app_deactivated', detail: error.message };
    }
    return failure(error);
  }
}
