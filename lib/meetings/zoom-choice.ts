import 'server-only';
import { and, eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { AppError } from '@/lib/errors';
import { membershipOf } from '@/lib/organisations/queries';
import { type ZoomChoice, zoomChoiceOf } from './credentials';

/**
 * The host's one choice in Settings → Integrations (issue 12): "my own Zoom account" or "my
 * organisation's Zoom" (when the organisation has one). New meetings use the effective choice
 * (lib/meetings/credentials.ts); existing bookings keep the credential that made their meeting.
 */

export type ZoomChoiceView = ZoomChoice & {
  /** The Zoom user the organisation's meetings are created under for this host (their mapped user, else the default user); null when none. */
  organisationZoomUser: { email: string | null; via: 'member' | 'default' } | null;
};

export async function hostZoomChoice(userId: string, db?: DbOrTx): Promise<ZoomChoiceView> {
  const client = db ?? (await getDb());
  const choice = await zoomChoiceOf(client, userId);
  if (!choice.organisation) return { ...choice, organisationZoomUser: null };
  const [row] = await client
    .select({
      memberUserId: organisationMembers.zoomUserId,
      memberEmail: organisationMembers.zoomUserEmail,
      defaultUserId: organisations.zoomDefaultUserId,
      defaultEmail: organisations.zoomDefaultUserEmail,
    })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(and(eq(organisationMembers.userId, userId), eq(organisationMembers.organisationId, choice.organisation.id)))
    .limit(1);
  const organisationZoomUser = row?.memberUserId
    ? { email: row.memberEmail, via: 'member' as const }
    : row?.defaultUserId
      ? { email: row.defaultEmail, via: 'default' as const }
      : null;
  return { ...choice, organisationZoomUser };
}

/** Whether the host's new meetings come from a Zoom account (own link active, or the organisation's): the "Zoom linked" checks. */
export async function hostHasMeetingZoom(userId: string, ownActive: boolean, db?: DbOrTx): Promise<boolean> {
  if (ownActive) return true;
  const choice = await zoomChoiceOf(db ?? (await getDb()), userId);
  return choice.effective === 'organisation';
}

/** Sets the host's choice. 'organisation' needs an organisation with a Zoom account (else invalid_input, field zoomSource). */
export async function setZoomSource(userId: string, source: unknown, db?: DbOrTx): Promise<'own' | 'organisation'> {
  const client = db ?? (await getDb());
  if (source !== 'own' && source !== 'organisation') throw new AppError('invalid_input', 'Unknown Zoom source', { fields: { zoomSource: 'invalid' } });
  if (source === 'organisation') {
    const membership = await membershipOf(userId, client);
    if (!membership?.hasZoom) throw new AppError('invalid_input', 'Your organisation has no Zoom account', { fields: { zoomSource: 'no_organisation_zoom' } });
  }
  await client.update(users).set({ zoomSource: source }).where(eq(users.id, userId));
  return source;
}
