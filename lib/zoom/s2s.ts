import 'server-only';
import type { ZoomCredentialSource } from './types';

/**
 * An organisation's Zoom account through its Server-to-Server OAuth app (issue 12; contracts first,
 * filled in by the integration work): `POST {oauthUrl}/oauth/token` with Basic auth and
 * `grant_type=account_credentials&account_id=…` → a 1-hour token, no refresh token. Several valid
 * tokens may coexist, so a per-process cache refreshed ~60 s early is enough; a 401 gets one fresh
 * token and one retry.
 */

export type S2sApp = {
  /** Cache and back-off key: the organisation's id. */
  key: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
};

/** Meetings of `zoomUser` (a Zoom user id of the account: never `me`) with the app's token. */
export function serverToServerSource(_app: S2sApp, _zoomUser: string): ZoomCredentialSource {
  throw new Error('serverToServerSource: not implemented yet');
}

export type S2sCheckFailure =
  | 'invalid_client' // wrong client id or secret
  | 'invalid_account' // the account id does not belong to the app
  | 'app_deactivated' // the app exists but is not activated (or was deactivated)
  | 'missing_scope' // the token lacks scopes Aki needs (`missingScopes` names them)
  | 'rate_limited'
  | 'unreachable'
  | 'unexpected_response';

export type S2sCheck =
  | { ok: true; scopes: string[]; users: { id: string; email: string; firstName: string; lastName: string; type: number }[] }
  | { ok: false; reason: S2sCheckFailure; missingScopes?: string[]; detail?: string };

/** "Test connection": gets a token, checks its scopes, lists the account's users. Never throws for Zoom's answers. */
export async function checkServerToServerApp(_app: S2sApp): Promise<S2sCheck> {
  throw new Error('checkServerToServerApp: not implemented yet');
}
