import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type EmulatorContext, json } from './http';
import { authenticate } from './oauth';
import type { EmuUser } from './state';

/**
 * Google's OpenID Connect side, as "Sign in with Google" uses it: the discovery document, the
 * signing keys (JWKS), an RS256 id_token in the token response when `openid` was granted, and the
 * userinfo endpoint (`www.googleapis.com/oauth2/v3/userinfo`, also `openidconnect.googleapis.com/v1/userinfo`).
 */

type SigningKey = { kid: string; privateKey: KeyObject; jwk: Record<string, unknown> };
const keys = new WeakMap<EmulatorContext, SigningKey>();

/** One RSA key per emulator, made on first use (tests that never sign in pay nothing). */
function signingKey(ctx: EmulatorContext): SigningKey {
  const existing = keys.get(ctx);
  if (existing) return existing;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 40);
  const key: SigningKey = { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
  keys.set(ctx, key);
  return key;
}

/** The `iss` of the id_tokens: the configured issuer, else the base URL the request reached. */
export function issuerOf(ctx: EmulatorContext, request: Request): string {
  return ctx.issuer ?? `${new URL(request.url).origin}${ctx.basePath}`;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** What the account shares for the granted scopes (Google's userinfo and id_token claims). */
function profileClaims(user: EmuUser, scopes: string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.includes('email') || scopes.includes('https://www.googleapis.com/auth/userinfo.email')) {
    Object.assign(claims, { email: user.email, email_verified: true });
  }
  if (scopes.includes('profile') || scopes.includes('https://www.googleapis.com/auth/userinfo.profile')) {
    const [given, ...rest] = user.name.split(' ');
    Object.assign(claims, { name: user.name, given_name: given, ...(rest.length > 0 ? { family_name: rest.join(' ') } : {}), picture: null });
  }
  return claims;
}

export function signIdToken(
  ctx: EmulatorContext,
  request: Request,
  input: { user: EmuUser; scopes: string[]; accessToken: string; nonce: string | null },
): string {
  const key = signingKey(ctx);
  const issued = Math.floor(ctx.now().getTime() / 1000);
  // at_hash: left half of the SHA-256 of the access token (OIDC core 3.1.3.6).
  const atHash = createHash('sha256').update(input.accessToken).digest().subarray(0, 16).toString('base64url');
  const payload = {
    iss: issuerOf(ctx, request),
    azp: ctx.clientId,
    aud: ctx.clientId,
    ...profileClaims(input.user, input.scopes),
    at_hash: atHash,
    ...(input.nonce ? { nonce: input.nonce } : {}),
    iat: issued,
    exp: issued + 3600,
  };
  const signingInput = `${b64url(JSON.stringify({ alg: 'RS256', kid: key.kid, typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey);
  return `${signingInput}.${b64url(signature)}`;
}

export function handleUserinfo(ctx: EmulatorContext, request: Request): Response {
  const auth = authenticate(ctx, request);
  if (auth === 'missing' || auth === 'invalid') {
    return json({ error: 'invalid_request', error_description: 'Invalid Credentials' }, 401, { 'www-authenticate': 'Bearer error="invalid_token"' });
  }
  const claims = profileClaims(auth.user, auth.grant.scopes);
  if (Object.keys(claims).length === 1) return json({ error: 'insufficient_scope', error_description: 'Insufficient Permission' }, 403);
  return json(claims);
}

export function handleCerts(ctx: EmulatorContext): Response {
  return json({ keys: [signingKey(ctx).jwk] });
}

export function handleDiscovery(ctx: EmulatorContext, request: Request): Response {
  const issuer = issuerOf(ctx, request);
  return json({
    issuer,
    authorization_endpoint: `${issuer}/o/oauth2/v2/auth`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/oauth2/v3/userinfo`,
    revocation_endpoint: `${issuer}/revoke`,
    jwks_uri: `${issuer}/oauth2/v3/certs`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: ['aud', 'email', 'email_verified', 'exp', 'family_name', 'given_name', 'iat', 'iss', 'name', 'picture', 'sub'],
    code_challenge_methods_supported: ['plain', 'S256'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
  });
}
