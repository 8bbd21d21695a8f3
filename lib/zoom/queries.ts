import 'server-only';
import { eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { zoomConnections } from '@/lib/db/schema/integrations';

export type ZoomConnection = typeof zoomConnections.$inferSelect;

export type ZoomConnectionStatus = {
  state: 'none' | 'active' | 'revoked';
  email?: string | null;
  reason?: string | null;
  /** Scopes Zoom granted (space-separated on the wire). */
  scopes?: string[];
  /** A Basic (free) Zoom user: meetings end after 40 minutes; attendance and cloud recordings need a paid plan. */
  basic?: boolean;
};

/** Zoom Basic (free) meetings end after this many minutes. */
export const ZOOM_BASIC_MEETING_MINUTES = 40;

/** The host's Zoom link row (with encrypted tokens) or null. Server-only: never send it to a browser. */
export async function getZoomConnection(userId: string, db?: DbOrTx): Promise<ZoomConnection | null> {
  const client = db ?? (await getDb());
  const [row] = await client.select().from(zoomConnections).where(eq(zoomConnections.userId, userId)).limit(1);
  return row ?? null;
}

/** What the UI and the booking pipeline need to know about a host's Zoom link (no secrets). */
export async function getZoomConnectionStatus(userId: string): Promise<ZoomConnectionStatus> {
  const row = await getZoomConnection(userId);
  if (!row) return { state: 'none' };
  return {
    state: row.status,
    email: row.zoomEmail,
    reason: row.status === 'revoked' ? (row.revokedReason ?? 'revoked') : null,
    scopes: row.scopes.split(/\s+/).filter(Boolean),
    basic: row.zoomUserType === 1,
  };
}

/** Connections of a Zoom user (at most one: invariant 4). Used by webhooks. */
export async function findZoomConnectionByZoomUserId(zoomUserId: string, db?: DbOrTx): Promise<ZoomConnection | null> {
  const client = db ?? (await getDb());
  const [row] = await client.select().from(zoomConnections).where(eq(zoomConnections.zoomUserId, zoomUserId)).limit(1);
  return row ?? null;
}
