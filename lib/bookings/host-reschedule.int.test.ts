import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { drainSteps } from './effects/worker';
import { createBooking, getHostBookingView, rescheduleBookingAsHost } from './service';
import { loadHostRescheduleSlots, loadPublicSlots } from './slots';
import { makeHost, makePage, outboxFor, slotStart } from './testing';

/**
 * The host moves a booking: ownership is the authority (another host's booking is not_found), the
 * slots leave out the booking's own time and buffers exactly as the guest's reschedule does, and the
 * same service path updates Zoom and mails both — the guest's mail saying the host moved it, with the note.
 */

const zoom = zoomEmulatorForThisFile();

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  }
  throw new Error(`expected AppError ${code}`);
}

const day = (date: Date) => date.toISOString().slice(0, 10);
const slotsOf = (answer: { body: { days: { slots: string[] }[] } }) => answer.body.days.flatMap((d) => d.slots);

describe('host reschedule', () => {
  it("another host's booking is not found, for the slots and for the move", async () => {
    const owner = await makeHost();
    const stranger = await makeHost();
    const page = await makePage(owner.id, { location: { type: 'phone' } });
    const booking = await createBooking({ handle: owner.handle!, slug: page.slug, start: slotStart(4).toISOString(), name: 'G', email: 'g-own@example.com', timeZone: 'UTC' });
    await expectAppError(rescheduleBookingAsHost(stranger.id, booking.uid, { start: slotStart(6).toISOString() }), 'not_found');
    const query = { uid: booking.uid, from: day(slotStart(0)), to: day(slotStart(0)), timeZone: 'UTC', now: new Date() };
    await expectAppError(loadHostRescheduleSlots({ ...query, host: { id: stranger.id, handle: stranger.handle! } }), 'not_found');
    await expectAppError(getHostBookingView(stranger.id, booking.uid), 'not_found');
    // Unchanged for its owner.
    expect((await getHostBookingView(owner.id, booking.uid)).start).toBe(slotStart(4).toISOString());
  });

  it("offers the slots the booking's own buffer hides, moves it there, refuses a taken slot and a bad note", async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' }, bufferAfterMinutes: 30 });
    const booking = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(10).toISOString(), name: 'B', email: 'b-buffer@example.com', timeZone: 'UTC' });
    const next = slotStart(11).toISOString();
    const range = { from: day(slotStart(0)), to: day(slotStart(0)), timeZone: 'UTC', now: new Date() };

    const publicSlots = slotsOf(await loadPublicSlots({ ...range, handle: host.handle!, slug: page.slug }));
    expect(publicSlots).not.toContain(next);
    const hostSlots = slotsOf(await loadHostRescheduleSlots({ ...range, uid: booking.uid, host: { id: host.id, handle: host.handle! } }));
    expect(hostSlots).toContain(next);
    expect(hostSlots).toContain(slotStart(10).toISOString());

    // Another guest holds a later slot: moving there is slot_unavailable (409).
    await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(20).toISOString(), name: 'C', email: 'c-buffer@example.com', timeZone: 'UTC' });
    await expectAppError(rescheduleBookingAsHost(host.id, booking.uid, { start: slotStart(20).toISOString() }), 'slot_unavailable');
    const tooLong = await expectAppError(rescheduleBookingAsHost(host.id, booking.uid, { start: next, note: 'x'.repeat(1001) }), 'invalid_input');
    expect(tooLong.details).toMatchObject({ fields: { note: 'too_long' } });

    const moved = await rescheduleBookingAsHost(host.id, booking.uid, { start: next });
    expect(moved.start).toBe(next);
  });

  it('updates the Zoom meeting and mails both; the guest reads (in their language) that the host moved it, with the note', async () => {
    const host = await makeHost({ name: 'Sato Aki' });
    const zoomUserId = await zoom.linkNewZoomUser(host.id);
    const page = await makePage(host.id);
    const guestEmail = `moved-${Date.now().toString(36)}@example.com`;
    const booking = await createBooking({
      handle: host.handle!,
      slug: page.slug,
      start: slotStart(14).toISOString(),
      name: 'Yui Guest',
      email: guestEmail,
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
    });
    await drainSteps();
    const newStart = slotStart(16);
    await rescheduleBookingAsHost(host.id, booking.uid, { start: newStart.toISOString(), note: '  Sorry, <b>a clash</b> came up.  ' });
    await drainSteps();

    const [meeting] = zoom.liveMeetings(zoomUserId);
    expect(meeting!.startTime).toBe(newStart.toISOString().replace('.000Z', 'Z'));
    const [guestMail] = await outboxFor(guestEmail); // newest first
    expect(guestMail!.subject).toMatch(/^日時変更/);
    expect(guestMail!.text).toContain('Sato Aki がご予約の日時を変更しました。');
    expect(guestMail!.text).toContain('Sato Aki からのメッセージ');
    expect(guestMail!.text).toContain('Sorry, <b>a clash</b> came up.');
    expect(guestMail!.html).toContain('Sorry, &lt;b&gt;a clash&lt;/b&gt; came up.');
    const [hostMail] = await outboxFor(host.email);
    expect(hostMail!.subject).toMatch(/^Rescheduled/);
    expect(hostMail!.text).toContain('You moved the booking with Yui Guest to a new time.');
    expect(hostMail!.text).not.toContain('Yui Guest moved their booking');
  });
});
