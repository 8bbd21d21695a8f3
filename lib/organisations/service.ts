import 'server-only';
import { and, eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { env } from '@/lib/env';
import type { OrganisationRole } from './schema';

/**
 * The instance organisation of a single-company install (AKI_ORG_NAME + AKI_ADMIN_EMAILS): one row
 * with `isInstance = true`, created on demand, that every host joins. Its Zoom app comes from
 * ZOOM_S2S_* when set (lib/organisations/zoom.ts), else from the row's own columns.
 */

export type InstanceOrganisation = { id: string; name: string };

/**
 * The instance organisation, created when it does not exist yet; null when AKI_ORG_NAME is not set.
 * Idempotent and race-safe: two processes inserting at once meet the unique partial index
 * `organisations_instance_unique` (one row with is_instance = true), the loser reads the winner's row.
 * The name follows AKI_ORG_NAME (env is the source of truth for the instance organisation).
 */
export async function ensureInstanceOrganisation(db?: DbOrTx): Promise<InstanceOrganisation | null> {
  const config = env().instanceOrganisation;
  if (!config) return null;
  const client = db ?? (await getDb());
  const [existing] = await client
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.isInstance, true))
    .limit(1);
  if (existing) {
    if (existing.name !== config.name) {
      await client.update(organisations).set({ name: config.name, updatedAt: new Date() }).where(eq(organisations.id, existing.id));
    }
    return { id: existing.id, name: config.name };
  }
  await client.insert(organisations).values({ name: config.name, isInstance: true }).onConflictDoNothing();
  const [row] = await client
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.isInstance, true))
    .limit(1);
  if (!row) throw new Error('The instance organisation could not be created');
  return row;
}

/** The role AKI_ADMIN_EMAILS gives an address in the instance organisation: the first listed is owner, the others admin, everyone else member. */
export function instanceRoleFor(email: string, adminEmails: string[]): OrganisationRole {
  const index = adminEmails.indexOf(email.trim().toLowerCase());
  if (index === 0) return 'owner';
  if (index > 0) return 'admin';
  return 'member';
}

const RANK: Record<OrganisationRole, number> = { member: 0, admin: 1, owner: 2 };

/**
 * Puts a host into the instance organisation (when AKI_ORG_NAME is set): on sign-up / onboarding
 * completion and on later visits, so hosts that existed before the variable was set join too.
 * Idempotent. A host who already belongs to another organisation stays there (never moved). A member
 * whose address is added to AKI_ADMIN_EMAILS later is raised to the role the list gives (never lowered).
 * Returns the host's role in the instance organisation, or null when they are not in it.
 */
export async function joinInstanceOrganisation(user: { id: string; email: string }, db?: DbOrTx): Promise<OrganisationRole | null> {
  const config = env().instanceOrganisation;
  if (!config) return null;
  const client = db ?? (await getDb());
  const org = await ensureInstanceOrganisation(client);
  if (!org) return null;
  const role = instanceRoleFor(user.email, config.adminEmails);
  // organisation_members_user_unique: a host in another organisation (or a concurrent join) makes this a no-op.
  await client.insert(organisationMembers).values({ organisationId: org.id, userId: user.id, role }).onConflictDoNothing();
  const [member] = await client
    .select({ organisationId: organisationMembers.organisationId, role: organisationMembers.role })
    .from(organisationMembers)
    .where(eq(organisationMembers.userId, user.id))
    .limit(1);
  if (!member || member.organisationId !== org.id) return null;
  if (RANK[role] > RANK[member.role]) {
    await client
      .update(organisationMembers)
      .set({ role, updatedAt: new Date() })
      .where(and(eq(organisationMembers.organisationId, org.id), eq(organisationMembers.userId, user.id)));
    return role;
  }
  return member.role;
}
