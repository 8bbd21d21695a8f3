import { createHash } from 'node:crypto';
import { type EmulatorContext, escapeHtml, json, oauthError, readForm } from './http';
import { signIdToken } from './openid';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  AUTH_CODE_TTL_MS,
  addUser,
  type EmuAccessToken,
  type EmuGrant,
  type EmuUser,
  KNOWN_SCOPES,
  randomId,
} from './state';

/**
 * Google's OAuth 2.0 web-server flow: the consent page (`/o/oauth2/v2/auth`), the token endpoint
 * (`/token`: authorization_code with PKCE, refresh_token) and revocation (`/revoke`).
 */

const AUTH_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'access_type',
  'prompt',
  'code_challenge',
  'code_challenge_method',
  'login_hint',
  'include_granted_scopes',
  'nonce',
] as const;

/** The emulated accounts.google.com pages: Google's plain card look, with a clear "emulator" tag. */
const STYLE = `
  body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f0f4f9;color:#1f1f1f;margin:0;padding:24px;line-height:1.5}
  main{max-width:460px;margin:40px auto;background:#fff;border-radius:28px;padding:36px 32px}
  .brand{font-size:22px;font-weight:500;letter-spacing:-.5px}
  .brand span:nth-child(1){color:#4285f4}.brand span:nth-child(2){color:#ea4335}.brand span:nth-child(3){color:#fbbc05}
  .brand span:nth-child(4){color:#4285f4}.brand span:nth-child(5){color:#34a853}.brand span:nth-child(6){color:#ea4335}
  .demo{display:inline-block;background:#fef7e0;color:#7a5300;border-radius:6px;padding:2px 8px;font-size:12px;margin:6px 0 14px}
  h1{font-size:24px;font-weight:400;margin:8px 0 16px}
  label.account{display:block;font-size:14px;color:#444746}
  input[type=email]{display:block;width:100%;box-sizing:border-box;font-size:16px;padding:12px 14px;border:1px solid #747775;border-radius:4px;margin-top:4px}
  ul.scopes{list-style:none;padding:0;margin:8px 0 0;border-top:1px solid #e3e3e3}
  ul.scopes li{padding:12px 0;border-bottom:1px solid #e3e3e3}
  ul.scopes label{display:flex;gap:12px;align-items:flex-start;cursor:pointer}
  .actions{display:flex;justify-content:flex-end;gap:12px;margin-top:28px}
  button{font-size:14px;font-weight:500;padding:10px 24px;border-radius:20px;cursor:pointer}
  .allow{background:#0b57d0;color:#fff;border:1px solid #0b57d0}
  .deny{background:#fff;color:#0b57d0;border:1px solid #747775}
  .muted{color:#444746;font-size:14px}
`;

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><div class="brand" aria-label="Google"><span>G</span><span>o</span><span>o</span><span>g</span><span>l</span><span>e</span></div><div class="demo">Emulator · no real Google account is used</div>${body}</main></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function errorPage(status: number, title: string, detail: string): Response {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>`, status);
}

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return new Response(null, { status: 302, headers: { location: url.toString() } });
}

function findOrCreateUser(ctx: EmulatorContext, email: string | null): EmuUser {
  const wanted = email?.trim().toLowerCase();
  if (wanted) {
    const existing = ctx.state.users.find((u) => u.email.toLowerCase() === wanted);
    if (existing) return existing;
    if (/^[^@\s]+@[^@\s]+$/.test(wanted)) return addUser(ctx.state, wanted);
  }
  return ctx.state.users[0] ?? addUser(ctx.state, 'aki.demo@gmail.com');
}

function scopeLabel(scope: string): string {
  const labels: Record<string, string> = {
    'https://www.googleapis.com/auth/calendar': 'See, edit, share, and permanently delete all the calendars you can access using Google Calendar',
    'https://www.googleapis.com/auth/calendar.readonly': 'See and download any calendar you can access using your Google Calendar',
    'https://www.googleapis.com/auth/calendar.events': 'View and edit events on all your calendars',
    'https://www.googleapis.com/auth/calendar.events.readonly': 'View events on all your calendars',
    'https://www.googleapis.com/auth/calendar.freebusy': 'See the availability on Google Calendars you have access to',
  };
  return labels[scope] ?? scope;
}

/** Validates the authorization request; answers the error page Google shows for a broken request. */
function validateAuthRequest(ctx: EmulatorContext, params: URLSearchParams): Response | { scopes: string[]; redirectUri: string } {
  const clientId = params.get('client_id');
  if (!clientId || clientId !== ctx.clientId) return errorPage(401, 'Error 401: invalid_client', 'The OAuth client was not found.');
  const redirectUri = params.get('redirect_uri');
  let parsed: URL | null = null;
  try {
    parsed = redirectUri ? new URL(redirectUri) : null;
  } catch {
    parsed = null;
  }
  if (!redirectUri || !parsed || !/^https?:$/.test(parsed.protocol) || (ctx.redirectUris && !ctx.redirectUris.includes(redirectUri))) {
    return errorPage(
      400,
      'Error 400: redirect_uri_mismatch',
      `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. Request details: redirect_uri=${redirectUri ?? ''}`,
    );
  }
  if (params.get('response_type') !== 'code') {
    return redirectWith(redirectUri, { error: 'unsupported_response_type', state: params.get('state') ?? undefined });
  }
  const scopes = (params.get('scope') ?? '').split(/\s+/).filter(Boolean);
  if (scopes.length === 0) return errorPage(400, 'Error 400: invalid_request', 'Missing required parameter: scope');
  const unknown = scopes.find((s) => !KNOWN_SCOPES.includes(s));
  if (unknown) return errorPage(400, 'Error 400: invalid_scope', `Some requested scopes were invalid: ${unknown}`);
  const method = params.get('code_challenge_method');
  if (params.get('code_challenge') && method && method !== 'S256' && method !== 'plain') {
    return errorPage(400, 'Error 400: invalid_request', 'Invalid code_challenge_method');
  }
  return { scopes, redirectUri };
}

/** GET: the consent screen. POST: the Allow/Deny decision. */
export async function handleAuthorize(ctx: EmulatorContext, request: Request, path: string): Promise<Response> {
  if (request.method === 'GET') {
    const params = new URL(request.url).searchParams;
    const valid = validateAuthRequest(ctx, params);
    if (valid instanceof Response) return valid;
    const user = findOrCreateUser(ctx, params.get('login_hint'));
    const hidden = AUTH_PARAMS.map((name) => {
      const value = params.get(name);
      return value === null ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    }).join('');
    const scopeItems = valid.scopes
      .filter((s) => s.startsWith('https://'))
      .map(
        (s) =>
          `<li><label><input type="checkbox" name="granted_scope" value="${escapeHtml(s)}" checked> ${escapeHtml(scopeLabel(s))}</label></li>`,
      )
      .join('');
    return page(
      'Sign in - Google Accounts (emulator)',
      `<h1>Aki wants access to your Google Account</h1>
<form method="post" action="${escapeHtml(ctx.basePath + path)}">
${hidden}
<p><label class="account">Account <input name="account" type="email" value="${escapeHtml(user.email)}" required aria-label="Account"></label></p>
<p class="muted">This will allow Aki to:</p>
<ul class="scopes">${scopeItems}</ul>
<p class="actions">
<button type="submit" name="decision" value="deny" class="deny">Deny</button>
<button type="submit" name="decision" value="allow" class="allow">Allow</button>
</p></form>`,
    );
  }
  if (request.method !== 'POST') return errorPage(405, 'Method not allowed', request.method);
  const form = await readForm(request);
  const valid = validateAuthRequest(ctx, form);
  if (valid instanceof Response) return valid;
  const state = form.get('state') ?? undefined;
  if (form.get('decision') !== 'allow') return redirectWith(valid.redirectUri, { error: 'access_denied', state });
  const user = findOrCreateUser(ctx, form.get('account') ?? form.get('login_hint'));
  // Granular consent: non-Google scopes (openid, email…) are always granted; Google API scopes only when ticked.
  const ticked = form.getAll('granted_scope');
  const granted = valid.scopes.filter((s) => !s.startsWith('https://') || ticked.includes(s));
  const challenge = form.get('code_challenge');
  const code = `4/0emu-${randomId(24)}`;
  ctx.state.codes.push({
    code,
    userId: user.id,
    clientId: ctx.clientId,
    scopes: granted,
    redirectUri: valid.redirectUri,
    offline: form.get('access_type') === 'offline',
    promptConsent: (form.get('prompt') ?? '').split(' ').includes('consent'),
    codeChallenge: challenge || null,
    codeChallengeMethod: challenge ? (form.get('code_challenge_method') === 'S256' ? 'S256' : 'plain') : null,
    nonce: form.get('nonce'),
    expiresAt: new Date(ctx.now().getTime() + AUTH_CODE_TTL_MS).toISOString(),
    used: false,
  });
  return redirectWith(valid.redirectUri, { state, code, scope: granted.join(' ') });
}

function issueAccessToken(ctx: EmulatorContext, grant: EmuGrant): EmuAccessToken {
  const token: EmuAccessToken = {
    token: `ya29.emu-${randomId(32)}`,
    grantId: grant.id,
    expiresAt: new Date(ctx.now().getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString(),
  };
  ctx.state.accessTokens.push(token);
  return token;
}

function clientCredentials(request: Request, form: URLSearchParams): { id: string | null; secret: string | null } {
  const header = request.headers.get('authorization');
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: form.get('client_id'), secret: form.get('client_secret') };
}

function pkceMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  if (method === 'plain') return verifier === challenge;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

export async function handleToken(ctx: EmulatorContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'Method not allowed');
  const form = await readForm(request);
  const client = clientCredentials(request, form);
  if (!client.id || client.id !== ctx.clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (client.secret !== ctx.clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');
  const grantType = form.get('grant_type');
  const now = ctx.now();

  if (grantType === 'authorization_code') {
    const code = ctx.state.codes.find((c) => c.code === form.get('code'));
    if (!code || code.clientId !== client.id) return oauthError(400, 'invalid_grant', 'Malformed auth code.');
    if (code.used) return oauthError(400, 'invalid_grant', 'Bad Request');
    if (new Date(code.expiresAt) <= now) return oauthError(400, 'invalid_grant', 'Bad Request');
    if (form.get('redirect_uri') !== code.redirectUri) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
    if (code.codeChallenge && code.codeChallengeMethod) {
      const verifier = form.get('code_verifier');
      if (!verifier) return oauthError(400, 'invalid_grant', 'Missing code verifier.');
      if (!pkceMatches(verifier, code.codeChallenge, code.codeChallengeMethod)) {
        return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
      }
    }
    code.used = true;
    // Like Google: without prompt=consent a repeated offline authorisation gets no new refresh token.
    const hasRefresh = ctx.state.grants.some((g) => g.userId === code.userId && g.clientId === code.clientId && !g.revoked && g.refreshToken);
    const grant: EmuGrant = {
      id: randomId(9),
      userId: code.userId,
      clientId: code.clientId,
      scopes: code.scopes,
      refreshToken: code.offline && (code.promptConsent || !hasRefresh) ? `1//0emu-${randomId(32)}` : null,
      revoked: false,
      createdAt: now.toISOString(),
    };
    ctx.state.grants.push(grant);
    const access = issueAccessToken(ctx, grant);
    const user = ctx.state.users.find((u) => u.id === code.userId);
    // Like Google: an id_token whenever `openid` was granted (Sign in with Google).
    const idToken =
      user && grant.scopes.includes('openid') ? signIdToken(ctx, request, { user, scopes: grant.scopes, accessToken: access.token, nonce: code.nonce ?? null }) : null;
    return json({
      access_token: access.token,
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      ...(grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
      ...(idToken ? { id_token: idToken } : {}),
    });
  }

  if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    const grant = ctx.state.grants.find((g) => g.refreshToken === refreshToken && g.clientId === client.id);
    if (!grant || grant.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    const access = issueAccessToken(ctx, grant);
    // Google keeps the refresh token: the response carries a new access token only.
    return json({ access_token: access.token, expires_in: ACCESS_TOKEN_TTL_SECONDS, scope: grant.scopes.join(' '), token_type: 'Bearer' });
  }

  return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
}

/** Revoking either token of a grant revokes the whole grant (refresh token and every access token). */
export function revokeGrant(ctx: EmulatorContext, grant: EmuGrant): void {
  grant.revoked = true;
  ctx.state.accessTokens = ctx.state.accessTokens.filter((t) => t.grantId !== grant.id);
}

export async function handleRevoke(ctx: EmulatorContext, request: Request): Promise<Response> {
  if (request.method !== 'POST' && request.method !== 'GET') return oauthError(405, 'invalid_request', 'Method not allowed');
  const fromQuery = new URL(request.url).searchParams.get('token');
  const token = fromQuery ?? (request.method === 'POST' ? (await readForm(request)).get('token') : null);
  if (!token) return oauthError(400, 'invalid_request', 'Missing required parameter: token');
  const viaAccess = ctx.state.accessTokens.find((t) => t.token === token);
  const grant = ctx.state.grants.find((g) => (viaAccess ? g.id === viaAccess.grantId : g.refreshToken === token));
  if (!grant || grant.revoked) return oauthError(400, 'invalid_token', 'Token expired or revoked');
  revokeGrant(ctx, grant);
  return json({});
}

export type Authenticated = { user: EmuUser; grant: EmuGrant };

/** The account behind a Bearer token, or null when the token is missing, unknown, expired or revoked. */
export function authenticate(ctx: EmulatorContext, request: Request): Authenticated | 'missing' | 'invalid' {
  const header = request.headers.get('authorization');
  if (!header?.toLowerCase().startsWith('bearer ')) return 'missing';
  const token = ctx.state.accessTokens.find((t) => t.token === header.slice(7).trim());
  if (!token || new Date(token.expiresAt) <= ctx.now()) return 'invalid';
  const grant = ctx.state.grants.find((g) => g.id === token.grantId);
  const user = grant && ctx.state.users.find((u) => u.id === grant.userId);
  if (!grant || grant.revoked || !user) return 'invalid';
  return { user, grant };
}
