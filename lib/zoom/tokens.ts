import 'server-only';
import { eq } from 'drizzle-orm';
import { processCache } from '@/lib/cache';
import { decryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { processSingleton } from '@/lib/process-singletons';
import { markZoomRevoked, storeRefreshedTokens } from './mutations';
import { queueZoomRevokedMail, sendRevokedNotice } from './notify';
import { refreshTokenSet } from './oauth';
import { getZoomConnection, type ZoomConnection } from './queries';
import { isDeadGrant, zoomError } from './rest';
import type { ZoomCredentialSource } from './types';

/**
 * Access tokens for a host's Zoom link. Tokens are AES-256-GCM encrypted at rest with an absolute
 * expiry; they are refreshed about 5 minutes early.
 *
 * Zoom rotates the refresh token on every refresh and the previous one dies at once, so two
 * concurrent refreshes disconnect the host (the loser gets invalid_grant). Hence refresh is
 * single-flight per host:
 *  - across processes: `SELECT … FOR UPDATE` on the host's row inside a transaction; the winner
 *    refreshes and commits the new pair before anyone uses it, the others then see the new token;
 *  - inside a process: a promise per host, because PGlite is one session whose row locks exclude
 *    nothing within the process (and it also saves pointless lock waits on Postgres).
 */

export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

const inFlight = processSingleton('zoom:refreshes', () => new Map<string, Promise<string>>());

type RefreshOutcome = { kind: 'token'; token: string } | { kind: 'none' } | { kind: 'revoked'; reason: string; changed: boolean; noticeId: number | null };

const notConnected = () => zoomError('not_connected', 'Zoom is not connected');
const revoked = (reason: string) => zoomError('revoked', `Zoom link revoked: ${reason}`, { revokedReason: reason });

/** What getZoomAccessToken reads of the host's link row. */
export type ZoomTokenRow = Pick<ZoomConnection, 'status' | 'revokedReason' | 'accessTokenEnc' | 'accessTokenExpiresAt'>;

/**
 * The host's own user-level OAuth link as the credentials of their meetings (`/users/me/…`).
 * `link`: the link's row as the caller has just read it (null: no link), used for the access token
 * instead of reading it again; a token Zoom refuses is read afresh (onUnauthorized).
 */
export function userOAuthSource(hostId: string, link?: ZoomTokenRow | null): ZoomCredentialSource {
  return {
    kind: 'user_oauth',
    hostKey: hostId,
    zoomUser: 'me',
    accessToken: () => getZoomAccessToken(hostId, link === undefined ? {} : { link }),
    onUnauthorized: (rejected) => getZoomAccessToken(hostId, { rejected }),
  };
}

/**
 * Decrypted access tokens by their sealed form: the same ciphertext always opens to the same token
 * (every refresh stores a new one, with a new IV), so this needs no invalidation; it spares the
 * AES-GCM key setup and decrypt on every meeting call. Bounded, and dropped an hour after last use.
 */
const openedTokens = processCache<string>('zoom:opened-access-tokens', { max: 1000, ttlMs: 60 * 60_000 });

function decryptToken(sealed: string): string {
  let token = openedTokens.get(sealed);
  if (token === undefined) {
    token = decryptSecret(sealed);
    openedTokens.set(sealed, token);
  }
  return token;
}

const isFresh = (expiresAt: Date) => expiresAt.getTime() - REFRESH_MARGIN_MS > Date.now();

/**
 * A usable access token for the host. `rejected` is a token Zoom just answered 401 to: it is
 * refreshed even if its stored expiry says otherwise (unless someone already replaced it).
 */
export async function getZoomAccessToken(
  userId: string,
  options: { rejected?: string; notify?: boolean; link?: ZoomTokenRow | null } = {},
): Promise<string> {
  const row = options.link !== undefined ? options.link : await getZoomConnection(userId);
  if (!row) throw notConnected();
  if (row.status === 'revoked') throw revoked(row.revokedReason ?? 'revoked');
  const current = decryptToken(row.accessTokenEnc);
  if (isFresh(row.accessTokenExpiresAt) && current !== options.rejected) return current;
  return refreshSingleFlight(userId, options.rejected ?? current, options.notify ?? true);
}

function refreshSingleFlight(userId: string, staleToken: string, notify: boolean): Promise<string> {
  const pending = inFlight.get(userId);
  if (pending) return pending;
  const promise = refreshZoomTokenLocked(userId, staleToken, notify).finally(() => inFlight.delete(userId));
  inFlight.set(userId, promise);
  return promise;
}

/**
 * The cross-process half of the single flight: refresh under the host's row lock, commit, then
 * return. Exported for the tests that prove the lock alone allows one refresh; callers use
 * getZoomAccessToken.
 */
export async function refreshZoomTokenLocked(userId: string, staleToken: string, notify = true): Promise<string> {
  const db = await getDb();
  const outcome = await db.transaction(async (tx): Promise<RefreshOutcome> => {
    const [row] = await tx.select().from(zoomConnections).where(eq(zoomConnections.userId, userId)).for('update');
    if (!row) return { kind: 'none' };
    if (row.status === 'revoked') return { kind: 'revoked', reason: row.revokedReason ?? 'revoked', changed: false, noticeId: null };
    const current = decryptSecret(row.accessTokenEnc);
    // Another process refreshed while we waited for the lock: use its token.
    if (current !== staleToken && isFresh(row.accessTokenExpiresAt)) return { kind: 'token', token: current };
    try {
      const tokens = await refreshTokenSet(decryptSecret(row.refreshTokenEnc));
      await storeRefreshedTokens(tx, userId, tokens);
      return { kind: 'token', token: tokens.accessToken };
    } catch (error) {
      if (!isDeadGrant(error)) throw error;
      // 4738: the Zoom admin turned off the app's pre-approval; otherwise the grant is simply gone.
      const reason = /4738|disabled by admin/i.test(error.oauthReason ?? '') ? 'admin_disabled' : 'invalid_grant';
      const now = new Date();
      const changed = await markZoomRevoked(userId, reason, tx, now);
      // The notice commits with the revocation (the outbox sends it, now or on the worker's retry).
      const noticeId = changed && notify ? await queueZoomRevokedMail(tx, userId, reason, now) : null;
      return { kind: 'revoked', reason, changed, noticeId };
    }
  });
  // Everything below runs after commit: the new pair (or the revocation) is durable.
  if (outcome.kind === 'token') return outcome.token;
  if (outcome.kind === 'none') throw notConnected();
  await sendRevokedNotice(outcome.noticeId);
  throw revoked(outcome.reason);
}
