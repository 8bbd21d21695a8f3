import { createHash, randomBytes } from 'node:crypto';
import { apiError, b64url, HttpError, oauthError, readParams, type ZoomContext } from './http';
import { jsonResponse } from './json';
import { consentPage, errorPage, preApprovalPage } from './pages';
import type { AccessToken, EmulatorUser, TokenSet } from './state';

/**
 * Zoom's user-level OAuth on zoom.us: the consent page (`/oauth/authorize`, with the admin
 * pre-approval detour), the token endpoint (authorization_code with PKCE, refresh_token with
 * single-use rotation), revocation, and the bearer check of the REST API.
 */

// Scopes accepted by each operation: granular (current apps) or classic (older apps).
export const SCOPES = {
  readUser: ['user:read:user', 'user:read', 'user_info:read'],
  createMeeting: ['meeting:write:meeting', 'meeting:write'],
  readMeeting: ['meeting:read:meeting', 'meeting:read'],
  updateMeeting: ['meeting:update:meeting', 'meeting:write'],
  deleteMeeting: ['meeting:delete:meeting', 'meeting:write'],
  listMeetings: ['meeting:read:list_meetings', 'meeting:read'],
  readPastMeeting: ['meeting:read:past_meeting', 'meeting:read'],
  listPastParticipants: ['meeting:read:list_past_participants', 'meeting:read'],
  listRecordings: ['cloud_recording:read:list_recording_files', 'recording:read'],
  addRegistrant: ['meeting:write:registrant', 'meeting:write'],
  // Account administration: only admin scopes grant these (a user-level token needs the `:admin` names too).
  listUsers: ['user:read:list_users:admin', 'user:read:admin'],
  createUser: ['user:write:user:admin', 'user:write:admin'],
  readSettings: ['user:read:settings', 'user:read'],
} as const;

/**
 * Who a bearer token acts as. A user-level token (authorization_code) acts as its `user`; an account token
 * (account_credentials, Server-to-Server) has `user` null and acts for every user of `accountId`.
 */
export type ApiContext = { user: EmulatorUser | null; accountId: string; set: TokenSet; access: AccessToken };

/** The classic or granular admin name of a scope (`meeting:write:meeting` → `meeting:write:meeting:admin`, `meeting:write` → `meeting:write:admin`). */
export const adminScope = (scope: string) => (scope.endsWith(':admin') ? scope : `${scope}:admin`);

export function mintToken(
  emu: ZoomContext,
  kind: 'access' | 'refresh',
  user: Pick<EmulatorUser, 'id' | 'accountId'>,
  lifetimeSeconds: number,
  clientId = emu.options.clientId,
): string {
  const issued = Math.floor(emu.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS512', v: '2.0', kid: randomBytes(8).toString('hex') }));
  const payload = b64url(
    JSON.stringify({
      ver: 10,
      auid: createHash('sha256').update(clientId).digest('hex').slice(0, 32),
      uid: user.id,
      aid: user.accountId,
      iss: `zm:cid:${clientId}`,
      gno: 0,
      type: kind === 'access' ? 0 : 1,
      tid: kind === 'access' ? 0 : 1,
      aud: 'https://oauth.zoom.us',
      nbf: issued,
      iat: issued,
      exp: issued + lifetimeSeconds,
      jti: randomBytes(12).toString('hex'),
    }),
  );
  return `eyJ${header.slice(3)}.${payload}.${randomBytes(64).toString('base64url')}`;
}

function grantedScopes(emu: ZoomContext, user: EmulatorUser): string[] {
  return user.scopes ?? emu.state.config.appScopes;
}

function issueTokens(emu: ZoomContext, set: TokenSet, user: EmulatorUser) {
  const config = emu.state.config;
  const issuedAt = emu.now();
  const access: AccessToken = {
    token: mintToken(emu, 'access', user, config.accessTokenTtlSeconds),
    setId: set.id,
    issuedAt,
    expiresAt: issuedAt + config.accessTokenTtlSeconds * 1000,
  };
  const refresh = {
    token: mintToken(emu, 'refresh', user, config.refreshTokenTtlSeconds),
    setId: set.id,
    issuedAt,
    expiresAt: issuedAt + config.refreshTokenTtlSeconds * 1000,
    usedAt: null,
  };
  emu.state.accessTokens.push(access);
  emu.state.refreshTokens.push(refresh);
  return {
    access_token: access.token,
    token_type: 'bearer',
    refresh_token: refresh.token,
    expires_in: config.accessTokenTtlSeconds,
    scope: set.scopes.join(' '),
    api_url: 'https://api.zoom.us',
  };
}

export type TokenResponse = ReturnType<typeof issueTokens>;

/**
 * A fresh authorisation of the app by `user` (what a successful authorization_code exchange does):
 * every older token set of that user for this app dies (Zoom: the newest authorisation wins, 4741).
 * Also used without the browser round trip by the demo seed (ZoomEmulator.issueTokenSet).
 */
export function newTokenSet(emu: ZoomContext, user: EmulatorUser): TokenResponse {
  for (const set of emu.state.tokenSets) if (set.userId === user.id && set.clientId === emu.options.clientId) revokeSet(emu, set, 'superseded');
  const set: TokenSet = {
    id: randomBytes(8).toString('hex'),
    userId: user.id,
    clientId: emu.options.clientId,
    scopes: grantedScopes(emu, user),
    createdAt: emu.now(),
    revokedAt: null,
    revokedReason: null,
  };
  emu.state.tokenSets.push(set);
  emu.state.stats.tokenExchanges++;
  return issueTokens(emu, set, user);
}

export function revokeSet(emu: ZoomContext, set: TokenSet, reason: string) {
  if (set.revokedAt === null) {
    set.revokedAt = emu.now();
    set.revokedReason = reason;
  }
}

function clientAuthOk(emu: ZoomContext, request: Request): boolean {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && decoded.slice(0, colon) === emu.options.clientId && decoded.slice(colon + 1) === emu.options.clientSecret;
}

function authorizeProblem(emu: ZoomContext, params: Record<string, string>): Response | null {
  if (params.response_type !== 'code') return errorPage('Invalid request', 'response_type must be "code". (4700)');
  if (params.client_id !== emu.options.clientId) return errorPage('Invalid client_id', 'The app could not be found. (4702)');
  if (!params.redirect_uri) return errorPage('Invalid redirect', 'redirect_uri is required. (4709)');
  try {
    const redirect = new URL(params.redirect_uri);
    if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return errorPage('Invalid redirect', 'Invalid redirect: the redirect URL is not a valid URL. (4709)');
  }
  if (emu.options.redirectUris && !emu.options.redirectUris.includes(params.redirect_uri)) {
    return errorPage('Invalid redirect', 'Invalid redirect: the redirect URL is not on the app allow list. (4709)');
  }
  if (params.scope !== undefined) return errorPage('Invalid scopes', 'Invalid scopes. Scopes are configured on the Marketplace app. (4711)');
  if (params.code_challenge_method && !['S256', 'plain'].includes(params.code_challenge_method)) {
    return errorPage('Invalid request', 'Unsupported code_challenge_method.');
  }
  return null;
}

const AUTHORIZE_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope'];

function redirectBack(redirectUri: string, query: Record<string, string | undefined>): Response {
  const target = new URL(redirectUri);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(key, value);
  return new Response(null, { status: 302, headers: { location: target.toString() } });
}

export async function authorize(emu: ZoomContext, request: Request, url: URL): Promise<Response> {
  const all = await readParams(request, url);
  const params: Record<string, string> = {};
  for (const field of AUTHORIZE_FIELDS) if (all[field] !== undefined) params[field] = all[field]!;
  const problem = authorizeProblem(emu, params);
  if (problem) return problem;
  const action = `${emu.basePath}/oauth/authorize`;
  if (request.method === 'GET') {
    return consentPage({ action, params, users: emu.state.users, scopes: emu.state.config.appScopes, appName: emu.appName });
  }
  const decision = all.decision;
  if (decision === 'deny') {
    return redirectBack(params.redirect_uri!, { error: 'access_denied', error_description: 'The user denied the authorization request', state: params.state });
  }
  const user = emu.state.users.find((u) => u.id === all.user_id);
  if (!user) return errorPage('Sign in', 'Choose an account to continue.');
  if (user.requiresPreApproval) {
    if (decision === 'request_approval') {
      emu.state.preApprovalRequests.push({ userId: user.id, at: new Date(emu.now()).toISOString() });
      return preApprovalPage({ action, params, user, requested: true, appName: emu.appName });
    }
    if (decision === 'back') {
      // Real Zoom sends nothing back here (the user just leaves); the emulator's "back" link
      // returns a labelled access_denied so the app can explain the pre-approval step.
      return redirectBack(params.redirect_uri!, {
        error: 'access_denied',
        error_description: 'admin_pre_approval_required',
        state: params.state,
      });
    }
    return preApprovalPage({ action, params, user, requested: emu.state.preApprovalRequests.some((r) => r.userId === user.id), appName: emu.appName });
  }
  if (decision !== 'allow') return errorPage('Invalid request', 'Unknown decision.');
  const code = randomBytes(24).toString('base64url');
  emu.state.codes.push({
    code,
    userId: user.id,
    clientId: emu.options.clientId,
    redirectUri: params.redirect_uri!,
    codeChallenge: params.code_challenge ?? null,
    codeChallengeMethod: params.code_challenge ? ((params.code_challenge_method as 'S256' | 'plain' | undefined) ?? 'plain') : null,
    expiresAt: emu.now() + emu.state.config.codeTtlSeconds * 1000,
    usedAt: null,
  });
  return redirectBack(params.redirect_uri!, { code, state: params.state });
}

export async function token(emu: ZoomContext, request: Request, url: URL): Promise<Response> {
  const params = await readParams(request, url);
  const grantType = params.grant_type;
  const finish = (response: Response, userId?: string) => {
    emu.record({ method: 'POST', path: '/oauth/token', status: response.status, grantType, userId });
    return response;
  };
  if (grantType === 'account_credentials') return finish(accountCredentials(emu, request, params));
  if (!clientAuthOk(emu, request)) return finish(oauthError('invalid_client', 'Invalid client_id or client_secret'));
  if (!grantType) return finish(oauthError('invalid_request', 'Missing grant_type'));

  if (grantType === 'authorization_code') {
    const entry = emu.state.codes.find((c) => c.code === params.code);
    if (!entry || entry.usedAt !== null) return finish(oauthError('invalid_grant', 'Invalid authorization code'));
    if (entry.expiresAt <= emu.now()) return finish(oauthError('invalid_grant', 'Authorization code expired'));
    if (params.redirect_uri !== entry.redirectUri) return finish(oauthError('invalid_request', 'Redirect URI mismatch.'));
    if (entry.codeChallenge) {
      const verifier = params.code_verifier;
      if (!verifier) return finish(oauthError('invalid_request', 'Missing code_verifier'));
      const computed = entry.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (computed !== entry.codeChallenge) return finish(oauthError('invalid_grant', 'Invalid code_verifier'));
    }
    entry.usedAt = emu.now();
    const user = emu.state.users.find((u) => u.id === entry.userId);
    if (!user) return finish(oauthError('invalid_grant', 'Owner of token does not exist'));
    return finish(jsonResponse(newTokenSet(emu, user)), user.id);
  }

  if (grantType === 'refresh_token') {
    const entry = emu.state.refreshTokens.find((r) => r.token === params.refresh_token);
    const set = entry ? emu.state.tokenSets.find((s) => s.id === entry.setId) : undefined;
    const user = set ? emu.state.users.find((u) => u.id === set.userId) : undefined;
    if (!entry || !set || !user || entry.usedAt !== null || set.revokedAt !== null || entry.expiresAt <= emu.now()) {
      emu.state.stats.refreshFailures++;
      return finish(oauthError('invalid_grant', 'Invalid Token!'), set?.userId);
    }
    // Rotation: the refresh token is single use; the previous access token lives until it expires.
    entry.usedAt = emu.now();
    emu.state.stats.refreshes++;
    return finish(jsonResponse(issueTokens(emu, set, user)), user.id);
  }

  return finish(oauthError('unsupported_grant_type', 'Unsupported grant type'));
}

function basicCredentials(request: Request): { clientId: string; clientSecret: string } | null {
  const match = /^Basic\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) } : null;
}

/**
 * `grant_type=account_credentials&account_id=…` with Basic auth of a Server-to-Server app: a one-hour
 * access token for the whole account, no refresh token; every call mints a new token and older ones
 * stay valid (Zoom's "multiple access token support"). Errors (400 `{reason, error}`): unknown client or
 * wrong secret → invalid_client "Invalid client_id or client_secret"; missing account_id →
 * invalid_request "Missing account_id"; an account id that is not the app's → invalid_request
 * "Invalid account_id"; an app that is not activated → invalid_client "The app has been deactivated".
 */
function accountCredentials(emu: ZoomContext, request: Request, params: Record<string, string>): Response {
  const credentials = basicCredentials(request);
  const owner = credentials ? emu.state.accounts.find((a) => a.s2sApps.some((app) => app.clientId === credentials.clientId)) : undefined;
  const app = owner?.s2sApps.find((a) => a.clientId === credentials?.clientId);
  if (!credentials || !owner || !app || app.clientSecret !== credentials.clientSecret) {
    return oauthError('invalid_client', 'Invalid client_id or client_secret');
  }
  if (!params.account_id) return oauthError('invalid_request', 'Missing account_id');
  if (params.account_id !== owner.id) return oauthError('invalid_request', 'Invalid account_id');
  if (!app.activated) return oauthError('invalid_client', 'The app has been deactivated');
  const config = emu.state.config;
  const set: TokenSet = {
    id: randomBytes(8).toString('hex'),
    userId: '',
    accountId: owner.id,
    clientId: app.clientId,
    scopes: [...app.scopes],
    createdAt: emu.now(),
    revokedAt: null,
    revokedReason: null,
  };
  const issuedAt = emu.now();
  const access: AccessToken = {
    token: mintToken(emu, 'access', { id: '', accountId: owner.id }, config.accessTokenTtlSeconds, app.clientId),
    setId: set.id,
    issuedAt,
    expiresAt: issuedAt + config.accessTokenTtlSeconds * 1000,
  };
  emu.state.tokenSets.push(set);
  emu.state.accessTokens.push(access);
  emu.state.stats.tokenExchanges++;
  return jsonResponse(
    { access_token: access.token, token_type: 'bearer', expires_in: config.accessTokenTtlSeconds, scope: set.scopes.join(' '), api_url: 'https://api.zoom.us' },
    200,
  );
}

/** The S2S app an account token came from, when it was issued by one. */
export function s2sAppOf(emu: ZoomContext, set: TokenSet) {
  if (set.accountId === undefined) return undefined;
  return emu.state.accounts.find((a) => a.id === set.accountId)?.s2sApps.find((app) => app.clientId === set.clientId);
}

export async function revoke(emu: ZoomContext, request: Request, url: URL): Promise<Response> {
  const params = await readParams(request, url);
  const finish = (response: Response, userId?: string) => {
    emu.record({ method: 'POST', path: '/oauth/revoke', status: response.status, userId });
    return response;
  };
  if (!clientAuthOk(emu, request)) return finish(oauthError('invalid_client', 'Invalid client_id or client_secret'));
  if (!params.token) return finish(oauthError('invalid_request', 'Missing token'));
  const setId =
    emu.state.accessTokens.find((t) => t.token === params.token)?.setId ?? emu.state.refreshTokens.find((t) => t.token === params.token)?.setId;
  const set = emu.state.tokenSets.find((s) => s.id === setId);
  if (!set || set.revokedAt !== null) return finish(oauthError('invalid_request', 'Invalid Token!'));
  revokeSet(emu, set, 'revoked');
  emu.state.stats.revocations++;
  return finish(jsonResponse({ status: 'success' }), set.userId);
}

export function authenticate(emu: ZoomContext, request: Request): ApiContext {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const access = match ? emu.state.accessTokens.find((t) => t.token === match[1]) : undefined;
  const set = access ? emu.state.tokenSets.find((s) => s.id === access.setId) : undefined;
  if (!access || !set || set.revokedAt !== null) throw new HttpError(apiError(401, 124, 'Invalid access token.'));
  if (set.accountId !== undefined) {
    // An account token dies with its app's activation (and with the app or account removed).
    if (!s2sAppOf(emu, set)?.activated) throw new HttpError(apiError(401, 124, 'Invalid access token.'));
    if (access.expiresAt <= emu.now()) throw new HttpError(apiError(401, 124, 'Access token is expired.'));
    return { user: null, accountId: set.accountId, set, access };
  }
  const user = emu.state.users.find((u) => u.id === set.userId);
  if (!user) throw new HttpError(apiError(401, 124, 'Invalid access token.'));
  if (access.expiresAt <= emu.now()) throw new HttpError(apiError(401, 124, 'Access token is expired.'));
  return { user, accountId: user.accountId, set, access };
}

/**
 * Each operation lists its granular user scope first, then the classic one. An account token needs their
 * `:admin` names (`meeting:write:meeting:admin` or `meeting:write:admin`); a user token accepts both forms.
 */
export function requireScope(ctx: ApiContext, accepted: readonly string[]) {
  const admin = accepted.map(adminScope);
  const allowed = ctx.user ? [...accepted, ...admin] : admin;
  if (allowed.some((scope) => ctx.set.scopes.includes(scope))) return;
  const granular = accepted[0]!.replace(/:admin$/, '');
  throw new HttpError(apiError(400, 4711, `Invalid access token, does not contain scopes:[${granular}:admin, ${granular}].`));
}
