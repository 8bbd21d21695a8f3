import 'server-only';
import { eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { googleConnections } from '@/lib/db/schema/integrations';

export type GoogleConnectionRow = typeof googleConnections.$inferSelect;

/** What the settings card may see: never the tokens (invariant 5). */
export type GoogleConnectionView = {
  status: 'active' | 'revoked';
  email: string | null;
  busyCalendarIds: string[];
  targetCalendarId: string | null;
  allDayEventsBusy: boolean;
  revokedReason: string | null;
  revokedAt: Date | null;
  busyDegradedAt: Date | null;
  busyDegradedReason: string | null;
  connectedAt: Date;
};

export async function getGoogleConnection(userId: string, db?: DbOrTx): Promise<GoogleConnectionRow | null> {
  const handle = db ?? (await getDb());
  const [row] = await handle.select().from(googleConnections).where(eq(googleConnections.userId, userId)).limit(1);
  return row ?? null;
}

export function toGoogleConnectionView(row: GoogleConnectionRow): GoogleConnectionView {
  return {
    status: row.status,
    email: row.googleEmail,
    busyCalendarIds: row.busyCalendarIds,
    targetCalendarId: row.targetCalendarId,
    allDayEventsBusy: row.allDayEventsBusy,
    revokedReason: row.revokedReason,
    revokedAt: row.revokedAt,
    busyDegradedAt: row.busyDegradedAt,
    busyDegradedReason: row.busyDegradedReason,
    connectedAt: row.createdAt,
  };
}

export async function getGoogleConnectionView(userId: string): Promise<GoogleConnectionView | null> {
  const row = await getGoogleConnection(userId);
  return row ? toGoogleConnectionView(row) : null;
}
