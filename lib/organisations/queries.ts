import 'server-only';
import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { sha256Hex } from '@/lib/crypto';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { organisationInvites, organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { env } from '@/lib/env';
import { INVITE_TOKEN_PATTERN } from './schema';

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

/** A member as the organisation page lists them (with their Zoom mapping, filled in by the Zoom admin). */
export type MemberSummary = {
  userId: string;
  name: string | null;
  email: string;
  handle: string | null;
  role: 'owner' | 'admin' | 'member';
  zoomUserEmail: string | null;
  zoomMapping: 'email' | 'chosen' | 'created' | 'default' | null;
  zoomMappingProblem: string | null;
  joinedAt: Date;
};

const ROLE_ORDER = sql`case ${organisationMembers.role} when 'owner' then 0 when 'admin' then 1 else 2 end`;

/** The members of one organisation: owners first, then admins, then members, each by when they joined. */
export async function listMembers(organisationId: string, db?: DbOrTx): Promise<MemberSummary[]> {
  const client = db ?? (await getDb());
  return client
    .select({
      userId: organisationMembers.userId,
      name: users.name,
      email: users.email,
      handle: users.handle,
      role: organisationMembers.role,
      zoomUserEmail: organisationMembers.zoomUserEmail,
      zoomMapping: organisationMembers.zoomMapping,
      zoomMappingProblem: organisationMembers.zoomMappingProblem,
      joinedAt: organisationMembers.createdAt,
    })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(ROLE_ORDER, asc(organisationMembers.createdAt), asc(users.email));
}

/** An invitation not accepted yet, as the organisation page lists it (never its token hash). */
export type PendingInvite = { id: string; email: string; role: 'admin' | 'member'; expiresAt: Date; expired: boolean; createdAt: Date };

/** The organisation's invitations not accepted yet, newest first (expired ones too, marked, so they can be sent again). */
export async function listPendingInvites(organisationId: string, now = new Date(), db?: DbOrTx): Promise<PendingInvite[]> {
  const client = db ?? (await getDb());
  const rows = await client
    .select({
      id: organisationInvites.id,
      email: organisationInvites.email,
      role: organisationInvites.role,
      expiresAt: organisationInvites.expiresAt,
      createdAt: organisationInvites.createdAt,
    })
    .from(organisationInvites)
    .where(and(eq(organisationInvites.organisationId, organisationId), isNull(organisationInvites.acceptedAt)))
    .orderBy(desc(organisationInvites.createdAt));
  return rows.map((row) => ({ ...row, expired: row.expiresAt.getTime() <= now.getTime() }));
}

/** A usable invitation (known, not accepted, not expired) by its token, with its organisation; null otherwise. */
export async function findInviteByToken(
  token: string,
  now = new Date(),
  db?: DbOrTx,
): Promise<{ id: string; organisationId: string; organisationName: string; email: string; role: 'admin' | 'member'; expiresAt: Date; inviterName: string | null } | null> {
  if (!INVITE_TOKEN_PATTERN.test(token)) return null;
  const client = db ?? (await getDb());
  const [row] = await client
    .select({
      id: organisationInvites.id,
      organisationId: organisationInvites.organisationId,
      organisationName: organisations.name,
      email: organisationInvites.email,
      role: organisationInvites.role,
      expiresAt: organisationInvites.expiresAt,
      inviterName: users.name,
      inviterEmail: users.email,
    })
    .from(organisationInvites)
    .innerJoin(organisations, eq(organisations.id, organisationInvites.organisationId))
    .leftJoin(users, eq(users.id, organisationInvites.invitedBy))
    .where(and(eq(organisationInvites.tokenHash, sha256Hex(token)), isNull(organisationInvites.acceptedAt), gt(organisationInvites.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  const { inviterEmail, ...invite } = row;
  return { ...invite, inviterName: row.inviterName ?? inviterEmail };
}
