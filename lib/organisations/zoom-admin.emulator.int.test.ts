import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { isAppError } from '@/lib/errors';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import {
  chooseMemberZoomUser,
  createMemberZoomUser,
  mapAllMembers,
  mapMemberZoomUser,
  organisationZoomUsers,
  organisationZoomView,
  saveOrganisationZoomCredentials,
  setDefaultZoomUser,
  testOrganisationZoom,
} from './zoom-admin';
import { memberZoomUser } from './zoom';

/**
 * Organisation → Zoom against the Zoom emulator over HTTP: Test connection's outcomes, members
 * mapped by email / default / chosen / created, and Zoom's own words when it refuses to create a user.
 */

const zoom = zoomEmulatorForThisFile();
const ACCOUNT = 'acme-account';
const APP = { clientId: 'acme-s2s', clientSecret: 'acme-s2s-secret' };
let aliceZoomId = '';
let bossZoomId = '';

beforeAll(async () => {
  await zoom.control('accounts', { id: ACCOUNT, name: 'Acme', licenses: 5, s2sApps: [APP] });
  aliceZoomId = String((await zoom.control('users', { email: 'alice@acme.example', accountId: ACCOUNT, type: 2, first_name: 'Alice' })).id);
  bossZoomId = String((await zoom.control('users', { email: 'boss@acme.example', accountId: ACCOUNT, type: 2, first_name: 'Boss' })).id);
});

let seq = 0;
async function makeOrg(name: string) {
  const db = await getDb();
  const [org] = await db.insert(organisations).values({ name }).returning();
  return org!;
}
async function addMember(organisationId: string, email: string, role: 'owner' | 'admin' | 'member' = 'member') {
  const db = await getDb();
  seq++;
  const [host] = await db
    .insert(users)
    .values({ email, name: `Member ${seq}`, handle: `member-${seq}` })
    .returning();
  await db.insert(organisationMembers).values({ organisationId, userId: host!.id, role });
  return host!;
}
const credentials = (over: Record<string, string> = {}) => ({ accountId: ACCOUNT, clientId: APP.clientId, clientSecret: APP.clientSecret, ...over });

describe('Test connection through the emulator', () => {
  it('OK: counts the account users, stores ok with the scopes, and maps the members on save', async () => {
    const db = await getDb();
    const org = await makeOrg('Acme OK');
    const alice = await addMember(org.id, 'alice@acme.example', 'owner');
    const result = await saveOrganisationZoomCredentials(db, org.id, credentials());
    expect(result.test).toMatchObject({ ok: true, usersCount: 2 });
    expect(result.mapped).toBe(1);
    const view = await organisationZoomView(db, org.id);
    expect(view.check.status).toBe('ok');
    expect(view.check.scopes).toContain('meeting:write:meeting:admin');
    expect(await memberZoomUser(db, org.id, alice.id)).toEqual({ zoomUserId: aliceZoomId, via: 'email' });
    expect((await organisationZoomUsers(db, org.id))?.map((u) => u.email).sort()).toEqual(['alice@acme.example', 'boss@acme.example']);
  });

  it('explains each failure: wrong secret, account id, deactivated app, missing scope, rate limit', async () => {
    const db = await getDb();
    const org = await makeOrg('Acme failures');
    expect((await saveOrganisationZoomCredentials(db, org.id, credentials({ clientSecret: 'wrong' }))).test).toMatchObject({ ok: false, reason: 'invalid_client' });
    expect((await saveOrganisationZoomCredentials(db, org.id, credentials({ accountId: 'someone-else' }))).test).toMatchObject({ ok: false, reason: 'invalid_account' });
    const [row] = await db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row).toMatchObject({ zoomCheckStatus: 'failed', zoomCheckReason: 'invalid_account' });

    await saveOrganisationZoomCredentials(db, org.id, credentials());
    await zoom.control(`accounts/${ACCOUNT}/apps/${APP.clientId}`, { activated: false });
    try {
      expect(await testOrganisationZoom(db, org.id)).toMatchObject({ ok: false, reason: 'app_deactivated' });
    } finally {
      await zoom.control(`accounts/${ACCOUNT}/apps/${APP.clientId}`, { activated: true });
    }

    await zoom.control(`accounts/${ACCOUNT}/rate-limit`, { next429: 5, retryAfterSeconds: 1 });
    try {
      expect(await testOrganisationZoom(db, org.id)).toMatchObject({ ok: false, reason: 'rate_limited' });
    } finally {
      await zoom.control(`accounts/${ACCOUNT}/rate-limit`, {});
    }

    await zoom.control('accounts', { id: 'narrow-account', s2sApps: [{ clientId: 'narrow-s2s', clientSecret: 'narrow-secret', scopes: ['meeting:write:meeting:admin', 'user:read:user:admin'] }] });
    const narrow = await saveOrganisationZoomCredentials(db, org.id, { accountId: 'narrow-account', clientId: 'narrow-s2s', clientSecret: 'narrow-secret' });
    expect(narrow.test).toMatchObject({ ok: false, reason: 'missing_scope' });
    expect(narrow.test.ok === false && narrow.test.missingScopes).toContain('meeting:delete:meeting:admin');
    const view = await organisationZoomView(db, org.id);
    expect(view.check).toMatchObject({ status: 'failed', reason: 'missing_scope' });
    expect(view.check.missingScopes).toContain('meeting:delete:meeting:admin');
  });
});

describe('mapping members to Zoom users through the emulator', () => {
  it('by email, else the default user; chosen; created (Zoom’s refusal in its own words)', async () => {
    const db = await getDb();
    const org = await makeOrg('Acme mapping');
    await saveOrganisationZoomCredentials(db, org.id, credentials());
    const carlaZoomId = String((await zoom.control('users', { email: 'carla@acme.example', accountId: ACCOUNT, type: 1, first_name: 'Carla' })).id);
    const alice = await addMember(org.id, 'carla@acme.example');
    const bob = await addMember(org.id, 'bob@acme.example');

    expect(await mapMemberZoomUser(db, org.id, alice.id)).toMatchObject({ zoomUserId: carlaZoomId, mapping: 'email', problem: null });
    expect(await mapMemberZoomUser(db, org.id, bob.id)).toMatchObject({ zoomUserId: null, mapping: 'default', problem: 'not_found_by_email' });
    expect(await memberZoomUser(db, org.id, bob.id)).toBeNull();
    await setDefaultZoomUser(db, org.id, bossZoomId);
    expect(await memberZoomUser(db, org.id, bob.id)).toEqual({ zoomUserId: bossZoomId, via: 'default' });
    // Idempotent: mapping again changes nothing.
    expect(await mapAllMembers(db, org.id)).toBe(1);
    expect(await memberZoomUser(db, org.id, alice.id)).toEqual({ zoomUserId: carlaZoomId, via: 'email' });

    // An admin chooses a user of the account; one that is not in it is refused field-wise.
    const notInAccount = await chooseMemberZoomUser(db, org.id, bob.id, 'no-such-user').catch((e: unknown) => e);
    expect(isAppError(notInAccount) && notInAccount.details.fields).toEqual({ zoomUserId: 'not_in_account' });
    expect(await chooseMemberZoomUser(db, org.id, bob.id, carlaZoomId)).toMatchObject({ zoomUserId: carlaZoomId, mapping: 'chosen' });
    expect(await mapAllMembers(db, org.id)).toBe(2);
    expect(await memberZoomUser(db, org.id, bob.id)).toEqual({ zoomUserId: carlaZoomId, via: 'chosen' });
    // Back to automatic.
    expect(await chooseMemberZoomUser(db, org.id, bob.id, '')).toMatchObject({ mapping: 'default', problem: 'not_found_by_email' });

    // Create a Basic Zoom user for bob.
    const created = await createMemberZoomUser(db, org.id, bob.id);
    expect(created.created).toBe(true);
    const zoomUser = zoom.emulator.state.users.find((u) => u.email === 'bob@acme.example');
    expect(zoomUser).toMatchObject({ accountId: ACCOUNT, type: 1 });
    expect(await memberZoomUser(db, org.id, bob.id)).toEqual({ zoomUserId: zoomUser!.id, via: 'created' });

    // Alice already has a Zoom user: Zoom refuses, and says why.
    const refused = await createMemberZoomUser(db, org.id, alice.id);
    expect(refused).toMatchObject({ created: false });
    expect(refused.created === false && refused.zoomSaid).toMatch(/already/i);
    expect(await memberZoomUser(db, org.id, alice.id)).toEqual({ zoomUserId: carlaZoomId, via: 'email' });
  });
});

describe('a member who joins after the credentials were saved', () => {
  it('is looked up by email the first time their Zoom user is needed, with no admin step', async () => {
    const db = await getDb();
    const org = await makeOrg('Acme later');
    await saveOrganisationZoomCredentials(db, org.id, credentials());
    const dinaZoomId = String((await zoom.control('users', { email: 'dina@acme.example', accountId: ACCOUNT, type: 1, first_name: 'Dina' })).id);
    const dina = await addMember(org.id, 'dina@acme.example');
    const [before] = await db.select().from(organisationMembers).where(eq(organisationMembers.userId, dina.id));
    expect(before!.zoomMapping).toBeNull();
    expect(await memberZoomUser(db, org.id, dina.id)).toEqual({ zoomUserId: dinaZoomId, via: 'email' });
    const [after] = await db.select().from(organisationMembers).where(eq(organisationMembers.userId, dina.id));
    expect(after).toMatchObject({ zoomUserId: dinaZoomId, zoomMapping: 'email' });
    // Nobody with that email at Zoom: recorded, the default user (none here) applies.
    const eve = await addMember(org.id, 'eve@acme.example');
    expect(await memberZoomUser(db, org.id, eve.id)).toBeNull();
    const [eveRow] = await db.select().from(organisationMembers).where(eq(organisationMembers.userId, eve.id));
    expect(eveRow).toMatchObject({ zoomMapping: 'default', zoomMappingProblem: 'not_found_by_email' });
  });
});
