import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { decryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { revokeToken } from '@/lib/zoom/oauth';
import { linkZoom, } from '@/lib/zoom/testing';
import { drainSteps } from './effects/worker';
import { createBooking, listHostBookings, retryBookingSteps, wakeZoomSteps } from './service';
import { makeHost, makePage, outboxFor, slotStart } from './testing';

/**
 * Invariant 2 under Zoom failures: the booking stays confirmed and truthful, the step is retried
 * (backoff, Retry-After, reconnect), the host is told, the guest gets the link when it exists, and
 * no booking ever gets two meetings. Time is moved by passing `now` to the worker.
 */

const INLINE_DEADLINE_MS = 1_000;
const zoom = zoomEmulatorForThisFile({ beforeStart: () => { process.env.AKI_ZOOM_INLINE_DEADLINE_MS = String(INLINE_DEADLINE_MS); } });

const control = zoom.control;

async function linkedHost() {
  const host = await makeHost();
  return { host, zoomUserId: await zoom.linkNewZoomUser(host.id) };
}

const liveMeetings = zoom.liveMeetings;
const later = (ms: number) => new Date(Date.now() + ms);

async function bookingRow(uid: string) {
  const db = await getDb();
  const [row] = await db.select().from(bookings).where(eq(bookings.uid, uid));
  return row!;
}

async function zoomStep(uid: string) {
  const db = await getDb();
  const row = await bookingRow(uid);
  const [step] = await db.select().from(bookingSteps).where(eq(bookingSteps.bookingId, row.id));
  const all = await db.select().from(bookingSteps).where(eq(bookingSteps.bookingId, row.id));
  return all.find((s) => s.kind === 'zoom.create') ?? step!;
}

async function book(hostHandle: string, slug: string, index: number, email: string) {
  return createBooking({ handle: hostHandle, slug, start: slotStart(index).toISOString(), name: 'Guest', email, timeZone: 'Asia/Tokyo' });
}

describe('Zoom failures', () => {
  it('Zoom 500 ×3: the booking stays confirmed (pending link), the worker retries with backoff, the host is told, then the link is mailed', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 500, times: 3, body: { code: 500, message: 'Internal error' } });
    const booking = await book(host.handle!, page.slug, 10, 'five@example.com');
    expect(booking.status).toBe('confirmed');
    expect(booking.meeting).toEqual({ provider: 'zoom', status: 'pending', joinUrl: null });

    // Mails go out now, saying the link follows.
    await drainSteps();
    const [confirmation] = await outboxFor('five@example.com');
    expect(confirmation!.text).toContain('we will email it to you');
    let step = await zoomStep(booking.uid);
    expect(step.status).toBe('pending');
    expect(step.attempts).toBe(1);
    expect(step.lastError).toMatch(/500/);
    expect(step.runAt.getTime()).toBeGreaterThan(Date.now());

    // Two more failures (each retry first reconciles, then creates).
    await drainSteps({ now: later(10 * 60_000) });
    await drainSteps({ now: later(60 * 60_000) });
    step = await zoomStep(booking.uid);
    expect(step.attempts).toBe(3);
    expect((await bookingRow(booking.uid)).status).toBe('confirmed');
    expect((await bookingRow(booking.uid)).meetingStatus).toBe('pending');
    const hostMails = await outboxFor(host.email);
    expect(hostMails.some((m) => m.subject.startsWith('Action needed'))).toBe(true);
    const [listed] = await listHostBookings(host.id, { scope: 'upcoming' });
    expect(listed!.meeting.status).toBe('pending');
    expect(listed!.meeting.reason).toMatch(/500/);
    expect(listed!.canRetry).toBe(true);

    // Recovery.
    await drainSteps({ now: later(3 * 60 * 60_000) });
    const row = await bookingRow(booking.uid);
    expect(row.meetingStatus).toBe('created');
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
    step = await zoomStep(booking.uid);
    expect(step).toMatchObject({ status: 'done', attempts: 4 });
    const guestMails = await outboxFor('five@example.com');
    expect(guestMails).toHaveLength(2);
    expect(guestMails[0]!.subject).toMatch(/^Zoom link/);
    expect(guestMails[0]!.text).toContain(row.zoomJoinUrl!);
    expect(guestMails[0]!.text).not.toContain('/s/');
  });

  it('429 with Retry-After: the retry waits at least that long', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    await control('faults', {
      method: 'POST',
      path: '/v2/users/me/meetings',
      status: 429,
      times: 1,
      headers: { 'Retry-After': '120', 'content-type': 'application/json' },
      body: { code: 429, message: 'You have reached the maximum per-second rate limit for this API.' },
    });
    const before = Date.now();
    const booking = await book(host.handle!, page.slug, 12, 'ratelimit@example.com');
    expect(booking.meeting?.status).toBe('pending');
    let step = await zoomStep(booking.uid);
    expect(step.runAt.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    expect(step.lastError).toMatch(/rate limit/i);

    await drainSteps({ now: later(60_000) });
    step = await zoomStep(booking.uid);
    expect(step.attempts).toBe(1);
    expect(liveMeetings(zoomUserId)).toHaveLength(0);

    await drainSteps({ now: later(200_000) });
    expect((await bookingRow(booking.uid)).meetingStatus).toBe('created');
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
  });

  it('revoked link: waits (host told once), then after reconnect + wakeZoomSteps the meeting is created and mailed', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    const db = await getDb();
    const [conn] = await db.select().from(zoomConnections).where(eq(zoomConnections.userId, host.id));
    await revokeToken(decryptSecret(conn!.accessTokenEnc));

    const first = await book(host.handle!, page.slug, 14, 'rev1@example.com');
    const second = await book(host.handle!, page.slug, 16, 'rev2@example.com');
    for (const b of [first, second]) expect(b.meeting?.status).toBe('pending');
    const step = await zoomStep(first.uid);
    expect(step.status).toBe('pending');
    expect(step.lastError).toMatch(/revoked/i);
    expect(step.runAt.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);

    await drainSteps();
    await drainSteps({ now: later(20 * 60_000) });
    // Still waiting, never given up; waiting for the host does not use up attempts.
    expect((await zoomStep(first.uid)).status).toBe('pending');
    expect((await zoomStep(first.uid)).attempts).toBe(0);
    const [view] = (await listHostBookings(host.id, { scope: 'upcoming' })).filter((b) => b.uid === first.uid);
    expect(view!.meeting.needsReconnect).toBe(true);
    const problemMails = (await outboxFor(host.email)).filter((m) => m.subject.includes('not created yet'));
    expect(problemMails).toHaveLength(1); // one per host and problem, listing both bookings — not one per booking or retry
    expect(problemMails[0]!.subject).toContain('2 bookings');
    // (lib/zoom also sends its own one "reconnect Zoom" notice about the link itself.)

    expect(await linkZoom(host.id, zoomUserId)).toBe('connected');
    expect(await wakeZoomSteps(host.id)).toBe(2);
    await drainSteps();
    for (const b of [first, second]) expect((await bookingRow(b.uid)).meetingStatus).toBe('created');
    expect(liveMeetings(zoomUserId)).toHaveLength(2);
    const [linkMail] = await outboxFor('rev1@example.com');
    expect(linkMail!.subject).toMatch(/^Zoom link/);
    expect(linkMail!.text).toContain((await bookingRow(first.uid)).zoomJoinUrl!);
    // Defect 5: a step that finished does not keep the error of an earlier attempt.
    for (const b of [first, second]) expect(await zoomStep(b.uid)).toMatchObject({ status: 'done', lastError: null });
    const [after] = (await listHostBookings(host.id, { scope: 'upcoming' })).filter((b) => b.uid === first.uid);
    expect(after!.steps.find((s) => s.kind === 'zoom.create')).toMatchObject({ status: 'done', lastError: null });
    expect(after!.meeting).toMatchObject({ status: 'created', reason: null, needsReconnect: false });
  });

  it('a timeout past the inline deadline is reconciled: no duplicate meeting', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', times: 1, delayMs: INLINE_DEADLINE_MS + 1_500 });
    const booking = await book(host.handle!, page.slug, 18, 'slow@example.com');
    expect(booking.meeting).toEqual({ provider: 'zoom', status: 'pending', joinUrl: null });
    const step = await zoomStep(booking.uid);
    expect(step.payload.ambiguous).toBe(true);
    // Zoom finishes the slow create on its side.
    await zoom.settle();
    expect(liveMeetings(zoomUserId)).toHaveLength(1);

    await drainSteps({ now: later(5 * 60_000) });
    const done = await zoomStep(booking.uid);
    expect(done.status).toBe('done');
    expect(done.payload.reconciled).toBe(true);
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
    expect((await bookingRow(booking.uid)).zoomMeetingId).toBe(liveMeetings(zoomUserId)[0]!.id.toString());
    expect(zoom.emulator.state.calls.filter((c) => c.method === 'POST' && c.path === '/v2/users/me/meetings' && c.userId === zoomUserId)).toHaveLength(1);
  });

  it('a permanent refusal marks the meeting failed; the host retry button runs it again', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    await control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 400, times: 1, body: { code: 300, message: 'Invalid meeting' } });
    const booking = await book(host.handle!, page.slug, 20, 'perm@example.com');
    expect(booking.meeting?.status).toBe('pending');
    expect((await bookingRow(booking.uid)).meetingStatus).toBe('failed');
    const view = await retryBookingSteps(host.id, booking.uid);
    expect(view.meeting.status).toBe('pending');
    await drainSteps();
    expect((await bookingRow(booking.uid)).meetingStatus).toBe('created');
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
  });
});
