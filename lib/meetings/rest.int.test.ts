import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimStepById } from '@/lib/bookings/effects/queue';
import { drainSteps, executeClaimedStep } from '@/lib/bookings/effects/worker';
import { createBooking } from '@/lib/bookings/service';
import { makeHost, makePage, slotStart } from '@/lib/bookings/testing';
import { getDb } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { meetingParticipants } from '@/lib/db/schema/meetings';
import { serveFetchHandler } from '@/lib/emulators/serve';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { getPastMeeting, listPastParticipants } from '@/lib/zoom/client';
import { getZoomConnectionStatus, zoomLinkMissingScopes } from '@/lib/zoom/queries';
import { REQUIRED_ZOOM_SCOPES } from '@/lib/zoom/scopes';
import { userOAuthSource } from '@/lib/zoom/tokens';
import { handleZoomWebhook } from '@/lib/zoom/webhooks';
import { queueMeetingEvent } from './events';
import { requestMeetingSync } from './service';

/**
 * The REST safety net (meeting.sync) over the emulator: a meeting held in Zoom is simulated through
 * the control API — with or without webhooks — and Aki reads the past meeting and its participants,
 * with Zoom's quirks (404/3001 until ended, one-person meetings listed empty, paid plan only, 429).
 * Time moves by passing `now` to the worker.
 */

const zoom = zoomEmulatorForThisFile();
let closeServer: () => void = () => {};

beforeAll(async () => {
  const server = await serveFetchHandler((request) => handleZoomWebhook(request, { onMeetingEvent: queueMeetingEvent }), 0);
  const address = server.address();
  // The emulator's simulated meetings deliver their webhooks here.
  zoom.emulator.options.webhookTargetUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/webhooks/zoom`;
  closeServer = () => {
    server.closeAllConnections();
    server.close();
  };
});
afterAll(() => closeServer());
beforeEach(async () => {
  await fetch(`${zoom.url}/__control/faults`, { method: 'DELETE' });
});

let index = 60;
async function zoomBooking(options: { scopes?: string[]; guestName?: string; guestEmail?: string } = {}) {
  const host = await makeHost();
  const zoomUserId = await zoom.linkNewZoomUser(host.id, options.scopes ? { scopes: options.scopes } : {});
  const page = await makePage(host.id);
  index += 2;
  const made = await createBooking({
    handle: host.handle!,
    slug: page.slug,
    start: slotStart(index).toISOString(),
    name: options.guestName ?? 'Gina Guest',
    email: options.guestEmail ?? 'gina@example.com',
    timeZone: 'Asia/Tokyo',
  });
  const booking = await row(made.uid);
  expect(booking.zoomMeetingId).toMatch(/^\d+$/);
  return { host, zoomUserId, booking };
}
async function row(uid: string) {
  const [found] = await (await getDb()).select().from(bookings).where(eq(bookings.uid, uid));
  return found!;
}
async function segments(bookingId: string) {
  return (await getDb()).select().from(meetingParticipants).where(eq(meetingParticipants.bookingId, bookingId)).orderBy(asc(meetingParticipants.joinAt));
}
async function syncSteps(bookingId: string) {
  return (await getDb())
    .select()
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, bookingId), eq(bookingSteps.kind, 'meeting.sync')))
    .orderBy(asc(bookingSteps.id));
}

/** Times of the simulated meeting: the booking's own slot (minutes from its start). */
const at = (booking: { startAt: Date }, minutes: number) => new Date(booking.startAt.getTime() + minutes * 60_000).toISOString();

async function simulate(booking: { zoomMeetingId: string | null; startAt: Date }, participants: Record<string, unknown>[], options: Record<string, unknown> = {}) {
  return zoom.control(`meetings/${booking.zoomMeetingId}/simulate`, { participants, end: true, deliverWebhooks: false, ...options });
}

const heldBy = (booking: { startAt: Date }, guest: Record<string, unknown> = { name: 'Gina Guest', email: 'gina@example.com' }) => [
  { name: 'Hana Host', host: true, joinAt: at(booking, 0), leaveAt: at(booking, 32) },
  { ...guest, joinAt: at(booking, 2), leaveAt: at(booking, 10) },
  { ...guest, joinAt: at(booking, 15), leaveAt: at(booking, 30) },
];

/** Runs the booking's pending REST read as the worker would at `now` (only this booking's: other tests' steps stay put). */
async function runSync(bookingId: string, now: Date) {
  const db = await getDb();
  const [pending] = (await syncSteps(bookingId)).filter((s) => s.status === 'pending' && s.runAt <= now);
  expect(pending).toBeDefined();
  const claimed = await claimStepById(db, pending!.id, now);
  return executeClaimedStep(db, claimed!, { now });
}

/** Refresh from Zoom at `now`, then the worker's run of it. */
async function syncNow(bookingId: string, now: Date) {
  expect(await requestMeetingSync(await getDb(), bookingId, now)).toBe(true);
  await runSync(bookingId, now);
}

describe('the Zoom client after the meeting', () => {
  it('reads the past meeting and every page of participants; 404/3001 before the end is not_found', async () => {
    const { host, booking } = await zoomBooking();
    const source = userOAuthSource(host.id);
    await expect(getPastMeeting(source, booking.zoomMeetingId!)).rejects.toMatchObject({ reason: 'not_found' });
    const guests = Array.from({ length: 320 }, (_, i) => ({ name: `Guest ${i}`, email: `g${i}@example.com`, joinAt: at(booking, 1), leaveAt: at(booking, 20) }));
    await simulate(booking, [{ name: 'Hana Host', host: true, joinAt: at(booking, 0), leaveAt: at(booking, 30) }, ...guests]);
    const past = await getPastMeeting(source, booking.zoomMeetingId!);
    expect(past).toMatchObject({ id: booking.zoomMeetingId, participantsCount: 321, endTime: at(booking, 30).replace('.000Z', 'Z') });
    const list = await listPastParticipants(source, booking.zoomMeetingId!);
    expect(list).toHaveLength(321);
    expect(new Set(list.map((p) => p.email)).size).toBe(321);
    // By UUID too (encoded as Zoom wants).
    expect((await getPastMeeting(source, past.uuid!)).uuid).toBe(past.uuid);
  });
});

describe('meeting.sync', () => {
  it('REST only (no webhooks): attended, the rejoin counted twice; one more read an hour later, then it stops', async () => {
    const { booking } = await zoomBooking();
    await simulate(booking, heldBy(booking));
    const now = new Date(booking.endAt.getTime() + 15 * 60_000 + 1_000);
    await runSync(booking.id, now);
    const after = await row(booking.uid);
    expect(after).toMatchObject({ attendanceStatus: 'attended', attendanceReason: null, meetingSyncedAt: now });
    expect(after.meetingEndedAt).toEqual(new Date(at(booking, 32)));
    expect(after.attendanceGuest).toEqual({ matchedBy: 'email', firstJoinAt: at(booking, 2), totalSeconds: 23 * 60, joins: 2 });
    const rows = await segments(booking.id);
    expect(rows.map((r) => [r.role, r.source, r.joinAt?.toISOString(), r.leaveAt?.toISOString()])).toEqual([
      ['host', 'rest', at(booking, 0), at(booking, 32)],
      ['guest', 'rest', at(booking, 2), at(booking, 10)],
      ['guest', 'rest', at(booking, 15), at(booking, 30)],
    ]);
    const [first, second] = await syncSteps(booking.id);
    expect(first!.payload).toMatchObject({ rest: { pastMeeting: 'found', participants: 'listed', listed: 3, participantsCount: 3 } });
    expect(second).toMatchObject({ status: 'pending', runAt: new Date(now.getTime() + 3_600_000) });

    const later = new Date(now.getTime() + 3_600_000 + 1_000);
    await runSync(booking.id, later);
    // The second read after the end schedules nothing more; the same facts, no duplicates.
    const steps = await syncSteps(booking.id);
    expect(steps.filter((s) => s.status === 'pending' && s.id !== second!.id)).toHaveLength(0);
    expect(steps).toHaveLength(2);
    expect(await segments(booking.id)).toHaveLength(3);
  });

  it('webhooks and REST merge without duplicating segments (out of order and duplicated deliveries too)', async () => {
    const { booking } = await zoomBooking();
    const result = await simulate(booking, heldBy(booking), { deliverWebhooks: true, webhookOrder: 'reverse', duplicateWebhooks: true });
    expect((result.webhooks as { status: number }[]).every((w) => w.status === 200)).toBe(true);
    const now = new Date();
    await drainSteps({ now });
    expect(await row(booking.uid)).toMatchObject({ attendanceStatus: 'attended' });
    // meeting.ended moved the REST read to 2 minutes later: run it.
    await runSync(booking.id, new Date(now.getTime() + 3 * 60_000));
    const after = await row(booking.uid);
    expect(after.meetingSyncedAt).not.toBeNull();
    expect(after.attendanceGuest).toEqual({ matchedBy: 'email', firstJoinAt: at(booking, 2), totalSeconds: 23 * 60, joins: 2 });
    const rows = await segments(booking.id);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.source === 'webhook' && r.leaveAt !== null)).toBe(true);
  });

  it('matches a registered guest by registrant id', async () => {
    const { booking } = await zoomBooking({ guestName: 'Gina Guest', guestEmail: 'reg@example.com' });
    await simulate(booking, [
      { name: 'Hana Host', host: true, joinAt: at(booking, 0), leaveAt: at(booking, 30) },
      { name: 'Someone on a phone', email: 'reg@example.com', registrant: true, joinAt: at(booking, 1), leaveAt: at(booking, 29) },
    ]);
    // The registrant Aki would have made for the guest (H2b's registration stores it on the booking).
    const meeting = zoom.emulator.state.meetings.find((m) => String(m.id) === booking.zoomMeetingId);
    const registrant = meeting?.registrants?.find((r) => r.email === 'reg@example.com');
    expect(registrant).toBeDefined();
    await (await getDb()).update(bookings).set({ zoomRegistrantId: registrant!.id, guestEmail: 'not-the-zoom-email@example.com' }).where(eq(bookings.id, booking.id));
    await syncNow(booking.id, new Date(booking.endAt.getTime() + 60_000));
    expect(await row(booking.uid)).toMatchObject({ attendanceStatus: 'attended', attendanceGuest: { matchedBy: 'registrant', joins: 1, totalSeconds: 28 * 60 } });
  });

  it('guest no-show and host no-show from REST', async () => {
    const one = await zoomBooking();
    await simulate(one.booking, [
      { name: 'Hana Host', host: true, joinAt: at(one.booking, 0), leaveAt: at(one.booking, 30) },
      { name: 'A colleague', email: 'colleague@example.com', joinAt: at(one.booking, 0), leaveAt: at(one.booking, 30) },
    ]);
    await syncNow(one.booking.id, new Date(one.booking.endAt.getTime() + 60_000));
    expect(await row(one.booking.uid)).toMatchObject({ attendanceStatus: 'guest_no_show', attendanceReason: null });
    expect((await segments(one.booking.id)).map((s) => s.role).sort()).toEqual(['host', 'other']);

    const two = await zoomBooking();
    await simulate(two.booking, [
      { name: 'Gina Guest', email: 'gina@example.com', joinAt: at(two.booking, 0), leaveAt: at(two.booking, 10) },
      { name: 'A colleague', email: 'colleague@example.com', joinAt: at(two.booking, 0), leaveAt: at(two.booking, 10) },
    ]);
    await syncNow(two.booking.id, new Date(two.booking.endAt.getTime() + 60_000));
    expect(await row(two.booking.uid)).toMatchObject({ attendanceStatus: 'host_no_show' });
  });

  it("one-person meeting: Zoom lists nobody — unknown without webhooks, guest no-show when the webhooks saw the host", async () => {
    const alone = await zoomBooking();
    await simulate(alone.booking, [{ name: 'Hana Host', host: true, joinAt: at(alone.booking, 0), leaveAt: at(alone.booking, 30) }]);
    await syncNow(alone.booking.id, new Date(alone.booking.endAt.getTime() + 60_000));
    expect(await row(alone.booking.uid)).toMatchObject({ attendanceStatus: 'unknown', attendanceReason: 'one_person_meeting' });
    expect(await segments(alone.booking.id)).toHaveLength(0);

    const seen = await zoomBooking();
    await simulate(seen.booking, [{ name: 'Hana Host', host: true, joinAt: at(seen.booking, 0), leaveAt: at(seen.booking, 30) }], { deliverWebhooks: true });
    const now = new Date();
    await drainSteps({ now });
    await runSync(seen.booking.id, new Date(now.getTime() + 3 * 60_000));
    expect(await row(seen.booking.uid)).toMatchObject({ attendanceStatus: 'guest_no_show', attendanceReason: 'one_person_meeting' });
  });

  it('free plan: Zoom refuses the participant list (400/200) → unknown / paid_plan, and the step is not retried', async () => {
    const { booking, zoomUserId } = await zoomBooking();
    const user = zoom.emulator.state.users.find((u) => u.id === zoomUserId)!;
    await zoom.control('users', { id: zoomUserId, email: user.email, type: 1 });
    await simulate(booking, heldBy(booking));
    await syncNow(booking.id, new Date(booking.endAt.getTime() + 60_000));
    expect(await row(booking.uid)).toMatchObject({ attendanceStatus: 'unknown', attendanceReason: 'paid_plan' });
    const [step] = await syncSteps(booking.id);
    expect(step!.payload).toMatchObject({ rest: { participants: 'plan_required' } });
    expect(step!.status).not.toBe('failed');
  });

  it('before the meeting ended: waits (404/3001) with backoff; still nothing 6 h after the end → nobody / not_started', async () => {
    const { booking } = await zoomBooking();
    const early = new Date(booking.endAt.getTime() + 15 * 60_000 + 1_000);
    await runSync(booking.id, early);
    const [waiting] = await syncSteps(booking.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    expect(waiting!.runAt.getTime()).toBeGreaterThanOrEqual(early.getTime() + 2 * 60_000);
    expect(await row(booking.uid)).toMatchObject({ attendanceStatus: 'pending' });

    const late = new Date(booking.endAt.getTime() + 6 * 3_600_000 + 1_000);
    await runSync(booking.id, late);
    expect(await row(booking.uid)).toMatchObject({ attendanceStatus: 'nobody', attendanceReason: 'not_started', meetingSyncedAt: late });
    expect((await syncSteps(booking.id)).map((s) => s.status)).toEqual(['done']);
  });

  it('429: backs off at least Retry-After', async () => {
    const { booking } = await zoomBooking();
    await simulate(booking, heldBy(booking));
    await zoom.control('faults', { method: 'GET', path: '/v2/past_meetings/*', status: 429, times: 1, headers: { 'retry-after': '120' }, body: { code: 429, message: 'Too many requests' } });
    const now = new Date(booking.endAt.getTime() + 60_000);
    await syncNow(booking.id, now);
    const [step] = await syncSteps(booking.id);
    expect(step!.status).toBe('pending');
    expect(step!.runAt.getTime()).toBeGreaterThanOrEqual(now.getTime() + 120_000);
    expect(step!.lastError).toContain('rate limit');
    await runSync(booking.id, new Date(step!.runAt.getTime() + 1));
    expect(await row(booking.uid)).toMatchObject({ attendanceStatus: 'attended' });
  });

  it('a link without the new scopes: attendance unknown / missing_scope (the step waits for a reconnect), and the link says what is missing', async () => {
    const granted = REQUIRED_ZOOM_SCOPES.map((options) => options[0]!).filter((s) => s !== 'meeting:read:past_meeting' && s !== 'meeting:read:list_past_participants');
    const { host, booking } = await zoomBooking({ scopes: granted });
    expect(await zoomLinkMissingScopes(host.id)).toEqual({ missing: ['meeting:read:past_meeting', 'meeting:read:list_past_participants'], afterMeeting: true });
    expect(await getZoomConnectionStatus(host.id)).toMatchObject({ state: 'active', afterMeetingScopesMissing: true });
    await simulate(booking, heldBy(booking));
    await syncNow(booking.id, new Date(booking.endAt.getTime() + 60_000));
    expect(await row(booking.uid)).toMatchObject({ attendanceStatus: 'unknown', attendanceReason: 'missing_scope' });
    const [step] = await syncSteps(booking.id);
    expect(step).toMatchObject({ status: 'pending', attempts: 0 });
    expect(step!.lastError).toContain('meeting:read:past_meeting');
    // A host who never reconnects: the read stops waiting a week after the meeting; Refresh from Zoom starts it again.
    await runSync(booking.id, new Date(booking.endAt.getTime() + 8 * 86_400_000));
    expect((await syncSteps(booking.id))[0]).toMatchObject({ status: 'failed' });
    expect(await requestMeetingSync(await getDb(), booking.id)).toBe(true);
    expect((await syncSteps(booking.id)).filter((s) => s.status === 'pending')).toHaveLength(1);
  });
});
