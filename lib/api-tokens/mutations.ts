import 'server-only';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { sha256Hex, randomToken } from '@/lib/crypto';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { apiTokens } from '@/lib/db/schema/hosts';
import { AppError } from '@/lib/errors';
import { findActiveTokenByHash } from './queries';
import { API_TOKEN_PATTERN, API_TOKEN_PREFIX, bearerToken } from './schema';

/** Creates a personal API token. The plain token is returned once and never stored. */
export async function createApiToken(userId: string, name: string, db?: DbOrTx): Promise<{ id: string; token: string; displayPrefix: string }> {
  const client = db ?? (await getDb());
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  const displayPrefix = `${token.slice(0, API_TOKEN_PREFIX.length + 6)}…`;
  const [row] = await client
    .insert(apiTokens)
    .values({ userId, name: name.trim(), tokenHash: sha256Hex(token), displayPrefix })
    .returning({ id: apiTokens.id });
  return { id: row!.id, token, displayPrefix };
}

/** Revokes the host's token; another host's token id is not found. Revoking twice is fine. */
export async function revokeApiToken(userId: string, tokenId: string, db?: DbOrTx): Promise<void> {
  const client = db ?? (await getDb());
  const rows = await client
    .update(apiTokens)
    .set({ revoked: true })
    .where(and(eq(apiTokens.userId, userId), eq(apiTokens.id, tokenId)))
    .returning({ id: apiTokens.id });
  if (rows.length === 0) throw new AppError('not_found', `API token ${tokenId} not found`);
}

/** lastUsedAt is written at most once a minute per token, so busy clients do not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The host behind `Authorization: Bearer aki_…`. Throws AppError('unauthorized') for a missing,
 * malformed, unknown or revoked token, and records when the token was last used.
 */
export async function authenticateApiToken(request: Request, db?: DbOrTx): Promise<{ userId: string }> {
  const token = bearerToken(request.headers.get('authorization'));
  if (!token) throw new AppError('unauthorized', 'Send a personal API token: Authorization: Bearer aki_…');
  if (!API_TOKEN_PATTERN.test(token)) throw new AppError('unauthorized', 'Invalid API token');
  const client = db ?? (await getDb());
  const found = await findActiveTokenByHash(sha256Hex(token), client);
  if (!found) throw new AppError('unauthorized', 'Invalid or revoked API token');
  const now = new Date();
  await client
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiTokens.id, found.id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
      ),
    );
  return { userId: found.userId };
}
