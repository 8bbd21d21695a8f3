import { existsSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainSteps } from '@/lib/bookings/effects/worker';
import { bookingConfirmationView, getBookingByUid, hostBookings } from '@/lib/bookings/queries';
import { createBooking } from '@/lib/bookings/service';
import { makeHost, makePage, outboxFor, slotStart } from '@/lib/bookings/testing';
import { getDb } from '@/lib/db/client';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookingSteps } from '@/lib/db/schema/bookings';
import { meetingRecordings } from '@/lib/db/schema/meetings';
import { serveFetchHandler } from '@/lib/emulators/serve';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { parseJsonPreservingBigInts } from '@/lib/zoom/json';
import { linkZoom } from '@/lib/zoom/testing';
import { userOAuthSource } from '@/lib/zoom/tokens';
import { recordRecordingCompleted, syncRecordings } from './recordings';
import { recordMeetingChangedInZoom } from './zoom-changes';

/**
 * The same paths as recordings.int.test.ts, against the Zoom emulator's own after-meeting routes
 * (simulate a held meeting with recording and transcript, the recordings REST read, the download
 * redirect, registrants, changes made in Zoom) with the webhooks it signs caught on a local server.
 * Runs once the emulator has those routes (lib/emulators/zoom/simulate.ts).
 */

const hasAfterMeetingEmulator = existsSync(path.resolve(import.meta.dirname, '../emulators/zoom/simulate.ts'));

const zoom = zoomEmulatorForThisFile();

type Delivery = { event: string; download_token?: string; payload: Record<string, unknown> };
const deliveries: Delivery[] = [];
let hooks: http.Server;
let hooksUrl = '';

beforeAll(async () => {
  hooks = await serveFetchHandler(async (request) => {
    deliveries.push(parseJsonPreservingBigInts(await request.text()) as Delivery);
    return Response.json({ ok: true });
  }, 0);
  const address = hooks.address();
  hooksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
});

afterAll(async () => {
  hooks?.closeAllConnections();
  await new Promise<void>((resolve) => hooks?.close(() => resolve()));
});

let slot = 0;
const later = (ms: number) => new Date(Date.now() + ms);

async function booked(options: { register?: boolean; share?: boolean; basic?: boolean } = {}) {
  const host = await makeHost();
  if (options.basic) {
    const user = await zoom.control('users', { email: `basic-${Date.now().toString(36)}@zoom-demo.example`, type: 1, timezone: 'Asia/Tokyo' });
    expect(await linkZoom(host.id, String(user.id))).toBe('connected');
  } else await zoom.linkNewZoomUser(host.id);
  const page = await makePage(host.id);
  const db = await getDb();
  await db
    .update(bookingPages)
    .set({ registerGuests: options.register ?? false, shareRecordingWithGuest: options.share ?? false })
    .where(eq(bookingPages.id, page.id));
  const guestEmail = `emu-guest-${++slot}-${Date.now().toString(36)}@example.com`;
  const result = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(4 + slot * 2).toISOString(), name: 'Aiko Guest', email: guestEmail, timeZone: 'Asia/Tokyo' });
  await drainSteps();
  const booking = (await getBookingByUid(result.uid))!;
  expect(booking.meetingStatus).toBe('created');
  return { host, booking, guestEmail };
}

async function simulate(meetingId: string, start: Date, body: Record<string, unknown>) {
  const minute = 60_000;
  return zoom.control(`meetings/${meetingId}/simulate`, {
    participants: [
      { name: 'Demo Host', host: true, joinAt: new Date(start.getTime() - minute).toISOString(), leaveAt: new Date(start.getTime() + 30 * minute).toISOString() },
      { name: 'Aiko Guest', email: 'aiko@example.com', joinAt: new Date(start.getTime() + minute).toISOString(), leaveAt: new Date(start.getTime() + 25 * minute).toISOString() },
    ],
    end: true,
    recording: true,
    transcript: true,
    ...body,
  });
}

const recordingMails = async (email: string) => (await outboxFor(email)).filter((m) => /Recording/.test(m.subject));

async function recordingsOf(bookingId: string) {
  const db = await getDb();
  return db.select().from(meetingRecordings).where(eq(meetingRecordings.bookingId, bookingId)).orderBy(meetingRecordings.id);
}

describe.skipIf(!hasAfterMeetingEmulator)('after the meeting, against the emulator', () => {
  it('recording.completed from a simulated meeting: files stored, transcript fetched with the download token, a later REST read adds nothing', async () => {
    const { host, booking, guestEmail } = await booked({ share: true });
    deliveries.length = 0;
    await simulate(booking.zoomMeetingId!, booking.startAt, { deliverWebhooks: true, webhookTarget: hooksUrl });
    const completed = deliveries.find((d) => d.event === 'recording.completed')!;
    expect(completed.download_token).toBeTruthy();
    const object = completed.payload.object as Record<string, unknown>;
    expect(String(object.id)).toBe(booking.zoomMeetingId);

    const db = await getDb();
    await recordRecordingCompleted(db, booking, object, completed.download_token!, new Date());
    await recordRecordingCompleted(db, booking, object, completed.download_token!, new Date());
    await drainSteps();
    let files = await recordingsOf(booking.id);
    expect(files.map((f) => f.fileType).sort()).toEqual(['M4A', 'MP4', 'TRANSCRIPT']);
    const transcript = files.find((f) => f.fileType === 'TRANSCRIPT')!;
    expect(transcript.transcriptStatus).toBe('fetched');
    expect(transcript.transcriptText).toMatch(/^(Demo Host|Aiko Guest): /m);

    const steps = await db.select().from(bookingSteps).where(eq(bookingSteps.bookingId, booking.id));
    expect(JSON.stringify(steps)).not.toContain(completed.download_token!);

    // The REST safety net lists the same files: merged by Zoom file id, nobody mailed again.
    await syncRecordings(db, (await getBookingByUid(booking.uid))!, userOAuthSource(host.id), new Date());
    await drainSteps();
    files = await recordingsOf(booking.id);
    expect(files).toHaveLength(3);
    expect(await recordingMails(host.email)).toHaveLength(1);
    const guestMails = await recordingMails(guestEmail);
    expect(guestMails).toHaveLength(1);
    expect(guestMails[0]!.text).not.toContain('download');
  });

  it('REST only (no webhooks): syncRecordings stores the files and fetches the transcript with the host token', async () => {
    const { host, booking } = await booked();
    const db = await getDb();
    await syncRecordings(db, booking, userOAuthSource(host.id), new Date());
    expect(await recordingsOf(booking.id)).toHaveLength(0); // 404/3301 before any recording

    await simulate(booking.zoomMeetingId!, booking.startAt, { deliverWebhooks: false });
    await syncRecordings(db, booking, userOAuthSource(host.id), new Date());
    await drainSteps();
    const files = await recordingsOf(booking.id);
    expect(files.map((f) => f.fileType).sort()).toEqual(['M4A', 'MP4', 'TRANSCRIPT']);
    expect(files.find((f) => f.fileType === 'TRANSCRIPT')!.transcriptStatus).toBe('fetched');
    expect(await recordingMails(host.email)).toHaveLength(1);
  });

  it('registration: the guest is a registrant of the meeting with a personal link', async () => {
    const { booking, guestEmail } = await booked({ register: true });
    expect(booking.zoomRegistrantId).toBeTruthy();
    expect(booking.guestJoinUrl).toContain('tk=');
    expect(booking.guestJoinUrl).not.toBe(booking.zoomJoinUrl);
    const state = (await (await fetch(`${zoom.url}/__control/state`)).json()) as { meetings: { id: string; settings: Record<string, unknown> }[] };
    expect(state.meetings.find((m) => m.id === booking.zoomMeetingId)!.settings.approval_type).toBe(0);
    const mail = (await outboxFor(guestEmail)).find((m) => m.subject.startsWith('Confirmed'))!;
    expect(mail.text).toContain(booking.guestJoinUrl!);
    expect((await bookingConfirmationView(booking)).meeting?.joinUrl).toBe(booking.guestJoinUrl);
  });

  it('registration on a Basic host: the meeting stays with the general link, the reason is shown', async () => {
    const { host, booking } = await booked({ register: true, basic: true });
    expect(booking.zoomRegistrantId).toBeNull();
    const [view] = await hostBookings(host.id, { uid: booking.uid }, new Date());
    expect(view!.guestRegistration?.status).toBe('failed');
    expect(view!.guestRegistration?.reason).toMatch(/paid/i);
    expect((await bookingConfirmationView(booking)).meeting?.joinUrl).toBe(booking.zoomJoinUrl);
  });

  it('deleted and moved in Zoom: the webhooks Zoom sends flag the booking and mail the host', async () => {
    const first = await booked();
    deliveries.length = 0;
    await zoom.control(`meetings/${first.booking.zoomMeetingId}`, { deleted: true, deliverWebhooks: true, webhookTarget: hooksUrl });
    const deleted = deliveries.find((d) => d.event === 'meeting.deleted')!;
    const db = await getDb();
    await recordMeetingChangedInZoom(db, first.booking, 'meeting.deleted', deleted.payload, new Date());
    expect((await getBookingByUid(first.booking.uid))!.meetingChangedInZoom).toBe('deleted');

    const second = await booked();
    deliveries.length = 0;
    const moved = new Date(second.booking.startAt.getTime() + 2 * 3_600_000);
    await zoom.control(`meetings/${second.booking.zoomMeetingId}`, { startTime: moved.toISOString(), duration: 30, deliverWebhooks: true, webhookTarget: hooksUrl });
    const updated = deliveries.find((d) => d.event === 'meeting.updated')!;
    await recordMeetingChangedInZoom(db, second.booking, 'meeting.updated', updated.payload, new Date());
    expect((await getBookingByUid(second.booking.uid))!.meetingChangedInZoom).toBe('rescheduled');

    await drainSteps({ now: later(1_000) });
    for (const { host } of [first, second]) expect((await outboxFor(host.email)).filter((m) => /in Zoom/.test(m.subject))).toHaveLength(1);
  });
});
