import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { resetEnvCache } from '@/lib/env';
import { acceptInvite, createOrganisation, inviteMember, leaveOrganisation, removeMember, renameOrganisation } from './mutations';
import { listMembers, membershipOf } from './queries';
import { ensureInstanceOrganisation, instanceRoleFor, joinInstanceOrganisation } from './service';

/** AKI_ORG_NAME + AKI_ADMIN_EMAILS: the install is one organisation that every host joins. */

const saved = { name: process.env.AKI_ORG_NAME, admins: process.env.AKI_ADMIN_EMAILS };
const setEnv = (name: string | undefined, admins: string | undefined) => {
  if (name === undefined) delete process.env.AKI_ORG_NAME;
  else process.env.AKI_ORG_NAME = name;
  if (admins === undefined) delete process.env.AKI_ADMIN_EMAILS;
  else process.env.AKI_ADMIN_EMAILS = admins;
  resetEnvCache();
};

beforeAll(() => setEnv('Acme', ' Boss@Acme.example , second@acme.example'));
afterAll(() => setEnv(saved.name, saved.admins));

async function makeHost(email: string) {
  const db = await getDb();
  const [host] = await db.insert(users).values({ email, name: email, handle: email.split('@')[0]!.replace(/[^a-z0-9]/g, '-'), timeZone: 'UTC' }).returning();
  return host!;
}

describe('the instance organisation', () => {
  it('is created once, even by many callers at once, and follows AKI_ORG_NAME', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => ensureInstanceOrganisation()));
    expect(new Set(results.map((r) => r!.id)).size).toBe(1);
    expect(results[0]).toMatchObject({ name: 'Acme' });
    const db = await getDb();
    expect(await db.select().from(organisations).where(eq(organisations.isInstance, true))).toHaveLength(1);

    setEnv('Acme Inc.', ' Boss@Acme.example , second@acme.example');
    expect(await ensureInstanceOrganisation()).toEqual({ id: results[0]!.id, name: 'Acme Inc.' });
    const [row] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.isInstance, true));
    expect(row!.name).toBe('Acme Inc.');
    setEnv('Acme', ' Boss@Acme.example , second@acme.example');
    await ensureInstanceOrganisation();
  });

  it('gives the roles of AKI_ADMIN_EMAILS: the first listed owner, the others admin, everyone else member', async () => {
    expect(instanceRoleFor('BOSS@acme.example', ['boss@acme.example', 'second@acme.example'])).toBe('owner');
    expect(instanceRoleFor('second@acme.example', ['boss@acme.example', 'second@acme.example'])).toBe('admin');
    expect(instanceRoleFor('someone@acme.example', ['boss@acme.example'])).toBe('member');
    expect(instanceRoleFor('someone@acme.example', [])).toBe('member');

    const member = await makeHost('plain@acme.example');
    const second = await makeHost('second@acme.example');
    const boss = await makeHost('boss@acme.example');
    // Any order of arrival: the roles come from the list.
    expect(await joinInstanceOrganisation(member)).toBe('member');
    expect(await joinInstanceOrganisation(second)).toBe('admin');
    expect(await joinInstanceOrganisation(boss)).toBe('owner');
    // Idempotent: a second visit changes nothing.
    expect(await joinInstanceOrganisation(boss)).toBe('owner');
    expect(await joinInstanceOrganisation(member)).toBe('member');

    const org = await ensureInstanceOrganisation();
    expect((await listMembers(org!.id)).map((m) => [m.email, m.role])).toEqual([
      ['boss@acme.example', 'owner'],
      ['second@acme.example', 'admin'],
      ['plain@acme.example', 'member'],
    ]);
    expect(await membershipOf(member.id)).toMatchObject({ organisationId: org!.id, isInstance: true, role: 'member' });
  });

  it('raises (never lowers) a member whose address is added to AKI_ADMIN_EMAILS later; joins concurrently once', async () => {
    const late = await makeHost('late@acme.example');
    await Promise.all([joinInstanceOrganisation(late), joinInstanceOrganisation(late), joinInstanceOrganisation(late)]);
    const db = await getDb();
    expect(await db.select().from(organisationMembers).where(eq(organisationMembers.userId, late.id))).toHaveLength(1);
    expect(await membershipOf(late.id)).toMatchObject({ role: 'member' });

    setEnv('Acme', 'boss@acme.example, second@acme.example, late@acme.example');
    expect(await joinInstanceOrganisation(late)).toBe('admin');
    setEnv('Acme', 'boss@acme.example');
    expect(await joinInstanceOrganisation(late)).toBe('admin');
    setEnv('Acme', ' Boss@Acme.example , second@acme.example');
  });

  it('no second organisation: creating is refused; a host already in another organisation is not moved', async () => {
    const host = await makeHost('creator@acme.example');
    expect(await createOrganisation(host.id, 'Side project').then(
      () => null,
      (e: { code: string; message: string }) => [e.code, e.message],
    )).toEqual(['forbidden', 'instance_organisation']);

    // An organisation from before AKI_ORG_NAME was set keeps its members.
    setEnv(undefined, undefined);
    const veteran = await makeHost('veteran@acme.example');
    const { id: oldOrg } = await createOrganisation(veteran.id, 'From before');
    setEnv('Acme', ' Boss@Acme.example , second@acme.example');
    expect(await joinInstanceOrganisation(veteran)).toBeNull();
    expect(await membershipOf(veteran.id)).toMatchObject({ organisationId: oldOrg, role: 'owner' });
  });

  it('its name and membership belong to the install: no rename, no removal, no leaving; invitations still work', async () => {
    const [owner] = await (await getDb()).select().from(users).where(eq(users.email, 'boss@acme.example'));
    const plain = await makeHost('invitee@acme.example');
    const member = await makeHost('leaver@acme.example');
    await joinInstanceOrganisation(member);

    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (e: { code: string; message: string }) => [e.code, e.message],
      );
    expect(await refused(renameOrganisation(owner!.id, 'Other'))).toEqual(['conflict', 'instance_name']);
    expect(await refused(removeMember(owner!.id, member.id))).toEqual(['conflict', 'instance_membership']);
    expect(await refused(leaveOrganisation(member.id))).toEqual(['conflict', 'instance_membership']);

    // An invitation to the instance organisation gives its role to a host who has not joined yet…
    const { token } = await inviteMember(owner!.id, { email: plain.email, role: 'admin' });
    await acceptInvite(plain, token);
    expect(await membershipOf(plain.id)).toMatchObject({ isInstance: true, role: 'admin' });
    // …and raises one who already has.
    const { token: raise } = await inviteMember(owner!.id, { email: 'raise@acme.example', role: 'admin' });
    const raised = await makeHost('raise@acme.example');
    await joinInstanceOrganisation(raised);
    await acceptInvite(raised, raise);
    expect(await membershipOf(raised.id)).toMatchObject({ isInstance: true, role: 'admin' });
  });

  it('without AKI_ORG_NAME nothing happens', async () => {
    setEnv(undefined, undefined);
    try {
      const host = await makeHost('nobody@elsewhere.example');
      expect(await ensureInstanceOrganisation()).toBeNull();
      expect(await joinInstanceOrganisation(host)).toBeNull();
      expect(await membershipOf(host.id)).toBeNull();
    } finally {
      setEnv('Acme', ' Boss@Acme.example , second@acme.example');
    }
  });
});
