import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { bookingSteps, bookings, hostNotices } from '@/lib/db/schema/bookings';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { createMeeting } from '@/lib/zoom/client';
import { userOAuthSource } from '@/lib/zoom/tokens';
import { drainSteps } from './effects/worker';
import { cancelBookingAsHost, createBooking, listHostBookings, rescheduleBookingAsGuest, retryBookingSteps } from './service';
import { makeHost, makePage, outboxFor, slotStart } from './testing';

/**
 * The Zoom steps against Zoom's documented behaviour (emulator over real HTTP): reconciliation of an
 * ambiguous create among many meetings, the daily create/update limit, started/ended meetings,
 * PATCHing only what changed, Zoom's zone list, and one host mail per problem (not per booking).
 * Time moves by passing `now` to the worker; Zoom's state is set through its control API.
 */

const INLINE_DEADLINE_MS = 1_000;
const zoom = zoomEmulatorForThisFile({ beforeStart: () => { process.env.AKI_ZOOM_INLINE_DEADLINE_MS = String(INLINE_DEADLINE_MS); } });

const control = zoom.control;

async function linkedHost(options: { timeZone?: string } = {}) {
  const host = await makeHost(options);
  return { host, zoomUserId: await zoom.linkNewZoomUser(host.id) };
}

const liveMeetings = zoom.liveMeetings;
const later = (ms: number) => new Date(Date.now() + ms);
const hostProblemMails = async (email: string) => (await outboxFor(email)).filter((m) => m.subject.includes('not created yet'));

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

async function book(handle: string, slug: string, index: number, email: string) {
  return createBooking({ handle, slug, start: slotStart(index).toISOString(), name: `Guest ${index}`, email, timeZone: 'Asia/Tokyo' });
}

/** A meeting at Zoom that Aki did not make (or did, without hearing back). */
async function zoomMeeting(hostId: string, start: Date, agenda = 'Someone else') {
  return createMeeting(userOAuthSource(hostId), { topic: 'Other', start, durationMinutes: 30, timeZone: 'Asia/Tokyo', agenda });
}

beforeEach(async () => {
  await fetch(`${zoom.url}/__control/faults`, { method: 'DELETE' });
  await control('config', { dailyMeetingLimit: 100_000, listIncludesAgenda: true });
});

describe('reconciling an ambiguous create', () => {
  it('finds the meeting among 170 others (list narrowed to the booking date, all pages): no second meeting', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    // Zoom's list without agendas: every candidate must be read one by one.
    await control('config', { listIncludesAgenda: false });
    for (let i = 0; i < 170; i++) await zoomMeeting(host.id, new Date(Date.now() + 3_600_000 + i * 3_600_000));

    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 502, times: 1, body: '<html>Bad Gateway</html>' });
    const booking = await book(host.handle!, page.slug, 10 * 48, 'many@example.com'); // ten days on: after all 170
    expect((await step(booking.uid, 'zoom.create')).payload.ambiguous).toBe(true);
    // …but Zoom did create it.
    const ours = await zoomMeeting(host.id, new Date(booking.start), `Booked with Aki\naki:${booking.uid}`);

    // A list error part way proves nothing: retry later, never create blindly.
    await control('faults', { method: 'GET', path: '/v2/users/me/meetings', status: 500, times: 1, body: { code: 500, message: 'Internal error' } });
    await drainSteps({ now: later(5 * 60_000) });
    expect((await step(booking.uid, 'zoom.create')).status).toBe('pending');
    expect(liveMeetings(zoomUserId)).toHaveLength(171);

    await drainSteps({ now: later(60 * 60_000) });
    const done = await step(booking.uid, 'zoom.create');
    expect(done).toMatchObject({ status: 'done', payload: expect.objectContaining({ reconciled: true }) });
    expect((await bookingRow(booking.uid)).zoomMeetingId).toBe(ours.id);
    expect(liveMeetings(zoomUserId)).toHaveLength(171);
    const lists = zoom.emulator.state.calls.filter((c) => c.userId === zoomUserId && c.method === 'GET' && c.path === '/v2/users/me/meetings');
    expect(lists.length).toBeGreaterThan(0);
    // Only the booking's days were read one by one, not all 170.
    expect(zoom.emulator.state.calls.filter((c) => c.userId === zoomUserId && c.method === 'GET' && c.path.startsWith('/v2/meetings/')).length).toBeLessThan(5);
  });

  it('when the list cannot prove absence, creates nothing and asks the host; Retry reconciles again', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    await control('config', { listIncludesAgenda: false });
    const start = slotStart(6 * 48);
    // 60 meetings on the booking's day whose agendas the list does not show: more than Aki reads one by one.
    for (let i = 0; i < 60; i++) await zoomMeeting(host.id, new Date(start.getTime() + (i - 30) * 60_000));

    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 502, times: 1, body: '<html>Bad Gateway</html>' });
    const booking = await book(host.handle!, page.slug, 6 * 48, 'unsure@example.com');
    const ours = await zoomMeeting(host.id, start, `Booked with Aki\naki:${booking.uid}`);
    await drainSteps({ now: later(5 * 60_000) });

    const create = await step(booking.uid, 'zoom.create');
    expect(create.status).toBe('failed');
    expect(create.lastError).toContain(`aki:${booking.uid}`);
    expect(liveMeetings(zoomUserId)).toHaveLength(61); // 60 + ours: nothing created blindly
    const [view] = (await listHostBookings(host.id, { scope: 'upcoming' })).filter((b) => b.uid === booking.uid);
    expect(view!.meeting.status).toBe('failed');
    expect(view!.meeting.reason).toContain('could not confirm');
    expect(view!.canRetry).toBe(true);
    const [mail] = await hostProblemMails(host.email);
    expect(mail!.text).toContain('Retry');

    // Zoom lists agendas again; the host presses Retry: reconciliation runs again and finds it.
    await control('config', { listIncludesAgenda: true });
    await retryBookingSteps(host.id, booking.uid);
    await drainSteps();
    expect(await step(booking.uid, 'zoom.create')).toMatchObject({ status: 'done', payload: expect.objectContaining({ reconciled: true }) });
    expect((await bookingRow(booking.uid)).zoomMeetingId).toBe(ours.id);
    expect(liveMeetings(zoomUserId)).toHaveLength(61);
  });
});

describe("Zoom's contract", () => {
  it('the daily 100 create/update limit (429 without Retry-After) waits until 00:00 UTC and never uses up attempts', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    await control('config', { dailyMeetingLimit: 0 });
    const before = Date.now();
    const booking = await book(host.handle!, page.slug, 30, 'daily@example.com');
    expect(booking.meeting?.status).toBe('pending');
    const nowAtZoom = new Date(zoom.emulator.now());
    const midnight = Date.UTC(nowAtZoom.getUTCFullYear(), nowAtZoom.getUTCMonth(), nowAtZoom.getUTCDate() + 1);
    let create = await step(booking.uid, 'zoom.create');
    expect(create.status).toBe('pending');
    expect(create.attempts).toBe(0);
    expect(create.lastError).toMatch(/daily/i);
    expect(create.runAt.getTime()).toBeGreaterThanOrEqual(midnight - (Date.now() - before) - 1000);

    await drainSteps({ now: new Date(midnight - 60_000) });
    create = await step(booking.uid, 'zoom.create');
    expect(create).toMatchObject({ status: 'pending', attempts: 0 });
    expect(liveMeetings(zoomUserId)).toHaveLength(0);

    // A new UTC day at Zoom.
    await control('config', { dailyMeetingLimit: 100_000 });
    await drainSteps({ now: new Date(create.runAt.getTime() + 1000) });
    expect((await bookingRow(booking.uid)).meetingStatus).toBe('created');
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
  });

  it('a reschedule PATCHes only the start; a started meeting is replaced by a new one for the new time', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    const booking = await book(host.handle!, page.slug, 40, 'move@example.com');
    await drainSteps();
    const first = await bookingRow(booking.uid);
    expect(first.meetingStatus).toBe('created');
    const token = new URL(booking.manageUrl).searchParams.get('token')!;

    await rescheduleBookingAsGuest(booking.uid, token, slotStart(44).toISOString());
    await drainSteps({ now: later(10_000) });
    const patches = zoom.emulator.state.calls.filter((c) => c.userId === zoomUserId && c.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toEqual({ start_time: slotStart(44).toISOString().replace('.000Z', 'Z') });
    expect(await step(booking.uid, 'zoom.update')).toMatchObject({ status: 'done' });

    // The host has started the meeting (early): Zoom refuses to move it (3000).
    await control(`meetings/${first.zoomMeetingId}`, { status: 'started' });
    await rescheduleBookingAsGuest(booking.uid, token, slotStart(48).toISOString());
    await drainSteps({ now: later(10_000) });
    const moved = await bookingRow(booking.uid);
    expect(moved.meetingStatus).toBe('created');
    expect(moved.zoomMeetingId).not.toBe(first.zoomMeetingId);
    const fresh = liveMeetings(zoomUserId).find((m) => m.id.toString() === moved.zoomMeetingId)!;
    expect(fresh.startTime).toBe(slotStart(48).toISOString().replace('.000Z', 'Z'));
    expect(liveMeetings(zoomUserId).find((m) => m.id.toString() === first.zoomMeetingId)?.status).toBe('started'); // left alone
    await drainSteps({ now: later(60_000) }); // the mails that waited for the new link
    const guestMails = await outboxFor('move@example.com');
    expect(guestMails.some((m) => m.text.includes(moved.zoomJoinUrl!))).toBe(true);
  });

  it('cancelling a booking whose meeting already ended: the delete step is done with a note', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    const booking = await book(host.handle!, page.slug, 50, 'ended@example.com');
    await drainSteps();
    const row = await bookingRow(booking.uid);
    await control(`meetings/${row.zoomMeetingId}`, { status: 'ended' });
    await cancelBookingAsHost(host.id, booking.uid);
    await drainSteps({ now: later(10_000) });
    const del = await step(booking.uid, 'zoom.delete');
    expect(del.status).toBe('done');
    expect(String(del.payload.note)).toMatch(/ended/);
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
  });

  it("a host zone Zoom does not list is sent as Zoom's equivalent; the meeting is created", async () => {
    const { host, zoomUserId } = await linkedHost({ timeZone: 'Asia/Ho_Chi_Minh' });
    const page = await makePage(host.id);
    const booking = await book(host.handle!, page.slug, 60, 'tz@example.com');
    expect(booking.meeting?.status).toBe('created');
    const [meeting] = liveMeetings(zoomUserId);
    expect(meeting!.timezone).toBe('Asia/Saigon');
    expect(meeting!.startTime).toBe(slotStart(60).toISOString().replace('.000Z', 'Z'));
  });
});

describe('host notices', () => {
  it('a Zoom outage over 10 bookings mails the host once, listing them; after recovery a new outage mails again', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 500, times: 30, body: { code: 500, message: 'Internal error' } });
    const booked = [];
    for (let i = 0; i < 10; i++) booked.push(await book(host.handle!, page.slug, 100 + i * 2, `outage${i}@example.com`));
    await drainSteps({ now: later(10 * 60_000) });
    await drainSteps({ now: later(60 * 60_000) });
    for (const b of booked) expect((await step(b.uid, 'zoom.create')).attempts).toBe(3);

    const mails = await hostProblemMails(host.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('10 bookings');
    for (let i = 0; i < 10; i++) expect(mails[0]!.text).toContain(`Guest ${100 + i * 2}`);
    const db = await getDb();
    const [notice] = await db.select().from(hostNotices).where(eq(hostNotices.userId, host.id));
    expect(notice).toMatchObject({ problem: 'zoom.unavailable', closedAt: null });
    expect(notice!.bookingIds).toHaveLength(10);

    // Zoom is back: every meeting is created and the notice closes.
    await drainSteps({ now: later(3 * 60 * 60_000) });
    expect(liveMeetings(zoomUserId)).toHaveLength(10);
    expect((await db.select().from(hostNotices).where(eq(hostNotices.userId, host.id)))[0]!.closedAt).not.toBeNull();

    // A later outage is a new problem: one more mail.
    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 500, times: 3, body: { code: 500, message: 'Internal error' } });
    const again = await book(host.handle!, page.slug, 140, 'again@example.com');
    await drainSteps({ now: later(4 * 60 * 60_000) });
    await drainSteps({ now: later(5 * 60 * 60_000) });
    expect((await step(again.uid, 'zoom.create')).attempts).toBe(3);
    const after = await hostProblemMails(host.email);
    expect(after).toHaveLength(2);
    expect(after.some((m) => m.text.includes('Guest 140'))).toBe(true);
  });
});
