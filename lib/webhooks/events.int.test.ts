import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drainSteps, startWorker } from '@/lib/bookings/effects/worker';
import { cancelBookingAsGuest, cancelBookingAsHost, createBooking, rescheduleBookingAsGuest } from '@/lib/bookings/service';
import { makeHost, makePage, slotStart } from '@/lib/bookings/testing';
import { getDb } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { serveFetchHandler } from '@/lib/emulators/serve';
import { resetEnvCache } from '@/lib/env';
import { queueMeetingEvent } from '@/lib/meetings/events';
import { recordRecordingCompleted } from '@/lib/meetings/recordings';
import { waitFor } from '@/lib/testing/wait';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { parseJsonPreservingBigInts } from '@/lib/zoom/json';
import { handleZoomWebhook } from '@/lib/zoom/webhooks';
import { drainWebhooks } from './deliver';
import { WEBHOOK_EVENT_TYPES } from './events';
import { makeSubscription, type ReceivedDelivery, startReceiver, verifyDelivery } from './testing';

/**
 * Every event type, driven through the real flows (booking service, the Zoom emulator's meeting
 * create, Zoom's signed webhooks through the intake and the worker, a stored recording), delivered to
 * a real local receiver and verified with the Standard Webhooks library.
 */

process.env.AKI_WEBHOOK_ALLOW_PRIVATE = '1';
resetEnvCache();

const zoom = zoomEmulatorForThisFile();
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let zoomWebhookUrl = '';
let closeZoomWebhook: () => void = () => {};

beforeAll(async () => {
  receiver = await startReceiver();
  const server = await serveFetchHandler((request) => handleZoomWebhook(request, { onMeetingEvent: queueMeetingEvent }), 0);
  const address = server.address();
  zoomWebhookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/webhooks/zoom`;
  closeZoomWebhook = () => {
    server.closeAllConnections();
    server.close();
  };
});
afterAll(async () => {
  closeZoomWebhook();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
});

let eventTs = Date.now();
/** A Zoom delivery, signed as Zoom signs it, through the intake route. */
async function zoomEvent(event: string, object: Record<string, unknown>) {
  eventTs += 1;
  const raw = JSON.stringify({ event, event_ts: eventTs, payload: { account_id: 'acc', object } });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', 'test-webhook-secret').update(`v0:${timestamp}:${raw}`).digest('hex')}`;
  const response = await fetch(zoomWebhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': String(timestamp), 'x-zm-signature': signature },
    body: raw,
  });
  expect(response.status).toBe(200);
}

const T0 = Date.parse('2031-03-03T01:00:00Z');
const t = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString().replace('.000Z', 'Z');

/** A meeting held in Zoom: host 0–32, guest 2–10 and 15–30, ended at 32. */
async function holdMeeting(meetingId: string, zoomUserId: string) {
  const meeting = (extra: Record<string, unknown> = {}) => ({ id: meetingId, uuid: 'inst-1==', host_id: zoomUserId, topic: 'Intro', type: 2, start_time: t(0), duration: 30, timezone: 'Asia/Tokyo', ...extra });
  const person = (p: { name: string; email: string; uuid: string; userId: string; id?: string }, key: 'join_time' | 'leave_time', minute: number) => ({
    participant: { user_id: p.userId, user_name: p.name, id: p.id ?? '', participant_uuid: p.uuid, email: p.email, [key]: t(minute), ...(key === 'leave_time' ? { leave_reason: 'left' } : {}) },
  });
  const hostP = { name: 'Hana Host', email: '', uuid: 'P-HOST', userId: '16778240', id: zoomUserId };
  const guest = { name: 'Gina Guest', email: 'gina@example.com', uuid: 'P-GUEST', userId: '16779264' };
  await zoomEvent('meeting.started', meeting());
  await zoomEvent('meeting.participant_joined', meeting(person(hostP, 'join_time', 0)));
  await zoomEvent('meeting.participant_joined', meeting(person(guest, 'join_time', 2)));
  await zoomEvent('meeting.participant_left', meeting(person(guest, 'leave_time', 10)));
  await zoomEvent('meeting.participant_joined', meeting(person({ ...guest, userId: '16780288' }, 'join_time', 15)));
  await zoomEvent('meeting.participant_left', meeting(person({ ...guest, userId: '16780288' }, 'leave_time', 30)));
  await zoomEvent('meeting.participant_left', meeting(person(hostP, 'leave_time', 32)));
  await zoomEvent('meeting.ended', meeting({ end_time: t(32) }));
}

function recordingObject(meetingId: string) {
  return parseJsonPreservingBigInts(
    `{"uuid":"inst-1==","id":${meetingId},"host_id":"z1","topic":"Intro","start_time":"2031-03-03T01:00:00Z","duration":30,"share_url":"https://zoom.example/rec/share/xyz","recording_count":1,
      "recording_files":[{"id":"file-video","meeting_id":"inst-1==","recording_start":"2031-03-03T01:00:05Z","recording_end":"2031-03-03T01:29:40Z","file_type":"MP4","file_extension":"MP4",
      "file_size":48123456,"play_url":"https://zoom.example/rec/play/video","download_url":"https://zoom.example/rec/download/video","status":"completed","recording_type":"shared_screen_with_speaker_view"}]}`,
  ) as Record<string, unknown>;
}

/** Runs the steps (the webhook.emit fan-out among them) and the deliveries until nothing is left. */
async function settle() {
  await drainSteps();
  await drainWebhooks();
}

const ofBooking = (uid: string, type?: string) =>
  receiver.received.filter((r) => (r.json.data as { uid?: string }).uid === uid && (type === undefined || r.json.type === type));

async function bookingRow(uid: string) {
  const [row] = await (await getDb()).select().from(bookings).where(eq(bookings.uid, uid));
  return row!;
}

describe('events', () => {
  it('every event type arrives once, signed, with the v1 booking as data', async () => {
    const host = await makeHost();
    const zoomUserId = await zoom.linkNewZoomUser(host.id);
    const page = await makePage(host.id);
    const sub = await makeSubscription(host.id, receiver.url, WEBHOOK_EVENT_TYPES);

    // booking.created and meeting.created (the Zoom meeting is made right after the booking commits).
    const made = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(20).toISOString(), name: 'Gina Guest', email: 'gina@example.com', timeZone: 'Asia/Tokyo' });
    await settle();
    const row = await bookingRow(made.uid);
    expect(row.zoomMeetingId).toMatch(/^\d+$/);
    const [created] = ofBooking(made.uid, 'booking.created');
    expect(created!.json.data).toMatchObject({ uid: made.uid, status: 'confirmed', guestEmail: 'gina@example.com', guestName: 'Gina Guest', start: made.start, page: { slug: page.slug } });
    // The v1 detail's shape: meeting widened, attendance and recordings added, no steps of the UI.
    expect(created!.json.data).toHaveProperty('attendance');
    expect(created!.json.data).toHaveProperty('recordings');
    const [meetingCreated] = ofBooking(made.uid, 'meeting.created');
    expect(meetingCreated!.json.data).toMatchObject({ meeting: { provider: 'zoom', id: row.zoomMeetingId, joinUrl: row.zoomJoinUrl } });

    // meeting.started, meeting.ended, attendance.updated: from Zoom's webhooks through the worker.
    await holdMeeting(row.zoomMeetingId!, zoomUserId);
    await settle();
    const [started] = ofBooking(made.uid, 'meeting.started');
    expect((started!.json.data as { meeting: { startedAt: string } }).meeting.startedAt).toBe(new Date(T0).toISOString());
    const [ended] = ofBooking(made.uid, 'meeting.ended');
    expect((ended!.json.data as { meeting: { endedAt: string } }).meeting.endedAt).toBe(new Date(T0 + 32 * 60_000).toISOString());
    const attendance = ofBooking(made.uid, 'attendance.updated');
    expect(attendance.length).toBeGreaterThan(0);
    const last = attendance.at(-1)!.json.data as { attendance: { status: string }; participants: { name: string; email: string | null; joinAt: string; leaveAt: string; durationSeconds: number }[] };
    expect(last.attendance.status).toBe('attended');
    expect(last.participants.filter((p) => p.email === 'gina@example.com')).toEqual([
      { name: 'Gina Guest', email: 'gina@example.com', joinAt: new Date(T0 + 2 * 60_000).toISOString(), leaveAt: new Date(T0 + 10 * 60_000).toISOString(), durationSeconds: 480 },
      { name: 'Gina Guest', email: 'gina@example.com', joinAt: new Date(T0 + 15 * 60_000).toISOString(), leaveAt: new Date(T0 + 30 * 60_000).toISOString(), durationSeconds: 900 },
    ]);

    // Zoom repeating itself changes nothing, so nothing more is sent.
    const before = receiver.received.length;
    await holdMeeting(row.zoomMeetingId!, zoomUserId);
    await settle();
    expect(receiver.received.length).toBe(before);

    // recording.ready: the first time a recording is stored, once.
    const db = await getDb();
    await recordRecordingCompleted(db, await bookingRow(made.uid), recordingObject(row.zoomMeetingId!), null, new Date());
    await recordRecordingCompleted(db, await bookingRow(made.uid), recordingObject(row.zoomMeetingId!), null, new Date());
    await settle();
    const recordingReady = ofBooking(made.uid, 'recording.ready');
    expect(recordingReady).toHaveLength(1);
    expect(recordingReady[0]!.json.data).toMatchObject({ recordings: [{ fileType: 'MP4', playUrl: 'https://zoom.example/rec/play/video' }] });

    // booking.rescheduled and booking.cancelled (by the guest), on a second booking.
    const second = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(30).toISOString(), name: 'Ken', email: 'ken@example.com', timeZone: 'Asia/Tokyo' });
    const token = new URL(second.manageUrl).searchParams.get('token')!;
    const moved = await rescheduleBookingAsGuest(second.uid, token, slotStart(34).toISOString());
    await settle();
    expect(ofBooking(second.uid, 'booking.rescheduled')[0]!.json.data).toMatchObject({ start: moved.start, status: 'confirmed' });
    await cancelBookingAsGuest(second.uid, token, 'something came up');
    await settle();
    expect(ofBooking(second.uid, 'booking.cancelled')[0]!.json.data).toMatchObject({ status: 'cancelled', cancelledBy: 'guest', cancelReason: 'something came up' });

    // …and by the host.
    const third = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(38).toISOString(), name: 'Mia', email: 'mia@example.com', timeZone: 'Asia/Tokyo' });
    await cancelBookingAsHost(host.id, third.uid, 'host away');
    await settle();
    expect(ofBooking(third.uid, 'booking.cancelled')[0]!.json.data).toMatchObject({ status: 'cancelled', cancelledBy: 'host' });

    // Each event once, every one signed with the subscription's secret.
    const counts = new Map<string, number>();
    for (const r of receiver.received) counts.set(`${(r.json.data as { uid: string }).uid} ${r.json.type}`, (counts.get(`${(r.json.data as { uid: string }).uid} ${r.json.type}`) ?? 0) + 1);
    for (const [key, n] of counts) if (!key.endsWith('attendance.updated')) expect(n, key).toBe(1);
    const types = new Set(receiver.received.map((r) => r.json.type));
    expect([...types].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const r of receiver.received) verifyDelivery(sub.secret, r as ReceivedDelivery);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(receiver.received.length);
  });

  it('a host without subscriptions gets no webhook step; a subscription hears only its events', async () => {
    const db = await getDb();
    const emitSteps = async (uid: string) =>
      db
        .select({ id: bookingSteps.id, payload: bookingSteps.payload })
        .from(bookingSteps)
        .innerJoin(bookings, eq(bookings.id, bookingSteps.bookingId))
        .where(and(eq(bookings.uid, uid), eq(bookingSteps.kind, 'webhook.emit')));

    const quiet = await makeHost();
    const quietPage = await makePage(quiet.id, { location: { type: 'phone' } });
    const plain = await createBooking({ handle: quiet.handle!, slug: quietPage.slug, start: slotStart(50).toISOString(), name: 'A', email: 'a@example.com', timeZone: 'UTC' });
    await cancelBookingAsHost(quiet.id, plain.uid);
    expect(await emitSteps(plain.uid)).toEqual([]);

    const picky = await makeHost();
    const pickyPage = await makePage(picky.id, { location: { type: 'phone' } });
    await makeSubscription(picky.id, receiver.url, ['booking.cancelled']);
    const booked = await createBooking({ handle: picky.handle!, slug: pickyPage.slug, start: slotStart(52).toISOString(), name: 'B', email: 'b@example.com', timeZone: 'UTC' });
    expect(await emitSteps(booked.uid)).toEqual([]);
    await cancelBookingAsHost(picky.id, booked.uid);
    expect((await emitSteps(booked.uid)).map((s) => s.payload.type)).toEqual(['booking.cancelled']);
    await settle();
    expect(ofBooking(booked.uid).map((r) => r.json.type)).toEqual(['booking.cancelled']);
  });

  it('the worker loop sends right after the booking, not at its next poll', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    await makeSubscription(host.id, receiver.url, ['booking.created']);
    const worker = startWorker({ pollMs: 60_000, heartbeatMs: 60_000, log: () => {} });
    try {
      // Let the loop's first round pass, so only the kicks can make the delivery happen in time.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const made = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(60).toISOString(), name: 'C', email: 'c@example.com', timeZone: 'UTC' });
      await waitFor(() => ofBooking(made.uid, 'booking.created').length === 1, { what: 'the booking.created delivery', timeoutMs: 10_000 });
    } finally {
      await worker.stop();
    }
  });
});
