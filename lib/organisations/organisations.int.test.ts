import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { organisationInvites, organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { env } from '@/lib/env';
import { readOutbox } from '@/lib/mail/transport';
import {
  acceptInvite,
  changeMemberRole,
  createOrganisation,
  inviteMember,
  leaveOrganisation,
  removeMember,
  renameOrganisation,
  revokeInvite,
} from './mutations';
import { findInviteByToken, listMembers, listPendingInvites, membershipOf } from './queries';

/** Organisations, the people side: create, invite → accept, roles, the last owner, and the walls between organisations. */

let counter = 0;
async function makeHost(label: string, locale: 'en' | 'ja' = 'en') {
  counter += 1;
  const handle = `${label}-${counter}`;
  const db = await getDb();
  const [host] = await db.insert(users).values({ email: `${handle}@example.com`, name: `Host ${handle}`, handle, timeZone: 'Asia/Tokyo', locale }).returning();
  return host!;
}

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message?: string; details?: Record<string, unknown> }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to be refused').not.toBeNull();
  return error as { code?: string; message?: string; details?: Record<string, unknown> };
}

/** An organisation with an owner, an admin and a member (all joined through invitations). */
async function organisationWithPeople(label: string) {
  const owner = await makeHost(`${label}-owner`);
  const { id } = await createOrganisation(owner.id, `Org ${label}`);
  const admin = await makeHost(`${label}-admin`);
  const member = await makeHost(`${label}-member`);
  const forAdmin = await inviteMember(owner.id, { email: admin.email, role: 'admin' });
  await acceptInvite(admin, forAdmin.token);
  const forMember = await inviteMember(admin.id, { email: member.email, role: 'member' });
  await acceptInvite(member, forMember.token);
  return { id, owner, admin, member };
}

describe('creating an organisation', () => {
  it('makes the creator its owner; a host already in one is refused', async () => {
    const host = await makeHost('create');
    const { id } = await createOrganisation(host.id, 'Sakura Coaching');
    expect(await membershipOf(host.id)).toMatchObject({ organisationId: id, organisationName: 'Sakura Coaching', role: 'owner', isInstance: false, hasZoom: false });
    expect(await listMembers(id)).toEqual([expect.objectContaining({ userId: host.id, email: host.email, role: 'owner', zoomMapping: null })]);

    expect(await failure(createOrganisation(host.id, 'Another'))).toMatchObject({ code: 'conflict', message: 'already_member' });
    const db = await getDb();
    expect(await db.select().from(organisations).where(eq(organisations.name, 'Another'))).toEqual([]);
  });

  it('two creates at once leave the host in exactly one organisation', async () => {
    const host = await makeHost('race');
    const results = await Promise.allSettled([createOrganisation(host.id, 'Race A'), createOrganisation(host.id, 'Race B')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const db = await getDb();
    expect(await db.select().from(organisationMembers).where(eq(organisationMembers.userId, host.id))).toHaveLength(1);
  });

  it('renames (owner/admin only)', async () => {
    const { id, owner, admin, member } = await organisationWithPeople('rename');
    await renameOrganisation(admin.id, 'Renamed by admin');
    expect((await membershipOf(owner.id))!.organisationName).toBe('Renamed by admin');
    expect(await failure(renameOrganisation(member.id, 'Nope'))).toMatchObject({ code: 'forbidden' });
    const db = await getDb();
    const [row] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id));
    expect(row!.name).toBe('Renamed by admin');
  });
});

describe('invitations', () => {
  it('mails a 7-day link whose token is stored only as its hash; accepting joins with the invited role', async () => {
    const owner = await makeHost('inv-owner');
    const { id } = await createOrganisation(owner.id, 'Invite Org');
    const guest = await makeHost('inv-guest', 'ja');
    const now = new Date();
    const { id: inviteId, token } = await inviteMember(owner.id, { email: ` ${guest.email.toUpperCase()} `, role: 'admin' }, { now });

    const db = await getDb();
    const [row] = await db.select().from(organisationInvites).where(eq(organisationInvites.id, inviteId));
    expect(row).toMatchObject({ organisationId: id, email: guest.email, role: 'admin', tokenHash: sha256Hex(token), acceptedAt: null, invitedBy: owner.id });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.expiresAt.getTime() - now.getTime()).toBe(7 * 24 * 60 * 60 * 1000);

    // The mail, in the invitee's language (they already use Aki in Japanese), with the link.
    const mail = (await readOutbox()).find((entry) => entry.to === guest.email);
    expect(mail?.subject).toContain('Invite Org');
    expect(mail?.text).toContain(`${env().appUrl}/invite/${token}`);
    expect(mail?.text).toContain('招待');
    expect(mail?.html).toContain(`href="${env().appUrl}/invite/${token}"`);

    expect(await listPendingInvites(id)).toEqual([expect.objectContaining({ id: inviteId, email: guest.email, role: 'admin', expired: false })]);
    expect(await findInviteByToken(token)).toMatchObject({ organisationId: id, organisationName: 'Invite Org', email: guest.email, inviterName: owner.name });

    await acceptInvite(guest, token);
    expect(await membershipOf(guest.id)).toMatchObject({ organisationId: id, role: 'admin' });
    expect(await listPendingInvites(id)).toEqual([]);
    // Used: the same link no longer works.
    expect(await findInviteByToken(token)).toBeNull();
    expect(await failure(acceptInvite(guest, token))).toMatchObject({ code: 'not_found' });
  });

  it('refuses the wrong address, an unknown or expired token, and a host of another organisation (who is not moved)', async () => {
    const owner = await makeHost('acc-owner');
    const { id } = await createOrganisation(owner.id, 'Accept Org');
    const invited = await makeHost('acc-invited');
    const stranger = await makeHost('acc-stranger');
    const { token } = await inviteMember(owner.id, { email: invited.email, role: 'member' });

    expect(await failure(acceptInvite(stranger, token))).toMatchObject({ code: 'conflict', message: 'wrong_email' });
    expect(await membershipOf(stranger.id)).toBeNull();
    expect(await failure(acceptInvite(invited, 'A'.repeat(43)))).toMatchObject({ code: 'not_found' });
    expect(await failure(acceptInvite(invited, 'not a token'))).toMatchObject({ code: 'not_found' });
    // Expired after 7 days.
    const later = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000 + 1000);
    expect(await failure(acceptInvite(invited, token, { now: later }))).toMatchObject({ code: 'not_found' });
    expect(await findInviteByToken(token, later)).toBeNull();
    expect((await listPendingInvites(id, later))[0]).toMatchObject({ expired: true });

    // In another organisation already: told, not moved, and the invitation stays open.
    const elsewhere = await makeHost('acc-elsewhere');
    const { id: otherId } = await createOrganisation(elsewhere.id, 'Elsewhere');
    const { token: toElsewhere } = await inviteMember(owner.id, { email: elsewhere.email, role: 'admin' });
    expect(await failure(acceptInvite(elsewhere, toElsewhere))).toMatchObject({ code: 'conflict', message: 'already_member' });
    expect(await membershipOf(elsewhere.id)).toMatchObject({ organisationId: otherId, role: 'owner' });
    expect(await findInviteByToken(toElsewhere)).not.toBeNull();

    await acceptInvite(invited, token);
    expect(await membershipOf(invited.id)).toMatchObject({ organisationId: id, role: 'member' });
  });

  it('inviting again refreshes the invitation: a new link, the old one dead, one row', async () => {
    const owner = await makeHost('re-owner');
    const { id } = await createOrganisation(owner.id, 'Reinvite Org');
    const guest = await makeHost('re-guest');
    const first = await inviteMember(owner.id, { email: guest.email, role: 'member' });
    const second = await inviteMember(owner.id, { email: guest.email, role: 'admin' });
    expect(second.id).toBe(first.id);
    expect(second.token).not.toBe(first.token);
    expect(await listPendingInvites(id)).toHaveLength(1);
    expect(await findInviteByToken(first.token)).toBeNull();
    expect(await failure(acceptInvite(guest, first.token))).toMatchObject({ code: 'not_found' });
    await acceptInvite(guest, second.token);
    expect(await membershipOf(guest.id)).toMatchObject({ organisationId: id, role: 'admin' });
    // Both mails went out; the second carries the new link.
    const mails = (await readOutbox()).filter((entry) => entry.to === guest.email);
    expect(mails).toHaveLength(2);
    expect(mails.some((mail) => mail.text.includes(second.token))).toBe(true);
  });

  it('an address already in the organisation is a field error; members cannot invite; revoke kills the link', async () => {
    const { id, owner, admin, member } = await organisationWithPeople('inv-rules');
    expect(await failure(inviteMember(owner.id, { email: member.email, role: 'member' }))).toMatchObject({
      code: 'invalid_input',
      details: { fields: { email: 'already_member' } },
    });
    expect(await failure(inviteMember(member.id, { email: 'someone@example.com', role: 'member' }))).toMatchObject({ code: 'forbidden' });
    const outsider = await makeHost('inv-outsider');
    expect(await failure(inviteMember(outsider.id, { email: 'someone@example.com', role: 'member' }))).toMatchObject({ code: 'not_found' });

    const { id: inviteId, token } = await inviteMember(admin.id, { email: 'later@example.com', role: 'member' });
    expect(await failure(revokeInvite(member.id, inviteId))).toMatchObject({ code: 'forbidden' });
    await revokeInvite(admin.id, inviteId);
    expect(await findInviteByToken(token)).toBeNull();
    expect(await listPendingInvites(id)).toEqual([]);
    expect(await failure(revokeInvite(admin.id, inviteId))).toMatchObject({ code: 'not_found' });
  });
});

describe('roles', () => {
  it('admins move people between admin and member; only owners make or unmake owners', async () => {
    const { id, owner, admin, member } = await organisationWithPeople('roles');
    await changeMemberRole(admin.id, member.id, 'admin');
    expect(await membershipOf(member.id)).toMatchObject({ role: 'admin' });
    await changeMemberRole(admin.id, member.id, 'member');
    expect(await failure(changeMemberRole(admin.id, member.id, 'owner'))).toMatchObject({ code: 'forbidden', message: 'owner_only' });
    expect(await failure(changeMemberRole(admin.id, owner.id, 'member'))).toMatchObject({ code: 'forbidden', message: 'owner_only' });
    expect(await failure(changeMemberRole(member.id, admin.id, 'member'))).toMatchObject({ code: 'forbidden' });
    await changeMemberRole(owner.id, admin.id, 'owner');
    expect((await listMembers(id)).map((m) => [m.userId, m.role])).toEqual([
      [owner.id, 'owner'],
      [admin.id, 'owner'],
      [member.id, 'member'],
    ]);
  });

  it('there is always an owner: the last owner can neither step down, be removed nor leave', async () => {
    const { id, owner, admin, member } = await organisationWithPeople('last-owner');
    expect(await failure(changeMemberRole(owner.id, owner.id, 'admin'))).toMatchObject({ code: 'conflict', message: 'last_owner' });
    expect(await failure(leaveOrganisation(owner.id))).toMatchObject({ code: 'conflict', message: 'last_owner' });
    expect(await failure(removeMember(admin.id, owner.id))).toMatchObject({ code: 'forbidden', message: 'owner_only' });
    expect(await membershipOf(owner.id)).toMatchObject({ organisationId: id, role: 'owner' });

    // Two owners stepping down at once: one of them stays owner.
    await changeMemberRole(owner.id, admin.id, 'owner');
    await Promise.allSettled([changeMemberRole(owner.id, owner.id, 'member'), changeMemberRole(admin.id, admin.id, 'member')]);
    expect((await listMembers(id)).filter((m) => m.role === 'owner')).toHaveLength(1);

    // Members and admins leave; removal by an admin.
    await leaveOrganisation(member.id);
    expect(await membershipOf(member.id)).toBeNull();
  });

  it('removal: admins remove members, members remove nobody; the only member leaving ends the organisation', async () => {
    const { id, owner, admin, member } = await organisationWithPeople('remove');
    expect(await failure(removeMember(member.id, admin.id))).toMatchObject({ code: 'forbidden' });
    await removeMember(admin.id, member.id);
    expect(await membershipOf(member.id)).toBeNull();
    await removeMember(owner.id, admin.id);
    expect(await listMembers(id)).toHaveLength(1);
    await leaveOrganisation(owner.id);
    const db = await getDb();
    expect(await db.select().from(organisations).where(eq(organisations.id, id))).toEqual([]);
    // Free again: the former owner may create a new one.
    await createOrganisation(owner.id, 'Second life');
  });
});

describe('the walls between organisations', () => {
  it("another organisation's members and invitations answer not_found to every action, and nothing changes", async () => {
    const a = await organisationWithPeople('wall-a');
    const b = await organisationWithPeople('wall-b');
    const { id: bInvite } = await inviteMember(b.owner.id, { email: 'b-pending@example.com', role: 'member' });
    const db = await getDb();
    const before = await db.select().from(organisationMembers);

    for (const caller of [a.owner, a.admin, a.member]) {
      for (const target of [b.owner, b.admin, b.member]) {
        expect(await failure(changeMemberRole(caller.id, target.id, 'member'))).toMatchObject({ code: 'not_found' });
        expect(await failure(changeMemberRole(caller.id, target.id, 'owner'))).toMatchObject({ code: 'not_found' });
        expect(await failure(removeMember(caller.id, target.id))).toMatchObject({ code: 'not_found' });
      }
      expect(await failure(revokeInvite(caller.id, bInvite))).toMatchObject({ code: 'not_found' });
    }
    // A host with no organisation at all.
    const loner = await makeHost('wall-loner');
    expect(await failure(changeMemberRole(loner.id, b.member.id, 'admin'))).toMatchObject({ code: 'not_found' });
    expect(await failure(removeMember(loner.id, b.member.id))).toMatchObject({ code: 'not_found' });
    expect(await failure(revokeInvite(loner.id, bInvite))).toMatchObject({ code: 'not_found' });
    expect(await failure(renameOrganisation(loner.id, 'x'))).toMatchObject({ code: 'not_found' });
    expect(await failure(leaveOrganisation(loner.id))).toMatchObject({ code: 'not_found' });
    expect(await failure(inviteMember(loner.id, { email: 'x@example.com', role: 'member' }))).toMatchObject({ code: 'not_found' });

    expect(await db.select().from(organisationMembers)).toEqual(before);
    expect(await listPendingInvites(b.id)).toHaveLength(1);
    // Each organisation lists its own people only.
    expect((await listMembers(a.id)).map((m) => m.userId).sort()).toEqual([a.owner.id, a.admin.id, a.member.id].sort());
    expect((await listMembers(b.id)).map((m) => m.userId)).not.toContain(a.owner.id);
    // An invitation of A used by B's host who is invited by address: still "already in an organisation".
    const { token } = await inviteMember(a.owner.id, { email: b.member.email, role: 'member' });
    expect(await failure(acceptInvite(b.member, token))).toMatchObject({ code: 'conflict', message: 'already_member' });
    expect(await membershipOf(b.member.id)).toMatchObject({ organisationId: b.id });
  });
});
