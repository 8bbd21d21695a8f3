import 'server-only';
import { and, count, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { randomToken, sha256Hex } from '@/lib/crypto';
import { type Db, getDb, type Tx } from '@/lib/db/client';
import { bookingPages, teamPageMembers } from '@/lib/db/schema/booking-pages';
import { users } from '@/lib/db/schema/hosts';
import { organisationInvites, organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { enqueueMail, sendQueuedMail } from '@/lib/mail/outbox';
import { renderOrganisationInviteMail } from '@/lib/mail/templates/organisation-invite';
import { canManage, INVITE_TOKEN_PATTERN, INVITE_TTL_MS, type InviteInput, type OrganisationRole } from './schema';

/**
 * Everything that changes who is in an organisation. Each mutation runs in one transaction that
 * first locks the caller's organisation row, so two admins acting at once cannot, say, both demote
 * the last two owners. Authorisation is part of each mutation, in this order: the caller's own
 * organisation (none → not_found), the target inside it (another organisation's member or
 * invitation → not_found, exactly like an unknown id), then the caller's role (forbidden).
 */

/** Why a request was refused although it was well-formed (AppError('conflict' | 'forbidden', problem)); the page translates it. */
export type OrganisationProblem =
  | 'already_member'
  | 'instance_organisation'
  | 'instance_name'
  | 'instance_membership'
  | 'last_owner'
  | 'owner_only'
  | 'wrong_email';

const problem = (code: 'conflict' | 'forbidden', reason: OrganisationProblem) => new AppError(code, reason, { reason });
const notFound = (what: string) => new AppError('not_found', `${what} not found`);

const isUniqueViolation = (error: unknown): boolean => {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return (error as { code?: unknown } | null)?.code === '23505' || cause?.code === '23505';
};

export type Caller = { organisationId: string; isInstance: boolean; role: OrganisationRole };

/** The caller's membership with their organisation row locked for the rest of the transaction; not_found without one. */
export async function lockCaller(tx: Tx, userId: string): Promise<Caller> {
  const [member] = await tx
    .select({ organisationId: organisationMembers.organisationId })
    .from(organisationMembers)
    .where(eq(organisationMembers.userId, userId))
    .limit(1);
  if (!member) throw notFound('Organisation');
  const [org] = await tx
    .select({ id: organisations.id, isInstance: organisations.isInstance })
    .from(organisations)
    .where(eq(organisations.id, member.organisationId))
    .for('update');
  // Read the role again under the lock (a concurrent change may have just changed or removed it).
  const [locked] = await tx
    .select({ role: organisationMembers.role })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.userId, userId), eq(organisationMembers.organisationId, member.organisationId)));
  if (!org || !locked) throw notFound('Organisation');
  return { organisationId: org.id, isInstance: org.isInstance, role: locked.role };
}

export const requireManager = (caller: Caller) => {
  if (!canManage(caller.role)) throw new AppError('forbidden', 'Only owners and admins can do this');
};

async function ownerCount(tx: Tx, organisationId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.role, 'owner')));
  return row?.n ?? 0;
}

async function memberOf(tx: Tx, organisationId: string, userId: string) {
  const [row] = await tx
    .select({ userId: organisationMembers.userId, role: organisationMembers.role })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)));
  return row ?? null;
}

// ── Create, rename ─────────────────────────────────────────────────────────────────────────────

/**
 * A new organisation with the caller as its owner. Refused on an instance with AKI_ORG_NAME (everyone
 * belongs to the instance organisation) and for a host who already belongs to one.
 */
export async function createOrganisation(userId: string, name: string, db?: Db): Promise<{ id: string }> {
  if (env().instanceOrganisation) throw problem('forbidden', 'instance_organisation');
  const client = db ?? (await getDb());
  try {
    return await client.transaction(async (tx) => {
      const [existing] = await tx.select({ id: organisationMembers.organisationId }).from(organisationMembers).where(eq(organisationMembers.userId, userId));
      if (existing) throw problem('conflict', 'already_member');
      const [org] = await tx.insert(organisations).values({ name }).returning({ id: organisations.id });
      await tx.insert(organisationMembers).values({ organisationId: org!.id, userId, role: 'owner' });
      return { id: org!.id };
    });
  } catch (error) {
    // Two creates at once: organisation_members_user_unique keeps the host in one.
    if (isUniqueViolation(error)) throw problem('conflict', 'already_member');
    throw error;
  }
}

/** Renames the caller's organisation (owner/admin). The instance organisation's name is AKI_ORG_NAME. */
export async function renameOrganisation(userId: string, name: string, db?: Db): Promise<void> {
  const client = db ?? (await getDb());
  await client.transaction(async (tx) => {
    const caller = await lockCaller(tx, userId);
    requireManager(caller);
    if (caller.isInstance) throw problem('conflict', 'instance_name');
    await tx.update(organisations).set({ name, updatedAt: new Date() }).where(eq(organisations.id, caller.organisationId));
  });
}

// ── Roles, removal, leaving ────────────────────────────────────────────────────────────────────

/**
 * Changes a member's role (owner/admin). Admins move people between admin and member; only an owner
 * makes an owner or changes an owner's role. There is always at least one owner.
 */
export async function changeMemberRole(userId: string, targetUserId: string, role: OrganisationRole, db?: Db): Promise<void> {
  const client = db ?? (await getDb());
  await client.transaction(async (tx) => {
    const caller = await lockCaller(tx, userId);
    const target = await memberOf(tx, caller.organisationId, targetUserId);
    if (!target) throw notFound('Member');
    requireManager(caller);
    if (target.role === role) return;
    if ((role === 'owner' || target.role === 'owner') && caller.role !== 'owner') throw problem('forbidden', 'owner_only');
    if (target.role === 'owner' && (await ownerCount(tx, caller.organisationId)) <= 1) throw problem('conflict', 'last_owner');
    await tx
      .update(organisationMembers)
      .set({ role, updatedAt: new Date() })
      .where(and(eq(organisationMembers.organisationId, caller.organisationId), eq(organisationMembers.userId, targetUserId)));
  });
}

/**
 * Removes a member (owner/admin; only an owner removes an owner). Removing yourself is leaving. Not
 * in the instance organisation: every host of the install belongs to it.
 */
export async function removeMember(userId: string, targetUserId: string, db?: Db): Promise<void> {
  if (targetUserId === userId) return leaveOrganisation(userId, db);
  const client = db ?? (await getDb());
  await client.transaction(async (tx) => {
    const caller = await lockCaller(tx, userId);
    const target = await memberOf(tx, caller.organisationId, targetUserId);
    if (!target) throw notFound('Member');
    requireManager(caller);
    if (caller.isInstance) throw problem('conflict', 'instance_membership');
    if (target.role === 'owner' && caller.role !== 'owner') throw problem('forbidden', 'owner_only');
    await tx.delete(organisationMembers).where(and(eq(organisationMembers.organisationId, caller.organisationId), eq(organisationMembers.userId, targetUserId)));
    await leaveTeamPages(tx, caller.organisationId, targetUserId);
  });
}

/** Someone who is no longer in the organisation is no longer booked through its team pages (their bookings stay theirs). */
async function leaveTeamPages(tx: Tx, organisationId: string, userId: string): Promise<void> {
  await tx
    .delete(teamPageMembers)
    .where(
      and(
        eq(teamPageMembers.userId, userId),
        inArray(teamPageMembers.pageId, tx.select({ id: bookingPages.id }).from(bookingPages).where(eq(bookingPages.organisationId, organisationId))),
      ),
    );
}

/**
 * Leaves the caller's organisation. The last owner cannot leave while others remain (make someone
 * else owner first); the only member leaving ends the organisation. Nobody leaves the instance organisation.
 */
export async function leaveOrganisation(userId: string, db?: Db): Promise<void> {
  const client = db ?? (await getDb());
  await client.transaction(async (tx) => {
    const caller = await lockCaller(tx, userId);
    if (caller.isInstance) throw problem('conflict', 'instance_membership');
    const [members] = await tx.select({ n: count() }).from(organisationMembers).where(eq(organisationMembers.organisationId, caller.organisationId));
    if ((members?.n ?? 0) <= 1) {
      await tx.delete(organisations).where(eq(organisations.id, caller.organisationId));
      return;
    }
    if (caller.role === 'owner' && (await ownerCount(tx, caller.organisationId)) <= 1) throw problem('conflict', 'last_owner');
    await tx.delete(organisationMembers).where(and(eq(organisationMembers.organisationId, caller.organisationId), eq(organisationMembers.userId, userId)));
    await leaveTeamPages(tx, caller.organisationId, userId);
  });
}

// ── Invitations ────────────────────────────────────────────────────────────────────────────────

/**
 * Invites an address (owner/admin) as admin or member: a random token whose SHA-256 alone is stored,
 * valid 7 days, mailed through the outbox as `APP_URL/invite/{token}`. Inviting an address with an
 * open invitation again refreshes it (new token, role and expiry; the old link stops working). An
 * address already in the organisation is a field error. Returns the token to the server only (tests).
 */
export async function inviteMember(userId: string, input: InviteInput, options: { db?: Db; now?: Date } = {}): Promise<{ id: string; token: string }> {
  const client = options.db ?? (await getDb());
  const now = options.now ?? new Date();
  const token = randomToken(32);
  const tokenHash = sha256Hex(token);
  const email = input.email.trim().toLowerCase();
  const { id, mailId } = await client.transaction(async (tx) => {
    const caller = await lockCaller(tx, userId);
    requireManager(caller);
    const [alreadyIn] = await tx
      .select({ userId: organisationMembers.userId })
      .from(organisationMembers)
      .innerJoin(users, eq(users.id, organisationMembers.userId))
      .where(and(eq(organisationMembers.organisationId, caller.organisationId), sql`lower(${users.email}) = ${email}`));
    if (alreadyIn) throw new AppError('invalid_input', 'Already a member', { fields: { email: 'already_member' } });

    const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
    const [open] = await tx
      .select({ id: organisationInvites.id })
      .from(organisationInvites)
      .where(and(eq(organisationInvites.organisationId, caller.organisationId), eq(organisationInvites.email, email), isNull(organisationInvites.acceptedAt)))
      .limit(1);
    let inviteId: string;
    if (open) {
      await tx.update(organisationInvites).set({ role: input.role, tokenHash, invitedBy: userId, expiresAt, createdAt: now }).where(eq(organisationInvites.id, open.id));
      inviteId = open.id;
    } else {
      const [row] = await tx
        .insert(organisationInvites)
        .values({ organisationId: caller.organisationId, email, role: input.role, tokenHash, invitedBy: userId, expiresAt, createdAt: now })
        .returning({ id: organisationInvites.id });
      inviteId = row!.id;
    }

    const [org] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, caller.organisationId));
    const [inviter] = await tx.select({ name: users.name, email: users.email, locale: users.locale }).from(users).where(eq(users.id, userId));
    // The invitee's own language when they already use Aki, else the inviter's.
    const [invitee] = await tx.select({ locale: users.locale }).from(users).where(sql`lower(${users.email}) = ${email}`).limit(1);
    const locale = invitee?.locale ?? inviter?.locale ?? 'en';
    const mail = renderOrganisationInviteMail({
      locale,
      url: `${env().appUrl}/invite/${token}`,
      organisationName: org!.name,
      inviterName: inviter?.name ?? inviter?.email ?? '',
      role: input.role,
    });
    const queued = await enqueueMail(tx, { ...mail, kind: 'organisation.invite', to: email, idempotencyKey: `organisation-invite:${tokenHash}` }, now);
    return { id: inviteId, mailId: queued };
  });
  // After the commit: sent now in the common case, retried by the worker otherwise.
  if (mailId !== null) await sendQueuedMail(mailId);
  return { id, token };
}

/** Withdraws an open invitation (owner/admin); its link stops working. Another organisation's invitation is not found. */
export async function revokeInvite(userId: string, inviteId: string, db?: Db): Promise<void> {
  const client = db ?? (await getDb());
  await client.transaction(async (tx) => {
    const caller = await lockCaller(tx, userId);
    const [invite] = await tx
      .select({ id: organisationInvites.id })
      .from(organisationInvites)
      .where(and(eq(organisationInvites.id, inviteId), eq(organisationInvites.organisationId, caller.organisationId), isNull(organisationInvites.acceptedAt)));
    if (!invite) throw notFound('Invitation');
    requireManager(caller);
    await tx.delete(organisationInvites).where(eq(organisationInvites.id, invite.id));
  });
}

const RANK: Record<OrganisationRole, number> = { member: 0, admin: 1, owner: 2 };

/**
 * Accepts an invitation for the signed-in host. Unknown, used or expired tokens are not_found. The
 * host must be signed in with the invited address (`wrong_email` otherwise). A host who belongs to
 * another organisation is told and not moved (the invitation stays open); one already in this
 * organisation keeps their membership (raised to the invited role when that is higher).
 */
export async function acceptInvite(user: { id: string; email: string }, token: string, options: { db?: Db; now?: Date } = {}): Promise<{ organisationId: string }> {
  if (!INVITE_TOKEN_PATTERN.test(token)) throw notFound('Invitation');
  const client = options.db ?? (await getDb());
  const now = options.now ?? new Date();
  try {
    return await client.transaction(async (tx) => {
      const [invite] = await tx
        .select()
        .from(organisationInvites)
        .where(and(eq(organisationInvites.tokenHash, sha256Hex(token)), isNull(organisationInvites.acceptedAt), gt(organisationInvites.expiresAt, now)))
        .for('update');
      if (!invite) throw notFound('Invitation');
      if (invite.email !== user.email.trim().toLowerCase()) throw problem('conflict', 'wrong_email');
      const [current] = await tx
        .select({ organisationId: organisationMembers.organisationId, role: organisationMembers.role })
        .from(organisationMembers)
        .where(eq(organisationMembers.userId, user.id));
      if (current && current.organisationId !== invite.organisationId) throw problem('conflict', 'already_member');
      if (!current) {
        await tx.insert(organisationMembers).values({ organisationId: invite.organisationId, userId: user.id, role: invite.role });
      } else if (RANK[invite.role] > RANK[current.role]) {
        await tx
          .update(organisationMembers)
          .set({ role: invite.role, updatedAt: now })
          .where(and(eq(organisationMembers.organisationId, invite.organisationId), eq(organisationMembers.userId, user.id)));
      }
      await tx.update(organisationInvites).set({ acceptedAt: now }).where(eq(organisationInvites.id, invite.id));
      return { organisationId: invite.organisationId };
    });
  } catch (error) {
    // Joined another organisation at the same moment (organisation_members_user_unique).
    if (isUniqueViolation(error)) throw problem('conflict', 'already_member');
    throw error;
  }
}
