'use server';

import { revalidatePath } from 'next/cache';
import { AuthError } from 'next-auth';
import { type ActionResult, runAction } from '@/lib/actions';
import { signIn, signOut } from '@/lib/auth/config';
import { requireHost, requireSignedIn } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { acceptInvite, changeMemberRole, createOrganisation, inviteMember, leaveOrganisation, removeMember, renameOrganisation, revokeInvite } from './mutations';
import { findInviteByToken } from './queries';
import { changeRoleSchema, createOrganisationSchema, inviteSchema, renameOrganisationSchema } from './schema';

/**
 * The organisation page's server actions. Each one re-reads the signed-in host and lets the
 * mutation check the role and that the target is in the host's own organisation (lib/organisations/mutations.ts).
 */

const PAGE = '/organisation';
const asString = (value: unknown) => (typeof value === 'string' ? value : '');

export async function createOrganisationAction(input: { name: string }): Promise<ActionResult<{ id: string }>> {
  return runAction('createOrganisation', async () => {
    const host = await requireHost();
    const { name } = createOrganisationSchema.parse({ name: asString(input?.name) });
    const created = await createOrganisation(host.id, name);
    revalidatePath(PAGE);
    return created;
  });
}

export async function renameOrganisationAction(input: { name: string }): Promise<ActionResult> {
  return runAction('renameOrganisation', async () => {
    const host = await requireHost();
    const { name } = renameOrganisationSchema.parse({ name: asString(input?.name) });
    await renameOrganisation(host.id, name);
    revalidatePath(PAGE);
    return null;
  });
}

export async function changeMemberRoleAction(input: { userId: string; role: string }): Promise<ActionResult> {
  return runAction('changeMemberRole', async () => {
    const host = await requireHost();
    const { userId, role } = changeRoleSchema.parse({ userId: asString(input?.userId), role: asString(input?.role) });
    await changeMemberRole(host.id, userId, role);
    revalidatePath(PAGE);
    return null;
  });
}

export async function removeMemberAction(userId: string): Promise<ActionResult> {
  return runAction('removeMember', async () => {
    const host = await requireHost();
    await removeMember(host.id, asString(userId));
    revalidatePath(PAGE);
    return null;
  });
}

export async function leaveOrganisationAction(): Promise<ActionResult> {
  return runAction('leaveOrganisation', async () => {
    const host = await requireHost();
    await leaveOrganisation(host.id);
    revalidatePath(PAGE);
    return null;
  });
}

export async function inviteMemberAction(input: { email: string; role: string }): Promise<ActionResult<{ email: string }>> {
  return runAction('inviteMember', async () => {
    const host = await requireHost();
    const parsed = inviteSchema.parse({ email: asString(input?.email), role: asString(input?.role) });
    await inviteMember(host.id, parsed);
    revalidatePath(PAGE);
    return { email: parsed.email };
  });
}

export async function revokeInviteAction(inviteId: string): Promise<ActionResult> {
  return runAction('revokeInvite', async () => {
    const host = await requireHost();
    await revokeInvite(host.id, asString(inviteId));
    revalidatePath(PAGE);
    return null;
  });
}

/** /invite/{token} → Join: the signed-in host (a handle is not needed yet: onboarding follows) joins. */
export async function acceptInviteAction(token: string): Promise<ActionResult<{ organisationId: string }>> {
  return runAction('acceptInvite', async () => {
    const host = await requireSignedIn();
    const joined = await acceptInvite({ id: host.id, email: host.email }, asString(token));
    revalidatePath(PAGE);
    return joined;
  });
}

/**
 * /invite/{token} signed out (or signed in as someone else): mails a sign-in link for the invited
 * address that comes back to the invitation. The address is the invitation's, never one typed in.
 * The page then shows /login/check-email.
 */
export async function inviteSignInAction(token: string, options: { switchAccount?: boolean } = {}): Promise<ActionResult> {
  return runAction('inviteSignIn', async () => {
    const invite = await findInviteByToken(asString(token));
    if (!invite) throw new AppError('not_found', 'Invitation not found');
    if (options?.switchAccount === true) await signOut({ redirect: false });
    try {
      await signIn('nodemailer', { email: invite.email, redirectTo: `/invite/${asString(token)}`, redirect: false });
    } catch (error) {
      if (error instanceof AuthError) throw new AppError('integration_unavailable', 'The sign-in link could not be sent');
      throw error;
    }
    return null;
  });
}
