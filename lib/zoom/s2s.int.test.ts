import { beforeEach, describe, expect, it } from 'vitest';
import { isIntegrationError } from '@/lib/errors';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { createMeeting, deleteMeeting, getMeeting, syncMeeting } from './client';
import { passcodeFor } from './passcode';
import { checkServerToServerApp, forgetServerToServerTokens, type S2sApp, s2sFailureOf, serverToServerSource } from './s2s';
import { REQUIRED_S2S_SCOPES } from './scopes';
import type { ZoomMeetingInput } from './types';
import { createZoomUser, findZoomUser, listZoomUsers, zoomPasscodePolicy } from './users';

/** An organisation's Zoom account (Server-to-Server OAuth app) against the standalone emulator over real HTTP. */

const zoom = zoomEmulatorForThisFile();
const control = zoom.control;

let counter = 0;

/** A fresh account with an activated app (every scope Aki needs unless `scopes` says otherwise) and two users. */
async function account(options: { scopes?: string[]; licenses?: number } = {}) {
  counter++;
  const id = `acct-${counter}-${Date.now().toString(36)}`;
  const app: S2sApp = { key: `org-${counter}`, accountId: id, clientId: `s2s-${counter}-${Date.now().toString(36)}`, clientSecret: `secret-${counter}` };
  await control('accounts', {
    id,
    name: `Account ${counter}`,
    ...(options.licenses !== undefined ? { licenses: options.licenses } : {}),
    s2sApps: [{ clientId: app.clientId, clientSecret: app.clientSecret, activated: true, ...(options.scopes ? { scopes: options.scopes } : {}) }],
  });
  const users: { id: string; email: string }[] = [];
  for (const name of ['ana', 'ben']) {
    const user = await control('users', { accountId: id, email: `${name}-${counter}@org${counter}.example`, firstName: name, lastName: 'Org', type: 2, timezone: 'Asia/Tokyo' });
    users.push({ id: String(user.id), email: String(user.email) });
  }
  return { app, users };
}

const tokenRequests = (app: S2sApp) =>
  zoom.emulator.state.tokenSets.filter((set) => set.clientId === app.clientId && set.accountId === app.accountId).length;

const input = (overrides: Partial<ZoomMeetingInput> = {}): ZoomMeetingInput => ({
  topic: 'Intro call',
  start: new Date('2031-03-15T08:30:00.000Z'),
  durationMinutes: 30,
  timeZone: 'Asia/Tokyo',
  agenda: `Booked with Aki\naki:${crypto.randomUUID()}`,
  ...overrides,
});

beforeEach(async () => {
  forgetServerToServerTokens();
  await fetch(`${zoom.url}/__control/faults`, { method: 'DELETE' });
  await control('clock', { now: null });
});

describe('meetings through an organisation\'s app', () => {
  it('concurrent bookings of several members: one token request; meetings belong to each member\'s Zoom user', async () => {
    const { app, users } = await account();
    const made = await Promise.all(
      [users[0]!, users[1]!, users[0]!, users[1]!].map((user) => createMeeting(serverToServerSource(app, user.id), input())),
    );
    expect(tokenRequests(app)).toBe(1);
    for (const [index, meeting] of made.entries()) {
      const stored = zoom.emulator.state.meetings.find((m) => m.id.toString() === meeting.id)!;
      expect(stored.hostId).toBe(users[index % 2]!.id);
    }
    const calls = zoom.emulator.state.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/meetings'));
    expect(calls.some((c) => c.path === `/v2/users/${users[0]!.id}/meetings`)).toBe(true);
    // Reads, reschedules and deletes work with the same (cached) token.
    const moved = await syncMeeting(serverToServerSource(app, users[0]!.id), made[0]!.id, input({ start: new Date('2031-03-16T01:00:00Z') }));
    expect(moved.patched).toContain('start_time');
    await deleteMeeting(serverToServerSource(app, users[0]!.id), made[0]!.id);
    expect(tokenRequests(app)).toBe(1);
  });

  it('a token Zoom stopped accepting: one fresh token, one retry (the cache then holds the new one)', async () => {
    const { app, users } = await account();
    const source = serverToServerSource(app, users[0]!.id);
    const first = await source.accessToken();
    // Zoom forgets the token before its expiry (Zoom does this when too many were issued).
    zoom.emulator.state.accessTokens = zoom.emulator.state.accessTokens.filter((t) => t.token !== first);
    const made = await Promise.all([createMeeting(source, input()), createMeeting(serverToServerSource(app, users[1]!.id), input())]);
    expect(made).toHaveLength(2);
    expect(tokenRequests(app)).toBe(2);
    expect(await source.accessToken()).not.toBe(first);
  });

  it('an expired token is replaced before use (no 401 at all)', async () => {
    const { app, users } = await account();
    const source = serverToServerSource(app, users[0]!.id);
    const first = await source.accessToken();
    const callsBefore = zoom.emulator.state.calls.length;
    const realNow = Date.now;
    const base = realNow();
    try {
      Date.now = () => base + 3_560_000; // under a minute left of 3599 s (the emulator's clock follows)
      const meeting = await createMeeting(source, input());
      expect(meeting.id).toMatch(/^\d+$/);
      expect(await source.accessToken()).not.toBe(first);
      expect(zoom.emulator.state.calls.slice(callsBefore).filter((c) => c.status === 401)).toHaveLength(0);
    } finally {
      Date.now = realNow;
    }
  });

  it('a deactivated app: its tokens die (401/124), no fresh token is issued, the error says what to fix', async () => {
    const { app, users } = await account();
    const source = serverToServerSource(app, users[0]!.id);
    await source.accessToken();
    await control(`accounts/${app.accountId}/apps/${app.clientId}`, { activated: false });
    const error = await createMeeting(source, input()).catch((e: unknown) => e);
    expect(isIntegrationError(error, 'revoked')).toBe(true);
    expect(s2sFailureOf(error)).toBe('app_deactivated');
    expect(String((error as Error).message)).not.toContain(app.clientSecret);
    expect(await checkServerToServerApp(app)).toMatchObject({ ok: false, reason: 'app_deactivated' });
    await control(`accounts/${app.accountId}/apps/${app.clientId}`, { activated: true });
    expect((await createMeeting(source, input())).id).toMatch(/^\d+$/);
  });

  it('a Zoom user of another account is not found (404/1001), and `me` is never sent', async () => {
    const { app } = await account();
    const other = await account();
    const error = await createMeeting(serverToServerSource(app, other.users[0]!.id), input()).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'invalid_request', status: 404, providerCode: 1001 });
    expect(await findZoomUser(serverToServerSource(app, ''), other.users[0]!.email)).toBeNull();
  });
});

describe('Test connection', () => {
  it('ok: every user of the account, the scopes, and whether users can be created', async () => {
    const { app, users } = await account();
    await serverToServerSource(app, users[0]!.id).accessToken();
    const check = await checkServerToServerApp(app);
    expect(check).toMatchObject({ ok: true });
    if (!check.ok) throw new Error(check.reason);
    expect(check.users.map((u) => u.email).sort()).toEqual(users.map((u) => u.email).sort());
    expect(typeof check.canCreateUsers).toBe('boolean');
    expect(tokenRequests(app)).toBe(2); // a fresh token, not the cached one
  });

  it('wrong secret, wrong account id, missing scopes (named), optional user:write', async () => {
    const { app } = await account();
    expect(await checkServerToServerApp({ ...app, clientSecret: 'nope' })).toMatchObject({ ok: false, reason: 'invalid_client' });
    expect(await checkServerToServerApp({ ...app, clientId: 'nobody' })).toMatchObject({ ok: false, reason: 'invalid_client' });
    expect(await checkServerToServerApp({ ...app, accountId: 'someone-else' })).toMatchObject({ ok: false, reason: 'invalid_account' });

    const everything = REQUIRED_S2S_SCOPES.map((options) => options[0]!);
    const lacking = await account({ scopes: everything.filter((s) => s !== 'meeting:delete:meeting:admin' && s !== 'user:read:settings:admin') });
    expect(await checkServerToServerApp(lacking.app)).toMatchObject({
      ok: false,
      reason: 'missing_scope',
      missingScopes: ['meeting:delete:meeting:admin', 'user:read:settings:admin'],
    });
    const noWrite = await account({ scopes: everything });
    expect(await checkServerToServerApp(noWrite.app)).toMatchObject({ ok: true, canCreateUsers: false });
    const withWrite = await account({ scopes: [...everything, 'user:write:user:admin'] });
    expect(await checkServerToServerApp(withWrite.app)).toMatchObject({ ok: true, canCreateUsers: true });
  });

  it('an account-level rate limit at the users list is explained, not thrown', async () => {
    const { app } = await account();
    await control(`accounts/${app.accountId}/rate-limit`, { next429: 1, retryAfterSeconds: 2 });
    expect(await checkServerToServerApp(app)).toMatchObject({ ok: false, reason: 'rate_limited' });
  });
});

describe('account users', () => {
  it('lists active users, finds by id or email (null for a stranger), creates a Basic user, keeps Zoom\'s refusals', async () => {
    const { app, users } = await account({ licenses: 2, scopes: [...REQUIRED_S2S_SCOPES.map((o) => o[0]!), 'user:write:user:admin'] });
    const source = serverToServerSource(app, users[0]!.id);
    expect((await listZoomUsers(source)).map((u) => u.id).sort()).toEqual(users.map((u) => u.id).sort());
    expect(await findZoomUser(source, users[1]!.email)).toMatchObject({ id: users[1]!.id, email: users[1]!.email });
    expect(await findZoomUser(source, users[1]!.id)).toMatchObject({ id: users[1]!.id });
    expect(await findZoomUser(source, 'nobody@example.com')).toBeNull();

    const created = await createZoomUser(source, { email: `new-${counter}@org.example`, firstName: 'New', lastName: 'Member' });
    expect(created).toMatchObject({ email: `new-${counter}@org.example`, firstName: 'New', type: 1 });
    const again = await createZoomUser(source, { email: `new-${counter}@org.example`, firstName: 'New' }).catch((e: unknown) => e);
    expect(again).toMatchObject({ reason: 'invalid_request', providerCode: 1005 });
    expect((again as { providerMessage?: string }).providerMessage).toBeTruthy();
    // Two Licensed users already use both seats.
    const licensed = await createZoomUser(source, { email: `lic-${counter}@org.example`, firstName: 'Lic', type: 2 }).catch((e: unknown) => e);
    expect(isIntegrationError(licensed, 'invalid_request')).toBe(true);
    expect((licensed as { providerMessage?: string }).providerMessage).toBeTruthy();
  });

  it('the passcode policy is read per user and a generated passcode passes it; a bad one is refused by Zoom', async () => {
    const { app, users } = await account();
    const user = users[0]!;
    await control(`users/${user.id}/settings`, {
      meeting_security: {
        require_password_for_scheduled_meeting: true,
        meeting_password_requirement: { length: 9, have_letter: true, have_number: true, have_special_character: true, have_upper_and_lower_characters: true, consecutive_characters_length: 4 },
      },
    });
    const source = serverToServerSource(app, user.id);
    const policy = await zoomPasscodePolicy(source, user.id);
    expect(policy).toMatchObject({ required: true, length: 9, haveLetter: true, haveNumber: true, haveSpecialCharacter: true, consecutiveCharactersLength: 4, haveUpperAndLower: true });
    for (let i = 0; i < 5; i++) {
      const password = passcodeFor(policy);
      const meeting = await createMeeting(source, input({ password, settings: { waitingRoom: true, autoRecording: 'cloud', muteUponEntry: true } }));
      expect(meeting.password).toBe(password);
      const read = await getMeeting(source, meeting.id);
      expect(read.settings).toMatchObject({ waitingRoom: true, autoRecording: 'cloud', muteUponEntry: true });
    }
    const refused = await createMeeting(source, input({ password: 'abc1234' })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: 'invalid_request', status: 400, providerCode: 300 });
  });
});

describe('the demo account (issue 12\'s "Done when" contract)', () => {
  it('demo-s2s passes Test connection; a meeting for demo@example.com is owned by that user of demo-account', async () => {
    const demo: S2sApp = { key: 'demo-org', accountId: 'demo-account', clientId: 'demo-s2s', clientSecret: 'demo-s2s-secret' };
    const check = await checkServerToServerApp(demo);
    expect(check).toMatchObject({ ok: true });
    const user = await findZoomUser(serverToServerSource(demo, ''), 'demo@example.com');
    expect(user).toMatchObject({ email: 'demo@example.com', type: 2 });
    const meeting = await createMeeting(serverToServerSource(demo, user!.id), input());
    const stored = zoom.emulator.state.meetings.find((m) => m.id.toString() === meeting.id)!;
    const owner = zoom.emulator.state.users.find((u) => u.id === stored.hostId)!;
    expect(owner).toMatchObject({ email: 'demo@example.com', accountId: 'demo-account' });
  });
});
