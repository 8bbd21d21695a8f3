import 'server-only';
import { and, eq } from 'drizzle-orm';
import { encryptSecret } from '@/lib/crypto';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { zoomConnections } from '@/lib/db/schema/integrations';
import type { ZoomTokenSet } from './oauth';

/** `type`: Zoom's user type (1 Basic, 2 Licensed), when GET /users/me said. */
export type ZoomUserProfile = { id: string; accountId: string | null; email: string | null; type?: number | null };

function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function tokenColumns(tokens: ZoomTokenSet) {
  return {
    accessTokenEnc: encryptSecret(tokens.accessToken),
    refreshTokenEnc: encryptSecret(tokens.refreshToken),
    accessTokenExpiresAt: tokens.expiresAt,
    scopes: tokens.scopes.join(' '),
    updatedAt: new Date(),
  };
}

/**
 * Stores a new link of `userId` to a Zoom user. One Zoom account ↔ one host (invariant 4, unique
 * index): when the Zoom user is already linked to another host the answer is 'taken'. Zoom has just
 * invalidated that host's older tokens (re-authorisation supersedes them), so if their link is
 * active it receives the new pair — same Zoom user, same app — instead of silently breaking.
 */
export async function saveZoomLink(userId: string, tokens: ZoomTokenSet, profile: ZoomUserProfile): Promise<'linked' | 'taken'> {
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [owner] = await tx.select().from(zoomConnections).where(eq(zoomConnections.zoomUserId, profile.id)).for('update');
      if (owner && owner.userId !== userId) {
        if (owner.status === 'active') {
          await tx.update(zoomConnections).set(tokenColumns(tokens)).where(eq(zoomConnections.userId, owner.userId));
        }
        return 'taken' as const;
      }
      const values = {
        zoomUserId: profile.id,
        zoomAccountId: profile.accountId,
        zoomEmail: profile.email,
        zoomUserType: profile.type ?? null,
        ...tokenColumns(tokens),
        status: 'active' as const,
        revokedReason: null,
        revokedAt: null,
      };
      await tx
        .insert(zoomConnections)
        .values({ userId, ...values })
        .onConflictDoUpdate({ target: zoomConnections.userId, set: values });
      return 'linked' as const;
    });
  } catch (error) {
    // Two hosts linking the same Zoom user at the same moment: the unique index decides.
    if (isUniqueViolation(error)) return 'taken';
    throw error;
  }
}

/** Stores a rotated token pair (inside the refresh transaction, before the token is used). */
export async function storeRefreshedTokens(db: DbOrTx, userId: string, tokens: ZoomTokenSet): Promise<void> {
  await db.update(zoomConnections).set(tokenColumns(tokens)).where(eq(zoomConnections.userId, userId));
}

/** Marks an active link revoked. Returns false when it was not active (already revoked or gone). */
export async function markZoomRevoked(userId: string, reason: string, db?: DbOrTx, now = new Date()): Promise<boolean> {
  const client = db ?? (await getDb());
  const rows = await client
    .update(zoomConnections)
    .set({ status: 'revoked', revokedReason: reason, revokedAt: now, updatedAt: now })
    .where(and(eq(zoomConnections.userId, userId), eq(zoomConnections.status, 'active')))
    .returning({ userId: zoomConnections.userId });
  return rows.length > 0;
}

export async function deleteZoomConnection(userId: string, db?: DbOrTx): Promise<void> {
  const client = db ?? (await getDb());
  await client.delete(zoomConnections).where(eq(zoomConnections.userId, userId));
}
