import { createHmac } from 'node:crypto';
import type http from 'node:http';
import { and, desc, eq, ilike } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drainSteps } from '@/lib/bookings/effects/worker';
import { bookingConfirmationView, getBookingByUid, hostBookings } from '@/lib/bookings/queries';
import { cancelBookingAsHost, createBooking, rescheduleBookingAsGuest } from '@/lib/bookings/service';
import { makeHost, makePage, outboxFor, slotStart } from '@/lib/bookings/testing';
import type { BookingRow } from '@/lib/bookings/types';
import { getDb } from '@/lib/db/client';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { webhookEvents } from '@/lib/db/schema/integrations';
import { meetingRecordings } from '@/lib/db/schema/meetings';
import { serveFetchHandler } from '@/lib/emulators/serve';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { deleteMeeting } from '@/lib/zoom/client';
import { parseJsonPreservingBigInts } from '@/lib/zoom/json';
import { getZoomAccessToken, userOAuthSource } from '@/lib/zoom/tokens';
import { handleZoomWebhook } from '@/lib/zoom/webhooks';
import { recordRecordingCompleted, syncRecordings } from './recordings';
import { recordMeetingChangedInZoom } from './zoom-changes';

/**
 * Recordings, transcripts, guest registration and meetings changed in Zoom, over real HTTP: the Zoom
 * emulator (meetings, OAuth; registrant and recordings answers injected as Zoom documents them until
 * the emulator serves them itself) and a download server in Zoom's shape: the download URL checks the
 * Bearer token and redirects to a storage host on another origin that serves the bytes.
 */

const zoom = zoomEmulatorForThisFile();

// ---- the download servers ------------------------------------------------------------------------
const accepted = new Set<string>();
const storageAuthHeaders: (string | null)[] = [];
const downloadCalls: { name: string; auth: string | null }[] = [];
const FILES: Record<string, () => Response> = {
  transcript: () =>
    new Response(
      'WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAlice Guest: Thanks for making time today.\n\n2\n00:00:05.000 --> 00:00:09.000\nHost Person: Happy to. Let us review the quarterly roadmap.\n',
      { headers: { 'content-type': 'text/vtt' } },
    ),
  // 3 MB without a Content-Length (chunked): the cap must stop the read itself.
  huge: () =>
    new Response(
      new ReadableStream({
        start(controller) {
          const chunk = new TextEncoder().encode(`${'x'.repeat(1023)}\n`);
          for (let i = 0; i < 3 * 1024; i++) controller.enqueue(chunk);
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/vtt' } },
    ),
};
let zoomFiles: http.Server;
let storage: http.Server;
let zoomFilesUrl = '';
let storageUrl = '';
const portOf = (server: http.Server) => {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
};

beforeAll(async () => {
  storage = await serveFetchHandler(async (request) => {
    storageAuthHeaders.push(request.headers.get('authorization'));
    const name = new URL(request.url).pathname.split('/').pop()!;
    return FILES[name]?.() ?? new Response('gone', { status: 404 });
  }, 0);
  storageUrl = `http://127.0.0.1:${portOf(storage)}`;
  zoomFiles = await serveFetchHandler(async (request) => {
    const name = new URL(request.url).pathname.split('/').pop()!;
    const auth = request.headers.get('authorization');
    downloadCalls.push({ name, auth });
    if (name === 'broken') return new Response('oops', { status: 500 });
    const token = auth?.replace(/^Bearer /, '') ?? '';
    if (!accepted.has(token)) return Response.json({ code: 124, message: 'Invalid access token.' }, { status: 401 });
    return new Response(null, { status: 302, headers: { location: `${storageUrl}/blob/${name}?sig=signed` } });
  }, 0);
  zoomFilesUrl = `http://127.0.0.1:${portOf(zoomFiles)}`;
});

afterAll(async () => {
  for (const server of [zoomFiles, storage]) {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  }
});

beforeEach(async () => {
  await fetch(`${zoom.url}/__control/faults`, { method: 'DELETE' });
  accepted.clear();
  downloadCalls.length = 0;
  storageAuthHeaders.length = 0;
});

// ---- fixtures ------------------------------------------------------------------------------------
let slot = 0;
const later = (ms: number) => new Date(Date.now() + ms);

async function bookedZoomMeeting(options: { register?: boolean; share?: boolean; guestEmail?: string } = {}) {
  const host = await makeHost();
  await zoom.linkNewZoomUser(host.id);
  const page = await makePage(host.id);
  const db = await getDb();
  await db
    .update(bookingPages)
    .set({ registerGuests: options.register ?? false, shareRecordingWithGuest: options.share ?? false })
    .where(eq(bookingPages.id, page.id));
  const guestEmail = options.guestEmail ?? `guest-${++slot}-${Date.now().toString(36)}@example.com`;
  const booked = await createBooking({
    handle: host.handle!,
    slug: page.slug,
    start: slotStart(2 + slot * 2).toISOString(),
    name: 'Alice Guest',
    email: guestEmail,
    timeZone: 'Asia/Tokyo',
  });
  await drainSteps();
  const booking = (await getBookingByUid(booked.uid))!;
  expect(booking.zoomMeetingId).toMatch(/^\d+$/);
  return { host, page, booking, guestEmail, manageToken: new URL(booked.manageUrl).searchParams.get('token')! };
}

/** payload.object of recording.completed as Zoom sends it: the meeting id a bare JSON number (int64), file ids strings. */
function recordingObject(meetingId: string, files: { name: string; type: string; id?: string }[], extra = '') {
  const fileJson = files.map(
    (f, i) => `{"id":"${f.id ?? `file-${f.name}-${i}`}","meeting_id":"abc==","recording_start":"2026-12-01T01:00:05Z","recording_end":"2026-12-01T01:29:40Z",
      "file_type":"${f.type}","file_extension":"${f.type === 'TRANSCRIPT' ? 'VTT' : f.type}","file_size":${f.type === 'MP4' ? 48123456 : 2048},
      "play_url":"https://zoom.example/rec/play/${f.name}","download_url":"${zoomFilesUrl}/rec/download/${f.name}","status":"completed",
      "recording_type":"${f.type === 'TRANSCRIPT' ? 'audio_transcript' : 'shared_screen_with_speaker_view'}"}`,
  );
  const text = `{"uuid":"abc==","id":${meetingId},"host_id":"z1","topic":"Intro","start_time":"2026-12-01T01:00:00Z","duration":30,
    "share_url":"https://zoom.example/rec/share/xyz","password":"Xy7$kq","recording_play_passcode":"enc-passcode","total_size":48125504,
    "recording_count":${files.length},"recording_files":[${fileJson.join(',')}]${extra}}`;
  return parseJsonPreservingBigInts(text) as Record<string, unknown>;
}

async function rowsOf(bookingId: string) {
  const db = await getDb();
  const recordings = await db.select().from(meetingRecordings).where(eq(meetingRecordings.bookingId, bookingId)).orderBy(meetingRecordings.id);
  const steps = await db.select().from(bookingSteps).where(eq(bookingSteps.bookingId, bookingId)).orderBy(bookingSteps.id);
  const [booking] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
  return { recordings, steps, booking: booking! };
}

const recordingMails = async (email: string) => (await outboxFor(email)).filter((m) => /Recording/.test(m.subject));
const changedMails = async (email: string) => (await outboxFor(email)).filter((m) => /in Zoom/.test(m.subject));

// ---- recordings ----------------------------------------------------------------------------------
describe('recording.completed', () => {
  it('stores the files, fetches the transcript with the delivery token (redirect followed, token kept off the storage host), mails the host once', async () => {
    const { host, booking, guestEmail } = await bookedZoomMeeting();
    const token = `dl-token-${Date.now()}`;
    accepted.add(token);
    const object = recordingObject(booking.zoomMeetingId!, [
      { name: 'video', type: 'MP4' },
      { name: 'audio', type: 'M4A' },
      { name: 'transcript', type: 'TRANSCRIPT' },
    ]);
    const db = await getDb();
    // The delivery as the webhook intake stored it (Zoom's envelope: download_token at the top).
    const [event] = await db
      .insert(webhookEvents)
      .values({ provider: 'zoom', deliveryKey: `recording.completed:${token}`, event: 'recording.completed', bookingId: booking.id, payload: { event: 'recording.completed', event_ts: 1, download_token: token, payload: { object } } })
      .returning();
    await recordRecordingCompleted(db, booking, object, token, new Date());
    const [stored] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, event!.id));
    expect(JSON.stringify(stored!.payload)).not.toContain(token);
    expect((stored!.payload as { payload: unknown }).payload).toEqual({ object });

    let rows = await rowsOf(booking.id);
    expect(rows.recordings.map((r) => [r.fileType, r.transcriptStatus])).toEqual([
      ['MP4', 'none'],
      ['M4A', 'none'],
      ['TRANSCRIPT', 'pending'],
    ]);
    expect(rows.recordings[0]!.sizeBytes).toBe(48123456);
    expect(rows.booking.recordingShareUrl).toBe('https://zoom.example/rec/share/xyz');
    expect(rows.booking.recordingPasscode).toBe('Xy7$kq');
    expect(rows.steps.filter((s) => s.kind === 'meeting.transcript')).toHaveLength(1);
    expect(rows.steps.filter((s) => s.kind === 'mail.guest.recording_ready')).toHaveLength(0);

    await drainSteps();
    rows = await rowsOf(booking.id);
    const transcript = rows.recordings.find((r) => r.fileType === 'TRANSCRIPT')!;
    expect(transcript.transcriptStatus).toBe('fetched');
    expect(transcript.transcriptText).toBe('Alice Guest: Thanks for making time today.\nHost Person: Happy to. Let us review the quarterly roadmap.');
    // Searchable: a substring query finds the booking's transcript.
    const hits = await db
      .select({ id: meetingRecordings.id })
      .from(meetingRecordings)
      .where(and(eq(meetingRecordings.bookingId, booking.id), ilike(meetingRecordings.transcriptText, '%QUARTERLY roadmap%')));
    expect(hits).toEqual([{ id: transcript.id }]);

    expect(downloadCalls).toEqual([{ name: 'transcript', auth: `Bearer ${token}` }]);
    expect(storageAuthHeaders).toEqual([null]);

    // The token is nowhere in the database any more.
    expect(JSON.stringify(rows)).not.toContain(token);

    // A second delivery of the same event: nothing new, nobody mailed again.
    await recordRecordingCompleted(db, booking, object, token, new Date());
    await drainSteps();
    const again = await rowsOf(booking.id);
    expect(again.recordings).toHaveLength(3);
    expect(again.steps.length).toBe(rows.steps.length);

    const hostMails = await recordingMails(host.email);
    expect(hostMails).toHaveLength(1);
    const mail = hostMails[0]!;
    expect(mail.text).toContain('https://zoom.example/rec/play/video');
    expect(mail.text).toContain('https://zoom.example/rec/share/xyz');
    expect(mail.text).toContain('Xy•••');
    expect(mail.text).toContain(`/bookings/${booking.uid}`);
    for (const secret of ['Xy7$kq', token, '/rec/download/', zoomFilesUrl]) {
      expect(mail.text).not.toContain(secret);
      expect(mail.html).not.toContain(secret);
    }
    expect(await recordingMails(guestEmail)).toHaveLength(0);
  });

  it("the webhook intake keeps the delivery's download_token for processing (Zoom puts it beside payload)", async () => {
    const token = `dl-intake-${Date.now()}`;
    const body = `{"event":"recording.completed","event_ts":${Date.now()},"download_token":"${token}","payload":{"account_id":"acc","object":{"id":81234567890123,"uuid":"u-${token}","recording_files":[]}}}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', 'test-webhook-secret').update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const response = await handleZoomWebhook(
      new Request('http://localhost/api/webhooks/zoom', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': String(timestamp), 'x-zm-signature': signature },
        body,
      }),
    );
    expect(response.status).toBe(200);
    const db = await getDb();
    const [stored] = await db.select().from(webhookEvents).where(eq(webhookEvents.event, 'recording.completed')).orderBy(desc(webhookEvents.receivedAt)).limit(1);
    expect((stored!.payload as Record<string, unknown>).download_token).toBe(token);
  });

  it('mails the guest the play link and the passcode when the page shares recordings', async () => {
    const { host, booking, guestEmail } = await bookedZoomMeeting({ share: true });
    const db = await getDb();
    const object = recordingObject(booking.zoomMeetingId!, [{ name: 'video', type: 'MP4' }]);
    await recordRecordingCompleted(db, booking, object, null, new Date());
    await recordRecordingCompleted(db, booking, object, null, new Date());
    await drainSteps();
    const guestMails = await recordingMails(guestEmail);
    expect(guestMails).toHaveLength(1);
    expect(guestMails[0]!.text).toContain('https://zoom.example/rec/share/xyz');
    expect(guestMails[0]!.text).toContain('Xy7$kq');
    expect(guestMails[0]!.text).not.toContain('/rec/download/');
    expect(await recordingMails(host.email)).toHaveLength(1);
  });

  it('a transcript over 2 MB is not stored (too_large); the step ends and keeps no token', async () => {
    const { booking } = await bookedZoomMeeting();
    const token = `dl-big-${Date.now()}`;
    accepted.add(token);
    const db = await getDb();
    await recordRecordingCompleted(db, booking, recordingObject(booking.zoomMeetingId!, [{ name: 'huge', type: 'TRANSCRIPT' }]), token, new Date());
    await drainSteps();
    const rows = await rowsOf(booking.id);
    expect(rows.recordings[0]!.transcriptStatus).toBe('too_large');
    expect(rows.recordings[0]!.transcriptText).toBeNull();
    const step = rows.steps.find((s) => s.kind === 'meeting.transcript')!;
    expect(step.status).toBe('done');
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("an expired delivery token falls back to the host's OAuth token; without any token the host's is used", async () => {
    const { host, booking } = await bookedZoomMeeting();
    accepted.add(await getZoomAccessToken(host.id));
    const db = await getDb();
    await recordRecordingCompleted(db, booking, recordingObject(booking.zoomMeetingId!, [{ name: 'transcript', type: 'TRANSCRIPT', id: 't-expired' }]), 'expired-token', new Date());
    await drainSteps();
    let rows = await rowsOf(booking.id);
    expect(rows.recordings[0]!.transcriptStatus).toBe('fetched');
    expect(downloadCalls.map((c) => c.auth)).toEqual(['Bearer expired-token', `Bearer ${await getZoomAccessToken(host.id)}`]);

    const other = await bookedZoomMeeting();
    accepted.add(await getZoomAccessToken(other.host.id));
    await recordRecordingCompleted(db, other.booking, recordingObject(other.booking.zoomMeetingId!, [{ name: 'transcript', type: 'TRANSCRIPT' }]), null, new Date());
    await drainSteps();
    rows = await rowsOf(other.booking.id);
    expect(rows.recordings[0]!.transcriptStatus).toBe('fetched');
  });

  it('a download that keeps failing is retried with backoff, then marked failed (visible), and the token is dropped', async () => {
    const { booking } = await bookedZoomMeeting();
    const token = `dl-broken-${Date.now()}`;
    const db = await getDb();
    await recordRecordingCompleted(db, booking, recordingObject(booking.zoomMeetingId!, [{ name: 'broken', type: 'TRANSCRIPT' }]), token, new Date());
    await drainSteps();
    let step = (await rowsOf(booking.id)).steps.find((s) => s.kind === 'meeting.transcript')!;
    expect(step.status).toBe('pending');
    expect(step.lastError).toContain('500');
    expect(step.runAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    for (let hour = 1; hour <= 12; hour++) await drainSteps({ now: later(hour * 2 * 3_600_000) });
    const rows = await rowsOf(booking.id);
    step = rows.steps.find((s) => s.kind === 'meeting.transcript')!;
    expect(step.status).toBe('failed');
    expect(step.attempts).toBe(step.maxAttempts);
    expect(rows.recordings[0]!.transcriptStatus).toBe('failed');
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(downloadCalls.length).toBe(step.maxAttempts);
  });
});

describe('syncRecordings (REST safety net)', () => {
  it('stores what GET /meetings/{id}/recordings lists, once, with the same mails; 404/3301 is nothing', async () => {
    const { host, booking } = await bookedZoomMeeting();
    const db = await getDb();
    const source = userOAuthSource(host.id);
    const path = `/v2/meetings/${booking.zoomMeetingId}/recordings`;

    await zoom.control('faults', { method: 'GET', path, status: 404, body: { code: 3301, message: 'This recording does not exist.' } });
    await syncRecordings(db, booking, source, new Date());
    expect((await rowsOf(booking.id)).recordings).toHaveLength(0);

    accepted.add(await getZoomAccessToken(host.id));
    // REST: the same object; `type`-less TIMELINE file without an id.
    const object = recordingObject(booking.zoomMeetingId!, [
      { name: 'video', type: 'MP4' },
      { name: 'transcript', type: 'TRANSCRIPT' },
    ]);
    const body: Record<string, unknown> = { ...object };
    body.recording_files = [...(object.recording_files as object[]), { file_type: 'TIMELINE', recording_start: '2026-12-01T01:00:05Z', download_url: 'x' }];
    await zoom.control('faults', { method: 'GET', path, status: 200, times: 2, body });
    await syncRecordings(db, booking, source, new Date());
    await syncRecordings(db, booking, source, new Date());
    await drainSteps();
    const rows = await rowsOf(booking.id);
    expect(rows.recordings.map((r) => r.fileType)).toEqual(['MP4', 'TRANSCRIPT', 'TIMELINE']);
    expect(rows.recordings[1]!.transcriptStatus).toBe('fetched');
    expect(await recordingMails(host.email)).toHaveLength(1);
  });
});

// ---- guest registration --------------------------------------------------------------------------
describe('guest registration', () => {
  it('creates the meeting with auto-approved registration, stores the registrant and gives the guest the personal link (host keeps the general one)', async () => {
    const personal = `${zoom.url}/w/123?tk=personal-token&pwd=x`;
    await zoom.control('faults', {
      method: 'POST',
      path: '/v2/meetings/*',
      status: 201,
      body: { registrant_id: 'reg-abc', id: 1, topic: 'Intro', start_time: '2026-12-01T01:00:00Z', join_url: personal },
    });
    const { host, booking, guestEmail, manageToken } = await bookedZoomMeeting({ register: true });
    expect(booking.zoomRegistrantId).toBe('reg-abc');
    expect(booking.guestJoinUrl).toBe(personal);
    const meeting = zoom.emulator.state.meetings.find((m) => m.id.toString() === booking.zoomMeetingId)!;
    expect(meeting.settings.approval_type).toBe(0);
    const call = zoom.emulator.state.calls.find((c) => c.method === 'POST' && c.path === `/v2/meetings/${booking.zoomMeetingId}/registrants`);
    expect(call?.status).toBe(201);

    const guestMail = (await outboxFor(guestEmail)).find((m) => m.subject.startsWith('Confirmed'))!;
    expect(guestMail.text).toContain(personal);
    expect(guestMail.text).not.toContain(booking.zoomJoinUrl!);
    const hostMail = (await outboxFor(host.email)).find((m) => m.subject.startsWith('New booking'))!;
    expect(hostMail.text).toContain(booking.zoomJoinUrl!);
    expect(hostMail.text).not.toContain(personal);
    expect((await bookingConfirmationView(booking)).meeting?.joinUrl).toBe(personal);
    const [view] = await hostBookings(host.id, { uid: booking.uid }, new Date());
    expect(view!.meeting.joinUrl).toBe(booking.zoomJoinUrl);
    expect(view!.guestRegistration).toEqual({ status: 'registered', reason: null });

    // A reschedule moves the meeting: the registrant and the personal link stay, nobody is registered again.
    await rescheduleBookingAsGuest(booking.uid, manageToken, slotStart(500).toISOString());
    await drainSteps({ now: later(10_000) });
    const moved = (await getBookingByUid(booking.uid))!;
    expect(moved.zoomMeetingId).toBe(booking.zoomMeetingId);
    expect(moved.startAt.getTime()).toBe(slotStart(500).getTime());
    expect([moved.zoomRegistrantId, moved.guestJoinUrl]).toEqual(['reg-abc', personal]);
    expect(zoom.emulator.state.calls.filter((c) => c.path.endsWith('/registrants'))).toHaveLength(1);
    const rescheduledMail = (await outboxFor(guestEmail)).find((m) => m.subject.startsWith('Rescheduled'))!;
    expect(rescheduledMail.text).toContain(personal);
  });

  it('a Basic host (paid plan needed) keeps the meeting and the general link; the step says why', async () => {
    await zoom.control('faults', {
      method: 'POST',
      path: '/v2/meetings/*',
      status: 400,
      body: { code: 200, message: 'Only available for paid users.' },
    });
    const { host, booking, guestEmail } = await bookedZoomMeeting({ register: true });
    expect(booking.meetingStatus).toBe('created');
    expect(booking.zoomRegistrantId).toBeNull();
    expect(booking.guestJoinUrl).toBeNull();
    const guestMail = (await outboxFor(guestEmail)).find((m) => m.subject.startsWith('Confirmed'))!;
    expect(guestMail.text).toContain(booking.zoomJoinUrl!);
    const [view] = await hostBookings(host.id, { uid: booking.uid }, new Date());
    expect(view!.guestRegistration?.status).toBe('failed');
    expect(view!.guestRegistration?.reason).toMatch(/paid/i);
  });

  it('a page without registration creates no registrant', async () => {
    const { booking } = await bookedZoomMeeting();
    const meeting = zoom.emulator.state.meetings.find((m) => m.id.toString() === booking.zoomMeetingId)!;
    expect(meeting.settings.approval_type).not.toBe(0);
    expect(zoom.emulator.state.calls.some((c) => c.path === `/v2/meetings/${booking.zoomMeetingId}/registrants`)).toBe(false);
  });
});

// ---- changed in Zoom -----------------------------------------------------------------------------
/** payload of meeting.deleted / meeting.updated as Zoom sends it (object.id a bare int64 number). */
const zoomPayload = (meetingId: string, fields = '', old = '') =>
  parseJsonPreservingBigInts(
    `{"account_id":"acc","operator":"host@zoom.example","object":{"id":${meetingId},"uuid":"abc==","host_id":"z1"${fields}}${old ? `,"old_object":{"id":${meetingId}${old}}` : ''}}`,
  ) as Record<string, unknown>;

describe('meeting changed in Zoom', () => {
  it('deleted in Zoom: flags the booking, mails the host once, the guest page hides the dead link', async () => {
    const { host, booking } = await bookedZoomMeeting();
    const db = await getDb();
    await recordMeetingChangedInZoom(db, booking, 'meeting.deleted', zoomPayload(booking.zoomMeetingId!, ',"topic":"Intro","type":2'), new Date());
    await recordMeetingChangedInZoom(db, booking, 'meeting.deleted', zoomPayload(booking.zoomMeetingId!), new Date());
    await drainSteps();
    const row = (await getBookingByUid(booking.uid))!;
    expect(row.meetingChangedInZoom).toBe('deleted');
    expect(row.meetingChangedInZoomAt).not.toBeNull();
    const mails = await changedMails(host.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('deleted in Zoom');
    expect(mails[0]!.text).toContain(`/bookings/${booking.uid}`);
    const view = await bookingConfirmationView(row);
    expect(view.meetingChangedInZoom).toBe('deleted');
    expect(view.meeting).toEqual({ provider: 'zoom', status: 'pending', joinUrl: null });
  });

  it("Aki's own cancel (booking cancelled before its zoom.delete) is not flagged", async () => {
    const { host, booking } = await bookedZoomMeeting();
    await cancelBookingAsHost(host.id, booking.uid, 'sorry');
    await drainSteps();
    const cancelled = (await getBookingByUid(booking.uid))!;
    const db = await getDb();
    await recordMeetingChangedInZoom(db, cancelled, 'meeting.deleted', zoomPayload(booking.zoomMeetingId!), new Date());
    await drainSteps();
    expect((await getBookingByUid(booking.uid))!.meetingChangedInZoom).toBeNull();
    expect(await changedMails(host.email)).toHaveLength(0);
  });

  it("a time change made in Zoom is flagged and mailed; Aki's own reschedule (PATCH to the booking's time) is not", async () => {
    const { host, booking, manageToken } = await bookedZoomMeeting();
    const db = await getDb();
    // Aki's reschedule: the PATCH carries the booking's new start.
    await rescheduleBookingAsGuest(booking.uid, manageToken, slotStart(300).toISOString());
    await drainSteps({ now: later(10_000) });
    let row = (await getBookingByUid(booking.uid))!;
    const akiStart = row.startAt.toISOString().replace('.000Z', 'Z');
    await recordMeetingChangedInZoom(db, row, 'meeting.updated', zoomPayload(row.zoomMeetingId!, `,"start_time":"${akiStart}","duration":30`, `,"start_time":"${booking.startAt.toISOString()}"`), new Date());
    expect((await getBookingByUid(booking.uid))!.meetingChangedInZoom).toBeNull();
    // A topic change only: the time still holds.
    await recordMeetingChangedInZoom(db, row, 'meeting.updated', zoomPayload(row.zoomMeetingId!, ',"topic":"Renamed"'), new Date());
    expect((await getBookingByUid(booking.uid))!.meetingChangedInZoom).toBeNull();

    // The host moves it in Zoom.
    const moved = new Date(row.startAt.getTime() + 3 * 3_600_000);
    await recordMeetingChangedInZoom(db, row, 'meeting.updated', zoomPayload(row.zoomMeetingId!, `,"start_time":"${moved.toISOString()}"`), new Date());
    await drainSteps({ now: later(20_000) });
    row = (await getBookingByUid(booking.uid))!;
    expect(row.meetingChangedInZoom).toBe('rescheduled');
    const mails = await changedMails(host.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('moved in Zoom');
    const view = await bookingConfirmationView(row);
    expect(view.meetingChangedInZoom).toBe('rescheduled');
    expect(view.meeting?.joinUrl).toBe(row.zoomJoinUrl);
  });

  it('deleted in Zoom, then rescheduled in Aki: a new meeting is made and the flag is gone', async () => {
    const { host, booking, manageToken } = await bookedZoomMeeting();
    await deleteMeeting(userOAuthSource(host.id), booking.zoomMeetingId!);
    const db = await getDb();
    await recordMeetingChangedInZoom(db, booking, 'meeting.deleted', zoomPayload(booking.zoomMeetingId!), new Date());
    expect((await getBookingByUid(booking.uid))!.meetingChangedInZoom).toBe('deleted');
    await rescheduleBookingAsGuest(booking.uid, manageToken, slotStart(400).toISOString());
    await drainSteps({ now: later(10_000) });
    const row = (await getBookingByUid(booking.uid))!;
    expect(row.zoomMeetingId).not.toBe(booking.zoomMeetingId);
    expect(row.meetingStatus).toBe('created');
    expect(row.meetingChangedInZoom).toBeNull();
    expect((await bookingConfirmationView(row)).meeting?.joinUrl).toBe(row.zoomJoinUrl);
  });

  it('an event about another meeting (an old, replaced one) changes nothing', async () => {
    const { booking } = await bookedZoomMeeting();
    const db = await getDb();
    await recordMeetingChangedInZoom(db, booking as BookingRow, 'meeting.deleted', zoomPayload('81234567890'), new Date());
    expect((await getBookingByUid(booking.uid))!.meetingChangedInZoom).toBeNull();
  });
});
