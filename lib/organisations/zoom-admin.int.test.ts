import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { isAppError } from '@/lib/errors';
import { createPage, updatePage } from '@/lib/booking-pages/mutations';
import { getPageForHost } from '@/lib/booking-pages/queries';
import { newPageInput, toPageInput } from '@/lib/booking-pages/utils';
import { setTestEnv } from '@/lib/oauth/testing';
import {
  chooseMemberZoomUser,
  createMemberZoomUser,
  mapMemberZoomUser,
  memberZoomRows,
  organisationZoomView,
  requireZoomAdmin,
  saveMeetingDefaults,
  saveOrganisationZoomCredentials,
  setDefaultZoomUser,
} from './zoom-admin';
import { editorMeetingDefaults, effectiveMeetingSettings, memberZoomUser, organisationZoomApp, organisationZoomWebhookSecret } from './zoom';

/**
 * Organisation → Zoom at the database level: what is stored (encrypted), what is shown back (never
 * a secret), who may (owners and admins of their own organisation; everyone else not_found), and
 * which Zoom user a member's meetings use. Zoom itself is an unreachable address here: Test
 * connection must report it, not throw. (The emulator round trips are in zoom-admin.emulator.int.test.ts.)
 */

const SECRET = 'client-secret-value-9f8e7d';
const WEBHOOK = 'webhook-secret-value-1a2b3c';

beforeAll(() => {
  // Nothing listens on port 9: every call to Zoom fails fast.
  setTestEnv({ ZOOM_OAUTH_URL: 'http://127.0.0.1:9', ZOOM_API_URL: 'http://127.0.0.1:9/v2', AKI_DEMO: '0' });
});

let seq = 0;
async function makeHost(name: string) {
  const db = await getDb();
  seq++;
  const [host] = await db
    .insert(users)
    .values({ email: `${name}-${seq}@example.com`, name: `${name} Example`, handle: `${name}-${seq}` })
    .returning();
  return host!;
}

async function makeOrg(name: string, values: Partial<typeof organisations.$inferInsert> = {}) {
  const db = await getDb();
  const [org] = await db
    .insert(organisations)
    .values({ name, ...values })
    .returning();
  return org!;
}

async function join(organisationId: string, userId: string, role: 'owner' | 'admin' | 'member', values: Partial<typeof organisationMembers.$inferInsert> = {}) {
  const db = await getDb();
  await db.insert(organisationMembers).values({ organisationId, userId, role, ...values });
}

async function expectNotFound(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error) && error.code).toBe('not_found');
}

describe('saving the organisation Zoom app', () => {
  it('stores the secrets encrypted, never shows them back, and records the failed Test connection', async () => {
    const db = await getDb();
    const org = await makeOrg('Acme');
    const result = await saveOrganisationZoomCredentials(db, org.id, {
      accountId: ' acct-123 ',
      clientId: 'client-abc',
      clientSecret: SECRET,
      webhookSecret: WEBHOOK,
    });
    // Nothing listens at Zoom's address: explained as unreachable, never thrown.
    expect(result.test).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(result.mapped).toBe(0);

    const [row] = await db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row).toMatchObject({ zoomAccountId: 'acct-123', zoomClientId: 'client-abc', zoomCheckStatus: 'failed', zoomCheckReason: 'unreachable' });
    expect(row!.zoomCheckedAt).toBeInstanceOf(Date);
    expect(row!.zoomClientSecretEnc).not.toContain(SECRET);
    expect(row!.zoomWebhookSecretEnc).not.toContain(WEBHOOK);
    expect(decryptSecret(row!.zoomClientSecretEnc!)).toBe(SECRET);
    expect(decryptSecret(row!.zoomWebhookSecretEnc!)).toBe(WEBHOOK);

    const view = await organisationZoomView(db, org.id);
    expect(view).toMatchObject({ accountId: 'acct-123', clientId: 'client-abc', hasClientSecret: true, hasWebhookSecret: true, configured: true, fromEnv: false });
    expect(view.check.status).toBe('failed');
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(view)).not.toContain(WEBHOOK);
    expect(JSON.stringify(view)).not.toContain(row!.zoomClientSecretEnc!);

    // The pipeline gets the decrypted app and webhook secret.
    expect(await organisationZoomApp(db, org.id)).toEqual({ key: org.id, accountId: 'acct-123', clientId: 'client-abc', clientSecret: SECRET });
    expect(await organisationZoomWebhookSecret(db, org.id)).toBe(WEBHOOK);
  });

  it('keeps the saved secret when the replace field is empty, and asks for one when none is saved', async () => {
    const db = await getDb();
    const org = await makeOrg('Keep');
    const missing = await saveOrganisationZoomCredentials(db, org.id, { accountId: 'a', clientId: 'c', clientSecret: '' }).catch((e: unknown) => e);
    expect(isAppError(missing) && missing.code).toBe('invalid_input');
    expect(isAppError(missing) && missing.details.fields).toEqual({ clientSecret: 'required' });

    await saveOrganisationZoomCredentials(db, org.id, { accountId: 'a', clientId: 'c', clientSecret: SECRET });
    await saveOrganisationZoomCredentials(db, org.id, { accountId: 'a', clientId: 'c2', clientSecret: '' });
    expect(await organisationZoomApp(db, org.id)).toMatchObject({ clientId: 'c2', clientSecret: SECRET });
    expect(await organisationZoomWebhookSecret(db, org.id)).toBeNull();
  });

  it('refuses bad input field by field (422), never a 500', async () => {
    const db = await getDb();
    const org = await makeOrg('Bad');
    const error = await saveOrganisationZoomCredentials(db, org.id, { accountId: '', clientId: 'has space', clientSecret: 'x'.repeat(300) }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('invalid_input');
    expect(Object.keys((isAppError(error) && error.details.fields) || {}).sort()).toEqual(['accountId', 'clientId', 'clientSecret']);
    const [row] = await db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row!.zoomClientId).toBeNull();
  });

  it('a different account forgets the old mappings and default user', async () => {
    const db = await getDb();
    const org = await makeOrg('Move', { zoomAccountId: 'old', zoomClientId: 'c', zoomDefaultUserId: 'zu-default', zoomDefaultUserEmail: 'd@old.example' });
    const host = await makeHost('mover');
    await join(org.id, host.id, 'member', { zoomUserId: 'zu-1', zoomUserEmail: 'm@old.example', zoomMapping: 'chosen' });
    await saveOrganisationZoomCredentials(db, org.id, { accountId: 'new', clientId: 'c', clientSecret: SECRET });
    const [row] = await db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row!.zoomDefaultUserId).toBeNull();
    expect(await memberZoomUser(db, org.id, host.id)).toBeNull();
  });

  it('the instance organisation configured by env cannot be edited, and env wins', async () => {
    const db = await getDb();
    const org = await makeOrg('Instance', { isInstance: true, zoomAccountId: 'saved', zoomClientId: 'saved' });
    setTestEnv({ AKI_ORG_NAME: 'Instance', ZOOM_S2S_ACCOUNT_ID: 'env-account', ZOOM_S2S_CLIENT_ID: 'env-client', ZOOM_S2S_CLIENT_SECRET: 'env-secret', ZOOM_S2S_WEBHOOK_SECRET_TOKEN: 'env-webhook' });
    try {
      expect(await organisationZoomApp(db, org.id)).toEqual({ key: org.id, accountId: 'env-account', clientId: 'env-client', clientSecret: 'env-secret' });
      expect(await organisationZoomWebhookSecret(db, org.id)).toBe('env-webhook');
      const view = await organisationZoomView(db, org.id);
      expect(view).toMatchObject({ fromEnv: true, accountId: 'env-account', clientId: 'env-client', configured: true });
      expect(JSON.stringify(view)).not.toContain('env-secret');
      const error = await saveOrganisationZoomCredentials(db, org.id, { accountId: 'x', clientId: 'y', clientSecret: 'z' }).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('conflict');
      // Another organisation never gets the instance's env app.
      const other = await makeOrg('Other');
      expect(await organisationZoomApp(db, other.id)).toBeNull();
    } finally {
      for (const key of ['AKI_ORG_NAME', 'ZOOM_S2S_ACCOUNT_ID', 'ZOOM_S2S_CLIENT_ID', 'ZOOM_S2S_CLIENT_SECRET', 'ZOOM_S2S_WEBHOOK_SECRET_TOKEN']) delete process.env[key];
      setTestEnv({});
    }
    expect(await organisationZoomApp(db, org.id)).toBeNull();
  });
});

describe('a member’s Zoom user', () => {
  it('is the mapped user, else the default user, else none; null outside the organisation', async () => {
    const db = await getDb();
    const org = await makeOrg('Map');
    const mapped = await makeHost('mapped');
    const unmapped = await makeHost('unmapped');
    const outsider = await makeHost('outsider');
    await join(org.id, mapped.id, 'member', { zoomUserId: 'zu-mapped', zoomUserEmail: 'mapped@zoom.example', zoomMapping: 'email' });
    await join(org.id, unmapped.id, 'member', { zoomMapping: 'default', zoomMappingProblem: 'not_found_by_email' });

    expect(await memberZoomUser(db, org.id, mapped.id)).toEqual({ zoomUserId: 'zu-mapped', via: 'email' });
    expect(await memberZoomUser(db, org.id, unmapped.id)).toBeNull();
    await db.update(organisations).set({ zoomDefaultUserId: 'zu-default' }).where(eq(organisations.id, org.id));
    expect(await memberZoomUser(db, org.id, unmapped.id)).toEqual({ zoomUserId: 'zu-default', via: 'default' });
    expect(await memberZoomUser(db, org.id, outsider.id)).toBeNull();
  });

  it('mapping without a Zoom app changes nothing; an admin’s choice is kept', async () => {
    const db = await getDb();
    const org = await makeOrg('NoApp');
    const host = await makeHost('noapp');
    await join(org.id, host.id, 'member');
    expect(await mapMemberZoomUser(db, org.id, host.id)).toBeNull();
    const chosen = await makeHost('chosen');
    await join(org.id, chosen.id, 'member', { zoomUserId: 'zu-c', zoomUserEmail: 'c@zoom.example', zoomMapping: 'chosen' });
    expect(await mapMemberZoomUser(db, org.id, chosen.id)).toMatchObject({ zoomUserId: 'zu-c', mapping: 'chosen' });
  });

  it('a lookup Zoom cannot answer is recorded as the problem and keeps the previous mapping', async () => {
    const db = await getDb();
    const org = await makeOrg('Down', { zoomAccountId: 'a', zoomClientId: 'c' });
    await saveOrganisationZoomCredentials(db, org.id, { accountId: 'a', clientId: 'c', clientSecret: SECRET });
    const host = await makeHost('down');
    await join(org.id, host.id, 'member', { zoomUserId: 'zu-prev', zoomUserEmail: 'p@zoom.example', zoomMapping: 'email' });
    const result = await mapMemberZoomUser(db, org.id, host.id);
    expect(result).toMatchObject({ zoomUserId: 'zu-prev', mapping: 'email' });
    expect(result!.problem).toMatch(/^lookup_failed:/);
    const [row] = await memberZoomRows(db, org.id);
    expect(row).toMatchObject({ userId: host.id, zoomUserId: 'zu-prev', mapping: 'email' });
    expect(row!.problem).toMatch(/^lookup_failed:/);
  });
});

describe('who may change the organisation’s Zoom', () => {
  it('owners and admins of their own organisation; members and outsiders get not_found', async () => {
    const db = await getDb();
    const org = await makeOrg('Roles');
    const owner = await makeHost('owner');
    const adminHost = await makeHost('admin');
    const member = await makeHost('member');
    const loner = await makeHost('loner');
    await join(org.id, owner.id, 'owner');
    await join(org.id, adminHost.id, 'admin');
    await join(org.id, member.id, 'member');
    expect((await requireZoomAdmin(owner.id, db)).organisationId).toBe(org.id);
    expect((await requireZoomAdmin(adminHost.id, db)).organisationId).toBe(org.id);
    await expectNotFound(requireZoomAdmin(member.id, db));
    await expectNotFound(requireZoomAdmin(loner.id, db));
  });

  it('cross-organisation probes: another organisation’s members answer not_found and stay untouched', async () => {
    const db = await getDb();
    const mine = await makeOrg('Mine');
    const theirs = await makeOrg('Theirs', { zoomDefaultUserId: 'zu-theirs' });
    await saveOrganisationZoomCredentials(db, mine.id, { accountId: 'a', clientId: 'c', clientSecret: SECRET });
    const stranger = await makeHost('stranger');
    await join(theirs.id, stranger.id, 'member', { zoomUserId: 'zu-s', zoomUserEmail: 's@zoom.example', zoomMapping: 'email' });

    await expectNotFound(chooseMemberZoomUser(db, mine.id, stranger.id, 'zu-anything'));
    await expectNotFound(chooseMemberZoomUser(db, mine.id, stranger.id, ''));
    await expectNotFound(createMemberZoomUser(db, mine.id, stranger.id));
    expect(await mapMemberZoomUser(db, mine.id, stranger.id)).toBeNull();
    expect(await memberZoomUser(db as never, mine.id, stranger.id)).toBeNull();
    expect((await memberZoomRows(db, mine.id)).map((r) => r.userId)).not.toContain(stranger.id);
    const [row] = await db.select().from(organisationMembers).where(eq(organisationMembers.userId, stranger.id));
    expect(row).toMatchObject({ organisationId: theirs.id, zoomUserId: 'zu-s', zoomMapping: 'email' });
  });
});

describe('meeting defaults and the default user', () => {
  it('saves every setting, refuses bad values with field errors', async () => {
    const db = await getDb();
    const org = await makeOrg('Defaults');
    const values = { waitingRoom: true, joinBeforeHost: false, muteUponEntry: true, hostVideo: true, participantVideo: false, autoRecording: 'cloud', passcode: 'none' };
    expect(await saveMeetingDefaults(db, org.id, values)).toEqual(values);
    expect((await organisationZoomView(db, org.id)).meetingDefaults).toEqual(values);
    const error = await saveMeetingDefaults(db, org.id, { ...values, autoRecording: 'tape', waitingRoom: 'yes' }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('invalid_input');
    expect(Object.keys((isAppError(error) && error.details.fields) || {}).sort()).toEqual(['autoRecording', 'waitingRoom']);
    expect((await organisationZoomView(db, org.id)).meetingDefaults).toEqual(values);
  });

  it('clearing the default user needs no Zoom; setting one needs the app', async () => {
    const db = await getDb();
    const org = await makeOrg('Default', { zoomDefaultUserId: 'zu-d', zoomDefaultUserEmail: 'd@zoom.example' });
    expect(await setDefaultZoomUser(db, org.id, '')).toBeNull();
    expect((await organisationZoomView(db, org.id)).defaultUser).toBeNull();
    const error = await setDefaultZoomUser(db, org.id, 'zu-x').catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('not_configured');
  });
});

describe('a booking page’s meeting settings override', () => {
  it('is stored for Zoom pages only, null means the organisation defaults, and the effective settings combine both', async () => {
    const db = await getDb();
    const org = await makeOrg('Pages', { zoomAccountId: 'a', zoomClientId: 'c', zoomClientSecretEnc: 'x', meetingDefaults: { waitingRoom: true, autoRecording: 'cloud' } });
    const host = await makeHost('pages');
    const outsider = await makeHost('pagesout');
    await join(org.id, host.id, 'member');
    expect(await editorMeetingDefaults(db, host.id)).toMatchObject({ waitingRoom: true, autoRecording: 'cloud', passcode: 'generate', hostVideo: true });
    expect(await editorMeetingDefaults(db, outsider.id)).toBeNull();

    const override = { waitingRoom: false, joinBeforeHost: true, muteUponEntry: true, hostVideo: true, participantVideo: false, autoRecording: 'none' as const, passcode: 'none' as const };
    const base = { ...newPageInput({ title: 'Org page', slug: 'org-page', timeZone: 'Asia/Tokyo', zoomLinked: true }), meetingSettings: override };
    const page = await createPage(host.id, base);
    const [orgRow] = await db.select().from(organisations).where(eq(organisations.id, org.id));
    const stored = await getPageForHost(host.id, page.id);
    expect(stored!.meetingSettings).toEqual(override);
    expect(toPageInput(stored!).meetingSettings).toEqual(override);
    expect(effectiveMeetingSettings(orgRow!.meetingDefaults, stored!.meetingSettings)).toEqual(override);

    const { meetingSettings: _, ...withoutOverride } = base;
    await updatePage(host.id, page.id, withoutOverride);
    const cleared = await getPageForHost(host.id, page.id);
    expect(cleared!.meetingSettings).toBeNull();
    expect('meetingSettings' in toPageInput(cleared!)).toBe(false);
    expect(effectiveMeetingSettings(orgRow!.meetingDefaults, cleared!.meetingSettings)).toEqual({ waitingRoom: true, autoRecording: 'cloud' });

    await updatePage(host.id, page.id, { ...base, location: { type: 'phone' } });
    expect((await getPageForHost(host.id, page.id))!.meetingSettings).toBeNull();
  });
});
