import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { encryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { organisationMembers, organisations, zoomAccountBackoffs } from '@/lib/db/schema/organisations';
import { accountBackoff, recordAccountRateLimit } from '@/lib/meetings/credentials';
import { hostZoomChoice, setZoomSource } from '@/lib/meetings/zoom-choice';
import { IntegrationError } from '@/lib/errors';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { drainSteps } from './effects/worker';
import { createBooking, rescheduleBookingAsGuest } from './service';
import { makeHost, makePage, slotStart } from './testing';

/**
 * Which Zoom credential makes, moves and deletes a booking's meeting (issue 12): the host's own link or
 * the organisation's Server-to-Server app under the member's Zoom user. Each booking keeps the credential
 * that made its meeting, so switching a host between the two never breaks an existing booking; an
 * organisation's 429 backs off the whole account. Zoom is the emulator over real HTTP.
 */

const zoom = zoomEmulatorForThisFile();
const later = (ms: number) => new Date(Date.now() + ms);
let organisationCounter = 0;

async function bookingRow(uid: string) {
  const db = await getDb();
  const [row] = await db.select().from(bookings).where(eq(bookings.uid, uid));
  return row!;
}

async function step(uid: string, kind: string) {
  const db = await getDb();
  const row = await bookingRow(uid);
  const rows = await db
    .select()
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, row.id), eq(bookingSteps.kind, kind)));
  return rows.sort((a, b) => b.id - a.id)[0]!;
}

const book = (handle: string, slug: string, index: number, email: string) =>
  createBooking({ handle, slug, start: slotStart(index).toISOString(), name: `Guest ${index}`, email, timeZone: 'Asia/Tokyo' });

const manageToken = (booking: { manageUrl: string }) => new URL(booking.manageUrl).searchParams.get('token')!;

/** An organisation whose Zoom account (with an S2S app) exists in the emulator, and a Zoom user per given member. */
async function organisationWithZoom(options: { rateLimit?: Record<string, number>; inEmulator?: boolean } = {}) {
  organisationCounter++;
  const tag = `${process.pid}-${organisationCounter}-${Math.random().toString(36).slice(2, 6)}`;
  const accountId = `acct-${tag}`;
  const app = { clientId: `s2s-${tag}`, clientSecret: `secret-${tag}` };
  if (options.inEmulator !== false) await zoom.control('accounts', { id: accountId, s2sApps: [app], ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) });
  const db = await getDb();
  const [organisation] = await db
    .insert(organisations)
    .values({ name: `Org ${tag}`, zoomAccountId: accountId, zoomClientId: app.clientId, zoomClientSecretEnc: encryptSecret(app.clientSecret) })
    .returning();
  return {
    id: organisation!.id,
    accountId,
    /** A member with a Zoom user of the account (null: not mapped). */
    async member(userId: string, mapped = true) {
      let zoomUserId: string | null = null;
      if (mapped) {
        const user = await zoom.control('users', { email: `member-${tag}-${userId.slice(0, 6)}@org.example`, accountId, timezone: 'Asia/Tokyo' });
        zoomUserId = String(user.id);
      }
      await db.insert(organisationMembers).values({ organisationId: organisation!.id, userId, role: 'member', zoomUserId, zoomMapping: mapped ? 'chosen' : null });
      return zoomUserId;
    },
  };
}

const liveMeetings = zoom.liveMeetings;

beforeEach(async () => {
  await fetch(`${zoom.url}/__control/faults`, { method: 'DELETE' });
});

describe('a host switching between their own Zoom and the organisation’s', () => {
  it('booked under their own Zoom, switched to the organisation: the reschedule PATCHes with their own token', async () => {
    const host = await makeHost();
    const ownZoomUser = await zoom.linkNewZoomUser(host.id);
    const page = await makePage(host.id);
    const booking = await book(host.handle!, page.slug, 40, 'own-then-org@example.com');
    await drainSteps();
    const made = await bookingRow(booking.uid);
    expect(made).toMatchObject({ meetingStatus: 'created', zoomCredential: 'own', zoomHostUserId: null });

    // The host joins an organisation with Zoom and chooses it (its account is never called).
    const organisation = await organisationWithZoom({ inEmulator: false });
    await organisation.member(host.id, false);
    await setZoomSource(host.id, 'organisation');
    expect((await hostZoomChoice(host.id)).effective).toBe('organisation');

    await rescheduleBookingAsGuest(booking.uid, manageToken(booking), slotStart(44).toISOString());
    await drainSteps({ now: later(10_000) });
    expect(await step(booking.uid, 'zoom.update')).toMatchObject({ status: 'done' });
    const patches = zoom.emulator.state.calls.filter((c) => c.method === 'PATCH' && c.path === `/v2/meetings/${made.zoomMeetingId}`);
    expect(patches).toHaveLength(1);
    // Made with the host's own link (the emulator records whose token called).
    expect(patches[0]!.userId).toBe(ownZoomUser);
    expect((await bookingRow(booking.uid)).zoomCredential).toBe('own');
  });

  it('booked under the organisation’s Zoom, switched to their own: the reschedule moves the organisation’s meeting; new bookings use their own', async () => {
    const host = await makeHost();
    const page = await makePage(host.id);
    const organisation = await organisationWithZoom();
    const orgZoomUser = await organisation.member(host.id);
    // No own link: the organisation's Zoom is the default.
    const choice = await hostZoomChoice(host.id);
    expect(choice).toMatchObject({ chosen: 'own', effective: 'organisation', ownLinked: false });

    const booking = await book(host.handle!, page.slug, 50, 'org-then-own@example.com');
    expect(booking.meeting?.status).toBe('created');
    const made = await bookingRow(booking.uid);
    expect(made).toMatchObject({ zoomCredential: `organisation:${organisation.id}`, zoomHostUserId: orgZoomUser });
    expect(liveMeetings(orgZoomUser!).map((m) => String(m.id))).toEqual([made.zoomMeetingId]);

    const ownZoomUser = await zoom.linkNewZoomUser(host.id);
    await setZoomSource(host.id, 'own');
    expect((await hostZoomChoice(host.id)).effective).toBe('own');

    await rescheduleBookingAsGuest(booking.uid, manageToken(booking), slotStart(54).toISOString());
    await drainSteps({ now: later(10_000) });
    expect(await step(booking.uid, 'zoom.update')).toMatchObject({ status: 'done' });
    const [moved] = liveMeetings(orgZoomUser!);
    expect(String(moved!.id)).toBe(made.zoomMeetingId);
    expect(new Date(moved!.startTime).getTime()).toBe(slotStart(54).getTime());
    expect(liveMeetings(ownZoomUser)).toHaveLength(0);

    const next = await book(host.handle!, page.slug, 60, 'own-now@example.com');
    expect(next.meeting?.status).toBe('created');
    expect(await bookingRow(next.uid)).toMatchObject({ zoomCredential: 'own', zoomHostUserId: null });
    expect(liveMeetings(ownZoomUser)).toHaveLength(1);
  });

  it('a member without a Zoom user in the organisation’s account: the booking waits, saying why', async () => {
    const host = await makeHost();
    const page = await makePage(host.id);
    const organisation = await organisationWithZoom();
    await organisation.member(host.id, false);
    const booking = await book(host.handle!, page.slug, 70, 'unmapped@example.com');
    expect(booking.meeting?.status).toBe('pending');
    const create = await step(booking.uid, 'zoom.create');
    expect(create).toMatchObject({ status: 'pending', attempts: 0 });
    expect(create.lastError).toMatch(/no Zoom user for you/);
    expect((await bookingRow(booking.uid)).zoomCredential).toBeNull();
  });

  it('choosing the organisation’s Zoom without one is refused (422 field)', async () => {
    const host = await makeHost();
    await expect(setZoomSource(host.id, 'organisation')).rejects.toMatchObject({ code: 'invalid_input', details: { fields: { zoomSource: 'no_organisation_zoom' } } });
    await expect(setZoomSource(host.id, 'elsewhere')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('organisation meeting settings', () => {
  it('sends the organisation’s defaults with the page’s override and a passcode the Zoom user’s policy accepts', async () => {
    const host = await makeHost();
    const page = await makePage(host.id);
    const organisation = await organisationWithZoom();
    const zoomUserId = await organisation.member(host.id);
    const db = await getDb();
    await db.update(organisations).set({ meetingDefaults: { waitingRoom: true, muteUponEntry: true, autoRecording: 'cloud', passcode: 'generate' } }).where(eq(organisations.id, organisation.id));
    await db.update(bookingPages).set({ meetingSettings: { waitingRoom: false } }).where(eq(bookingPages.id, page.id));
    await zoom.control(`users/${zoomUserId}/settings`, {
      meeting_security: { require_password_for_scheduled_meeting: true, meeting_password_requirement: { length: 8, only_allow_numeric: true } },
    });
    const booking = await book(host.handle!, page.slug, 90, 'settings@example.com');
    expect(booking.meeting?.status).toBe('created');
    const [meeting] = liveMeetings(zoomUserId!);
    expect(meeting!.settings).toMatchObject({ waiting_room: false, mute_upon_entry: true, auto_recording: 'cloud' });
    expect(meeting!.password).toMatch(/^\d{8,10}$/);
    expect((await bookingRow(booking.uid)).zoomPassword).toBe(meeting!.password);
  });
});

describe('account-level back-off', () => {
  it('a 429 writes the account’s back-off, extends it and never shortens it', async () => {
    const organisation = await organisationWithZoom();
    const db = await getDb();
    const now = new Date();
    const limited = (ms?: number) => new IntegrationError('zoom', 'rate_limited', 'Too many requests', ms === undefined ? {} : { retryAfterMs: ms });
    expect(await recordAccountRateLimit(db, { organisationId: null }, limited(5_000), now)).toBeNull();
    expect(await recordAccountRateLimit(db, { organisationId: organisation.id }, new IntegrationError('zoom', 'daily_limit', 'daily'), now)).toBeNull();
    const first = await recordAccountRateLimit(db, { organisationId: organisation.id }, limited(60_000), now);
    expect(first!.getTime()).toBe(now.getTime() + 60_000);
    const shorter = await recordAccountRateLimit(db, { organisationId: organisation.id }, limited(1_000), now);
    expect(shorter!.getTime()).toBe(now.getTime() + 60_000);
    const [row] = await db.select().from(zoomAccountBackoffs).where(eq(zoomAccountBackoffs.organisationId, organisation.id));
    expect(row!.hits).toBe(2);
    expect(await accountBackoff(db, organisation.id, new Date(now.getTime() + 59_000))).not.toBeNull();
    expect(await accountBackoff(db, organisation.id, new Date(now.getTime() + 61_000))).toBeNull();
  });

  it('one host’s 429 makes every host of the organisation wait for the account (no calls meanwhile)', async () => {
    const organisation = await organisationWithZoom();
    const [first, second] = [await makeHost(), await makeHost()];
    await organisation.member(first.id);
    const secondZoomUser = await organisation.member(second.id);
    const [firstPage, secondPage] = [await makePage(first.id), await makePage(second.id)];

    // The account's next request is refused with 429 (Retry-After 120 s).
    await zoom.control(`accounts/${organisation.accountId}/rate-limit`, { next429: 1, retryAfterSeconds: 120 });
    const limited = await book(first.handle!, firstPage.slug, 80, 'limited@example.com');
    expect(limited.meeting?.status).toBe('pending');
    const db = await getDb();
    const backoff = await accountBackoff(db, organisation.id, new Date());
    expect(backoff).not.toBeNull();
    expect(backoff!.until.getTime()).toBeGreaterThan(Date.now() + 100_000);

    // Another host of the same organisation: the step waits for the account, visibly, and Zoom hears nothing.
    const callsBefore = zoom.emulator.state.calls.length;
    const waiting = await book(second.handle!, secondPage.slug, 82, 'waiting@example.com');
    expect(waiting.meeting?.status).toBe('pending');
    const create = await step(waiting.uid, 'zoom.create');
    expect(create).toMatchObject({ status: 'pending', attempts: 0 });
    expect(String(create.payload.waitingFor)).toMatch(/rate-limited until/);
    expect(create.runAt.getTime()).toBeGreaterThanOrEqual(backoff!.until.getTime());
    expect(zoom.emulator.state.calls.length).toBe(callsBefore);

    // After the back-off both meetings are made.
    await drainSteps({ now: new Date(backoff!.until.getTime() + 10_000) });
    expect((await bookingRow(limited.uid)).meetingStatus).toBe('created');
    expect((await bookingRow(waiting.uid)).meetingStatus).toBe('created');
    expect(liveMeetings(secondZoomUser!)).toHaveLength(1);
  });
});
