import { createHmac } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainSteps, startWorker } from '@/lib/bookings/effects/worker';
import { cancelBookingAsHost, createBooking, rescheduleBookingAsGuest, retryBookingSteps } from '@/lib/bookings/service';
import { makeHost, makePage, outboxFor, slotStart } from '@/lib/bookings/testing';
import { getDb } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { webhookEvents } from '@/lib/db/schema/integrations';
import { meetingParticipants } from '@/lib/db/schema/meetings';
import { serveFetchHandler } from '@/lib/emulators/serve';
import { waitFor } from '@/lib/testing/wait';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { handleZoomWebhook, pruneWebhookEvents } from '@/lib/zoom/webhooks';
import { recomputeAttendance } from './attendance';
import { queueMeetingEvent } from './events';
import { recreateZoomMeeting, requestMeetingSync } from './service';

/**
 * The webhook path of the after-meeting pipeline: Zoom's signed deliveries (sent here in Zoom's
 * shapes) → stored and queued at intake → applied by the worker (`meeting.event`) → facts and the
 * attendance verdict. Time is the real clock; Zoom's own times are whatever the events say.
 */

const zoom = zoomEmulatorForThisFile();
let webhookUrl = '';
let closeServer: () => void = () => {};

beforeAll(async () => {
  const server = await serveFetchHandler((request) => handleZoomWebhook(request, { onMeetingEvent: queueMeetingEvent }), 0);
  const address = server.address();
  webhookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/webhooks/zoom`;
  closeServer = () => {
    server.closeAllConnections();
    server.close();
  };
});
afterAll(() => closeServer());

let eventTs = Date.now();
/** Posts a delivery signed as Zoom signs it (independently of lib/zoom/signature). `raw`: the exact body text. */
async function deliver(event: string, object: Record<string, unknown> | string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown>; raw: string }> {
  eventTs += 1;
  const raw =
    typeof object === 'string'
      ? `{"event":"${event}","event_ts":${eventTs},"payload":{"account_id":"acc","object":${object}}}`
      : JSON.stringify({ event, event_ts: eventTs, payload: { account_id: 'acc', object }, ...extra });
  return post(raw);
}
async function post(raw: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', 'test-webhook-secret').update(`v0:${timestamp}:${raw}`).digest('hex')}`;
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': String(timestamp), 'x-zm-signature': signature },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, raw };
}

async function zoomBooking(options: { guestName?: string; guestEmail?: string; index?: number } = {}) {
  const host = await makeHost();
  const zoomUserId = await zoom.linkNewZoomUser(host.id);
  const page = await makePage(host.id);
  const made = await createBooking({
    handle: host.handle!,
    slug: page.slug,
    start: slotStart(options.index ?? 20).toISOString(),
    name: options.guestName ?? 'Gina Guest',
    email: options.guestEmail ?? 'gina@example.com',
    timeZone: 'Asia/Tokyo',
  });
  const booking = await row(made.uid);
  expect(booking.zoomMeetingId).toMatch(/^\d+$/);
  return { host, zoomUserId, booking, made };
}

async function row(uid: string) {
  const db = await getDb();
  const [found] = await db.select().from(bookings).where(eq(bookings.uid, uid));
  return found!;
}
async function segments(bookingId: string) {
  const db = await getDb();
  return db.select().from(meetingParticipants).where(eq(meetingParticipants.bookingId, bookingId)).orderBy(asc(meetingParticipants.joinAt));
}
async function stepsOf(bookingId: string, kind: string) {
  const db = await getDb();
  return db
    .select()
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, bookingId), eq(bookingSteps.kind, kind)))
    .orderBy(asc(bookingSteps.id));
}

const T0 = Date.parse('2031-03-03T01:00:00Z');
const t = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString().replace('.000Z', 'Z');

/** Zoom's meeting object for meeting/participant events (id as a STRING there). */
const meetingObject = (booking: { zoomMeetingId: string | null }, hostId: string, extra: Record<string, unknown> = {}) => ({
  id: booking.zoomMeetingId,
  uuid: 'inst-uuid-1==',
  host_id: hostId,
  topic: 'Intro',
  type: 2,
  start_time: t(0),
  duration: 30,
  timezone: 'Asia/Tokyo',
  ...extra,
});
type Person = { name: string; email?: string; id?: string; registrant_id?: string; uuid: string; userId: string };
const joined = (booking: { zoomMeetingId: string | null }, hostId: string, p: Person, at: number) =>
  ['meeting.participant_joined', meetingObject(booking, hostId, { participant: { user_id: p.userId, user_name: p.name, id: p.id ?? '', participant_uuid: p.uuid, email: p.email ?? '', join_time: t(at), ...(p.registrant_id ? { registrant_id: p.registrant_id } : {}) } })] as const;
const left = (booking: { zoomMeetingId: string | null }, hostId: string, p: Person, at: number) =>
  ['meeting.participant_left', meetingObject(booking, hostId, { participant: { user_id: p.userId, user_name: p.name, id: p.id ?? '', participant_uuid: p.uuid, email: p.email ?? '', leave_time: t(at), leave_reason: 'left', ...(p.registrant_id ? { registrant_id: p.registrant_id } : {}) } })] as const;

/** A meeting held in Zoom: host 0–32, guest 2–10 and again 15–30 (a rejoin), then ended at 32. */
function heldMeeting(booking: { zoomMeetingId: string | null }, hostId: string, guest: Partial<Person> = {}) {
  const hostP: Person = { name: 'Hana Host', id: hostId, uuid: 'P-HOST', userId: '16778240', email: '' };
  const guestP: Person = { name: 'Gina Guest', email: 'gina@example.com', uuid: 'P-GUEST', userId: '16779264', ...guest };
  return [
    ['meeting.started', meetingObject(booking, hostId)] as const,
    joined(booking, hostId, hostP, 0),
    joined(booking, hostId, guestP, 2),
    left(booking, hostId, guestP, 10),
    joined(booking, hostId, { ...guestP, userId: '16780288' }, 15),
    left(booking, hostId, { ...guestP, userId: '16780288' }, 30),
    left(booking, hostId, hostP, 32),
    ['meeting.ended', meetingObject(booking, hostId, { end_time: t(32) })] as const,
  ];
}

describe('webhook intake', () => {
  it('stores the delivery, ties it to the booking and queues meeting.event in one go; a retry is a duplicate and adds nothing', async () => {
    const { booking, zoomUserId } = await zoomBooking();
    const first = await deliver('meeting.started', meetingObject(booking, zoomUserId));
    expect(first).toMatchObject({ status: 200, body: { ok: true } });
    const again = await post(first.raw);
    expect(again).toMatchObject({ status: 200, body: { ok: true, duplicate: true } });
    const db = await getDb();
    const stored = await db.select().from(webhookEvents).where(eq(webhookEvents.bookingId, booking.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ event: 'meeting.started', processedAt: null });
    const queued = await stepsOf(booking.id, 'meeting.event');
    expect(queued).toHaveLength(1);
    expect(queued[0]!.payload).toMatchObject({ eventId: stored[0]!.id });
    // Nothing is processed inline: the worker applies it.
    expect((await row(booking.uid)).meetingStartedAt).toBeNull();
    await drainSteps();
    expect((await row(booking.uid)).meetingStartedAt).toEqual(new Date(t(0)));
    const [processed] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, stored[0]!.id));
    expect(processed).toMatchObject({ outcome: 'applied' });
    expect(processed!.processedAt).not.toBeNull();
  });

  it('acknowledges and drops events of meetings Aki did not make (and ids that are no meeting id)', async () => {
    const db = await getDb();
    const before = (await db.select().from(bookingSteps).where(eq(bookingSteps.kind, 'meeting.event'))).length;
    const unknown = await deliver('meeting.ended', { id: '99999999999', uuid: 'x', host_id: 'h', end_time: t(3) });
    expect(unknown).toMatchObject({ status: 200, body: { ok: true } });
    const noId = await deliver('meeting.started', { uuid: 'only-a-uuid' });
    expect(noId.status).toBe(200);
    const dropped = await db.select().from(webhookEvents).where(eq(webhookEvents.outcome, 'dropped'));
    expect(dropped.length).toBeGreaterThanOrEqual(2);
    for (const event of dropped) {
      expect(event.bookingId).toBeNull();
      expect(event.processedAt).not.toBeNull();
    }
    expect((await db.select().from(bookingSteps).where(eq(bookingSteps.kind, 'meeting.event'))).length).toBe(before);
  });

  it('finds the booking whether object.id is a string or a number, int64 beyond 2^53 included', async () => {
    const { booking, zoomUserId } = await zoomBooking({ index: 22 });
    // A number (recording.completed, meeting.deleted and meeting.updated send one).
    expect((await deliver('meeting.updated', `{"id":${booking.zoomMeetingId},"uuid":"u","topic":"renamed"}`)).status).toBe(200);
    // An id beyond 2^53 as a bare JSON number must not be rounded on the way.
    const db = await getDb();
    const big = '9007199254740993123';
    await db.update(bookings).set({ zoomMeetingId: big }).where(eq(bookings.id, booking.id));
    expect((await deliver('meeting.started', `{"id":${big},"uuid":"u2","host_id":"${zoomUserId}","start_time":"${t(0)}"}`)).status).toBe(200);
    expect((await deliver('meeting.ended', { id: big, uuid: 'u2', host_id: zoomUserId, end_time: t(40) })).status).toBe(200);
    const events = await db.select().from(webhookEvents).where(eq(webhookEvents.bookingId, booking.id));
    expect(events.map((e) => e.event).sort()).toEqual(['meeting.ended', 'meeting.started', 'meeting.updated']);
    expect(await stepsOf(booking.id, 'meeting.event')).toHaveLength(3);
  });
});

describe('facts and attendance from webhooks', () => {
  it('a held meeting: attended; the rejoin is two segments; the guest time is the sum; the REST read moves to 2 min after the end', async () => {
    const { booking, zoomUserId } = await zoomBooking({ index: 24 });
    for (const [event, object] of heldMeeting(booking, zoomUserId)) expect((await deliver(event, object)).status).toBe(200);
    const ranAt = new Date();
    await drainSteps({ now: ranAt });

    const after = await row(booking.uid);
    expect(after).toMatchObject({ attendanceStatus: 'attended', attendanceReason: null, meetingUuid: 'inst-uuid-1==' });
    expect(after.meetingStartedAt).toEqual(new Date(t(0)));
    expect(after.meetingEndedAt).toEqual(new Date(t(32)));
    expect(after.attendanceGuest).toEqual({ matchedBy: 'email', firstJoinAt: new Date(t(2)).toISOString(), totalSeconds: (8 + 15) * 60, joins: 2 });
    const rows = await segments(booking.id);
    expect(rows.map((r) => [r.role, r.joinAt?.toISOString(), r.leaveAt?.toISOString()])).toEqual([
      ['host', new Date(t(0)).toISOString(), new Date(t(32)).toISOString()],
      ['guest', new Date(t(2)).toISOString(), new Date(t(10)).toISOString()],
      ['guest', new Date(t(15)).toISOString(), new Date(t(30)).toISOString()],
    ]);
    expect(rows.every((r) => r.source === 'webhook')).toBe(true);
    // One pending REST read, now due 2 minutes after meeting.ended was applied.
    const syncs = (await stepsOf(booking.id, 'meeting.sync')).filter((s) => s.status === 'pending');
    expect(syncs).toHaveLength(1);
    expect(Math.abs(syncs[0]!.runAt.getTime() - (ranAt.getTime() + 2 * 60_000))).toBeLessThan(60_000);
  });

  it('duplicate and out-of-order deliveries give the same facts, without duplicated segments', async () => {
    const { booking, zoomUserId } = await zoomBooking({ index: 26 });
    const events = heldMeeting(booking, zoomUserId).reverse();
    for (const [event, object] of events) {
      const sent = await deliver(event, object);
      expect(sent.status).toBe(200);
      // Zoom's retry of the same delivery, and the same event applied twice in a row by the worker.
      expect((await post(sent.raw)).body).toMatchObject({ duplicate: true });
      await drainSteps();
    }
    expect(await stepsOf(booking.id, 'meeting.event')).toHaveLength(events.length);
    const after = await row(booking.uid);
    expect(after.attendanceStatus).toBe('attended');
    expect(after.attendanceGuest).toEqual({ matchedBy: 'email', firstJoinAt: new Date(t(2)).toISOString(), totalSeconds: (8 + 15) * 60, joins: 2 });
    const rows = await segments(booking.id);
    expect(rows.map((r) => [r.role, r.joinAt?.toISOString(), r.leaveAt?.toISOString()])).toEqual([
      ['host', new Date(t(0)).toISOString(), new Date(t(32)).toISOString()],
      ['guest', new Date(t(2)).toISOString(), new Date(t(10)).toISOString()],
      ['guest', new Date(t(15)).toISOString(), new Date(t(30)).toISOString()],
    ]);
    // Applying a processed event again changes nothing.
    const db = await getDb();
    const ids = (await db.select().from(webhookEvents).where(eq(webhookEvents.bookingId, booking.id))).map((e) => e.id);
    const { applyMeetingEvent } = await import('./events');
    for (const id of ids) await applyMeetingEvent(db, await row(booking.uid), id, new Date());
    expect(await segments(booking.id)).toHaveLength(3);
  });

  it('matches a registered guest by registrant id (a device name, no e-mail)', async () => {
    const { booking, zoomUserId } = await zoomBooking({ index: 28 });
    const db = await getDb();
    await db.update(bookings).set({ zoomRegistrantId: 'reg-42' }).where(eq(bookings.id, booking.id));
    for (const [event, object] of heldMeeting(booking, zoomUserId, { name: "Gina's iPhone", email: '', registrant_id: 'reg-42' })) await deliver(event, object);
    await drainSteps();
    const after = await row(booking.uid);
    expect(after.attendanceStatus).toBe('attended');
    expect(after.attendanceGuest).toMatchObject({ matchedBy: 'registrant', joins: 2 });
  });

  it('guest no-show (only the host came) and host no-show (only the guest came)', async () => {
    const one = await zoomBooking({ index: 30 });
    const hostP: Person = { name: 'Hana Host', id: one.zoomUserId, uuid: 'P-H', userId: '1' };
    for (const [event, object] of [
      ['meeting.started', meetingObject(one.booking, one.zoomUserId)] as const,
      joined(one.booking, one.zoomUserId, hostP, 0),
      left(one.booking, one.zoomUserId, hostP, 20),
      ['meeting.ended', meetingObject(one.booking, one.zoomUserId, { end_time: t(20) })] as const,
    ]) {
      await deliver(event, object);
    }
    const two = await zoomBooking({ index: 32, guestName: 'Taro Yamada', guestEmail: 'taro@example.com' });
    // No e-mail in Zoom: recognised by name (spacing and case do not matter).
    const guestP: Person = { name: ' taro  YAMADA', uuid: 'P-G', userId: '2' };
    for (const [event, object] of [
      joined(two.booking, two.zoomUserId, guestP, 1),
      left(two.booking, two.zoomUserId, guestP, 12),
      ['meeting.ended', meetingObject(two.booking, two.zoomUserId, { end_time: t(12) })] as const,
    ]) {
      await deliver(event, object);
    }
    await drainSteps();
    expect(await row(one.booking.uid)).toMatchObject({ attendanceStatus: 'guest_no_show', attendanceGuest: { joins: 0, totalSeconds: 0, matchedBy: null, firstJoinAt: null } });
    expect(await row(two.booking.uid)).toMatchObject({ attendanceStatus: 'host_no_show', attendanceGuest: { matchedBy: 'name', joins: 1, totalSeconds: 11 * 60 } });
  });

  it('is pending while the meeting runs; the host override is never touched by a recompute', async () => {
    const { booking, zoomUserId } = await zoomBooking({ index: 34 });
    const hostP: Person = { name: 'Hana Host', id: zoomUserId, uuid: 'P-H', userId: '1' };
    await deliver(...joined(booking, zoomUserId, hostP, 0));
    await drainSteps();
    expect((await row(booking.uid)).attendanceStatus).toBe('pending');
    const db = await getDb();
    const overrideAt = new Date();
    await db.update(bookings).set({ attendanceOverride: 'attended', attendanceOverrideAt: overrideAt, attendanceOverrideNote: 'came by phone' }).where(eq(bookings.id, booking.id));
    await deliver('meeting.ended', meetingObject(booking, zoomUserId, { end_time: t(30) }));
    await drainSteps();
    await recomputeAttendance(db, booking.id, new Date());
    expect(await row(booking.uid)).toMatchObject({ attendanceStatus: 'guest_no_show', attendanceOverride: 'attended', attendanceOverrideNote: 'came by phone', attendanceOverrideAt: overrideAt });
  });
});

describe('the REST read is scheduled with the meeting', () => {
  it('created with the meeting at end + 15 min, moved by a reschedule, pulled to now by Refresh from Zoom, skipped by a cancel', async () => {
    const { host, booking, made } = await zoomBooking({ index: 36 });
    const [sync] = await stepsOf(booking.id, 'meeting.sync');
    expect(sync).toMatchObject({ status: 'pending', runAt: new Date(booking.endAt.getTime() + 15 * 60_000) });

    const token = new URL(made.manageUrl).searchParams.get('token')!;
    const moved = await rescheduleBookingAsGuest(made.uid, token, slotStart(40).toISOString());
    const pending = (await stepsOf(booking.id, 'meeting.sync')).filter((s) => s.status === 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]!.runAt).toEqual(new Date(Date.parse(moved.end) + 15 * 60_000));

    const db = await getDb();
    const now = new Date();
    expect(await requestMeetingSync(db, booking.id, now)).toBe(true);
    const refreshed = (await stepsOf(booking.id, 'meeting.sync')).filter((s) => s.status === 'pending');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.runAt).toEqual(now);

    await cancelBookingAsHost(host.id, made.uid);
    expect((await stepsOf(booking.id, 'meeting.sync')).map((s) => s.status)).toEqual(['skipped']);
  });

  it('Refresh from Zoom says false for a booking without a Zoom meeting', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone', phone: '+81 3 0000 0000' } });
    const made = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(42).toISOString(), name: 'P', email: 'p@example.com', timeZone: 'UTC' });
    const booking = await row(made.uid);
    expect(await requestMeetingSync(await getDb(), booking.id)).toBe(false);
    expect(await stepsOf(booking.id, 'meeting.sync')).toHaveLength(0);
    // Attendance is not measured without Zoom.
    expect(booking).toMatchObject({ attendanceStatus: 'unknown', attendanceReason: 'not_zoom' });
  });

  it('a meeting Zoom refused to create: attendance unknown / meeting_failed until the host retries', async () => {
    const host = await makeHost();
    await zoom.linkNewZoomUser(host.id);
    const page = await makePage(host.id);
    await zoom.control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 400, times: 1, body: { code: 300, message: 'Invalid field.' } });
    const made = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(48).toISOString(), name: 'F', email: 'f@example.com', timeZone: 'UTC' });
    expect(await row(made.uid)).toMatchObject({ meetingStatus: 'failed', attendanceStatus: 'unknown', attendanceReason: 'meeting_failed' });
    await retryBookingSteps(host.id, made.uid);
    expect(await row(made.uid)).toMatchObject({ attendanceStatus: 'pending', attendanceReason: null });
    await drainSteps();
    expect(await row(made.uid)).toMatchObject({ meetingStatus: 'created', attendanceStatus: 'pending' });
  });
});

describe('recreating a meeting deleted in Zoom', () => {
  it('clears the dead meeting, makes a new one and mails the guest the new link', async () => {
    const { booking, zoomUserId } = await zoomBooking({ index: 44, guestEmail: 'recreate@example.com' });
    await drainSteps(); // confirmation mails go out
    const db = await getDb();
    expect(await recreateZoomMeeting(db, booking.id)).toBe(false); // not deleted in Zoom: nothing to do
    await db.update(bookings).set({ meetingChangedInZoom: 'deleted', meetingChangedInZoomAt: new Date() }).where(eq(bookings.id, booking.id));
    expect(await recreateZoomMeeting(db, booking.id)).toBe(true);
    expect(await row(booking.uid)).toMatchObject({ zoomMeetingId: null, meetingStatus: 'pending', meetingChangedInZoom: null });
    await drainSteps();
    const after = await row(booking.uid);
    expect(after.meetingStatus).toBe('created');
    expect(after.zoomMeetingId).not.toBe(booking.zoomMeetingId);
    expect(zoom.liveMeetings(zoomUserId).map((m) => String(m.id))).toContain(after.zoomMeetingId);
    const mails = await outboxFor('recreate@example.com');
    expect(mails.length).toBeGreaterThanOrEqual(2);
    // The confirmation had the dead link; the "Zoom link" mail has the new one.
    expect(mails.some((m) => m.subject.startsWith('Confirmed') && m.text.includes(booking.zoomJoinUrl!))).toBe(true);
    expect(mails.some((m) => m.subject.startsWith('Zoom link') && m.text.includes(after.zoomJoinUrl!))).toBe(true);
    expect((await stepsOf(booking.id, 'meeting.sync')).filter((s) => s.status === 'pending')).toHaveLength(1);
  });
});

describe('retention', () => {
  it('deletes webhook bodies older than 30 days; a queued event whose body is gone is skipped', async () => {
    const { booking, zoomUserId } = await zoomBooking({ index: 46 });
    await deliver('meeting.started', meetingObject(booking, zoomUserId));
    const db = await getDb();
    const now = new Date();
    const [old] = await db
      .insert(webhookEvents)
      .values({ provider: 'zoom', deliveryKey: `old-${now.getTime()}`, event: 'meeting.started', payload: {}, receivedAt: new Date(now.getTime() - 31 * 86_400_000) })
      .returning();
    const [recent] = await db
      .insert(webhookEvents)
      .values({ provider: 'zoom', deliveryKey: `recent-${now.getTime()}`, event: 'meeting.started', payload: {}, receivedAt: new Date(now.getTime() - 29 * 86_400_000) })
      .returning();
    // The queued event of the booking is older than 30 days by the worker's clock.
    const later = new Date(now.getTime() + 31 * 86_400_000);
    expect(await pruneWebhookEvents(db, now)).toBeGreaterThanOrEqual(1);
    const left = (await db.select({ id: webhookEvents.id }).from(webhookEvents)).map((e) => e.id);
    expect(left).not.toContain(old!.id);
    expect(left).toContain(recent!.id);
    await pruneWebhookEvents(db, later);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.bookingId, booking.id))).toHaveLength(0);
    await drainSteps();
    const [step] = await stepsOf(booking.id, 'meeting.event');
    expect(step).toMatchObject({ status: 'skipped', payload: expect.objectContaining({ reason: 'webhook event no longer stored' }) });
  });

  it('the worker loop prunes them as it runs', async () => {
    const db = await getDb();
    const [old] = await db
      .insert(webhookEvents)
      .values({ provider: 'zoom', deliveryKey: `loop-old-${Date.now()}`, event: 'meeting.ended', payload: {}, receivedAt: new Date(Date.now() - 40 * 86_400_000) })
      .returning();
    const worker = startWorker({ pollMs: 50, heartbeatMs: 50, log: () => {} });
    try {
      await waitFor(async () => (await db.select().from(webhookEvents).where(eq(webhookEvents.id, old!.id))).length === 0, { what: 'the old webhook body to be pruned' });
    } finally {
      await worker.stop();
    }
  });
});
