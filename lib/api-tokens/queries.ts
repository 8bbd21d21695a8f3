import 'server-only';
import { and, desc, eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { apiTokens } from '@/lib/db/schema/hosts';

/** A token as the settings page lists it (never the hash). */
export type ApiTokenSummary = {
  id: string;
  name: string;
  displayPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revoked: boolean;
};

/** The host's tokens, newest first, active before revoked. */
export async function listApiTokens(userId: string, db?: DbOrTx): Promise<ApiTokenSummary[]> {
  const client = db ?? (await getDb());
  return client
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      displayPrefix: apiTokens.displayPrefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revoked: apiTokens.revoked,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(apiTokens.revoked, desc(apiTokens.createdAt));
}

/** The owner of an active token with this hash, or null. */
export async function findActiveTokenByHash(tokenHash: string, db?: DbOrTx): Promise<{ id: string; userId: string } | null> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select({ id: apiTokens.id, userId: apiTokens.userId })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), eq(apiTokens.revoked, false)))
    .limit(1);
  return row ?? null;
}
