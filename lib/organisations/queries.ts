import 'server-only';
import { eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { env } from '@/lib/env';

export type Membership = {
  organisationId: string;
  organisationName: string;
  role: 'owner' | 'admin' | 'member';
  isInstance: boolean;
  /** The organisation has a Zoom account (settings saved or ZOOM_S2S_* for the instance organisation). */
  hasZoom: boolean;
};

/** The host's organisation and role, or null (a host belongs to at most one). */
export async function membershipOf(userId: string, db?: DbOrTx): Promise<Membership | null> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select({
      organisationId: organisations.id,
      organisationName: organisations.name,
      role: organisationMembers.role,
      isInstance: organisations.isInstance,
      zoomClientId: organisations.zoomClientId,
    })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId))
    .limit(1);
  if (!row) return null;
  return {
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    role: row.role,
    isInstance: row.isInstance,
    // The instance organisation may take its Zoom app from env (ZOOM_S2S_*).
    hasZoom: row.zoomClientId !== null || (row.isInstance && env().zoomS2s !== null),
  };
}
