import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublicSlots } from '@/lib/bookings/slots';
import { drainSteps } from '@/lib/bookings/effects/worker';
import { cancelBookingAsGuest, createBooking, rescheduleBookingAsGuest } from '@/lib/bookings/service';
import { makeHost, makePage, slotStart } from '@/lib/bookings/testing';
import { getDb } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { type RunningGoogleEmulator, startGoogleEmulator } from '@/lib/emulators/google/server';
import type { EmuEvent } from '@/lib/emulators/google/state';
import { startZoomEmulator } from '@/lib/emulators/zoom/testing';
import { AppError } from '@/lib/errors';
import { linkGoogle, useGoogleEmulatorEnv } from './testing';
import { linkZoom, useZoomEmulatorEnv } from '@/lib/zoom/testing';
import { decodeGoogleEventRef } from './calendar';
import { invalidateCalendarBusy } from '@/lib/calendar/host-calendar';

/**
 * The booking pipeline writing to Google Calendar: book → event created (with the Zoom link),
 * reschedule → moved, cancel → removed; Google failing → the step is retried and the booking kept;
 * Google busy times remove slots and refuse a booking. Real database, both emulators over HTTP.
 */

let google: RunningGoogleEmulator;
let closeZoom: () => Promise<void>;
let zoomUrl: string;
let accounts = 0;

type StateEvent = EmuEvent & { sendUpdates: string };

async function googleEvents(): Promise<StateEvent[]> {
  return ((await (await fetch(`${google.url}/__control/state`)).json()) as { events: StateEvent[] }).events;
}

async function googleControl(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${google.url}/__control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBeLessThan(300);
}

async function hostWithGoogleAndZoom() {
  const host = await makeHost({ name: 'Sato Mei' });
  accounts++;
  const account = `pipeline-${accounts}@gmail.test`;
  await linkGoogle(host.id, account);
  const zoomUser = await fetch(`${zoomUrl}/__control/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `pipeline-${accounts}@zoom-demo.example`, timezone: 'Asia/Tokyo' }),
  });
  const { id } = (await zoomUser.json()) as { id: string };
  expect(await linkZoom(host.id, String(id))).toBe('connected');
  return { host, account };
}

const tokenOf = (manageUrl: string) => new URL(manageUrl).searchParams.get('token')!;
const later = (ms: number) => new Date(Date.now() + ms);

beforeAll(async () => {
  const zoom = await startZoomEmulator();
  closeZoom = zoom.close;
  zoomUrl = zoom.url;
  useZoomEmulatorEnv(zoomUrl);
  // Mounted under a path like in the app (googleapis must keep the path of its root URL).
  google = await startGoogleEmulator({ basePath: '/api/emulators/google' });
  useGoogleEmulatorEnv(google.url);
  // Open (and migrate) the database here, under the hook timeout, not in the first test.
  await getDb();
});

afterAll(async () => {
  await google.close();
  await closeZoom();
});

describe('bookings in Google Calendar', () => {
  it('creates the event on booking, moves it on reschedule and removes it on cancel', async () => {
    const { host, account } = await hostWithGoogleAndZoom();
    const page = await makePage(host.id);
    const start = slotStart(10);
    const booking = await createBooking({
      handle: host.handle!,
      slug: page.slug,
      start: start.toISOString(),
      name: 'Guest <Two>',
      email: 'guest2@example.com',
      timeZone: 'Europe/Berlin',
      locale: 'en',
    });
    expect(booking.meeting?.status).toBe('created');
    await drainSteps();

    const db = await getDb();
    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booking.uid));
    expect(row!.calendarEventId).toBeTruthy();
    const { calendarId, eventId } = decodeGoogleEventRef(row!.calendarEventId!, '');
    expect(calendarId).toBe(account);
    let event = (await googleEvents()).find((e) => e.id === eventId)!;
    expect(event).toMatchObject({ status: 'confirmed', calendarId: account, sendUpdates: 'none', location: booking.meeting!.joinUrl });
    expect(new Date(event.start.dateTime!).toISOString()).toBe(start.toISOString());
    expect(event.attendees).toEqual([expect.objectContaining({ email: 'guest2@example.com', displayName: 'Guest <Two>' })]);
    expect(event.description).toContain(booking.meeting!.joinUrl!);
    expect(event.summary).toBeTruthy();

    const moved = slotStart(14);
    await rescheduleBookingAsGuest(booking.uid, tokenOf(booking.manageUrl), moved.toISOString());
    await drainSteps();
    event = (await googleEvents()).find((e) => e.id === eventId)!;
    expect(new Date(event.start.dateTime!).toISOString()).toBe(moved.toISOString());
    expect(new Date(event.end.dateTime!).toISOString()).toBe(new Date(moved.getTime() + 30 * 60_000).toISOString());
    expect(event.status).toBe('confirmed');

    await cancelBookingAsGuest(booking.uid, tokenOf(booking.manageUrl), 'Sorry');
    await drainSteps();
    event = (await googleEvents()).find((e) => e.id === eventId)!;
    expect(event.status).toBe('cancelled');
    // one event only, ever
    expect((await googleEvents()).filter((e) => e.calendarId === account)).toHaveLength(1);
  });

  it('keeps the booking when Google fails and creates the event when the step is retried', async () => {
    const { host, account } = await hostWithGoogleAndZoom();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    await googleControl('faults', { method: 'POST', path: `/calendar/v3/calendars/*`, status: 500, times: 1 });
    const booking = await createBooking({
      handle: host.handle!,
      slug: page.slug,
      start: slotStart(20).toISOString(),
      name: 'Guest Three',
      email: 'guest3@example.com',
      timeZone: 'Asia/Tokyo',
    });
    await drainSteps();
    const db = await getDb();
    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booking.uid));
    expect(row!.status).toBe('confirmed');
    expect(row!.calendarEventId).toBeNull();
    const [step] = await db
      .select()
      .from(bookingSteps)
      .where(and(eq(bookingSteps.bookingId, row!.id), eq(bookingSteps.kind, 'calendar.create')));
    expect(step).toMatchObject({ status: 'pending', attempts: 1 });
    expect(step!.lastError).toContain('500');
    expect((await googleEvents()).filter((e) => e.calendarId === account)).toHaveLength(0);

    // The worker's retry (after its backoff) succeeds.
    await drainSteps({ now: later(60 * 60_000) });
    const [after] = await db.select().from(bookings).where(eq(bookings.uid, booking.uid));
    expect(after!.calendarEventId).toBeTruthy();
    expect((await googleEvents()).filter((e) => e.calendarId === account && e.status === 'confirmed')).toHaveLength(1);
  });

  it('removes slots that overlap busy Google events and refuses to book them', async () => {
    const { host, account } = await hostWithGoogleAndZoom();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const busyStart = slotStart(30);
    await googleControl('events', {
      email: account,
      summary: 'Busy',
      start: busyStart.toISOString(),
      end: new Date(busyStart.getTime() + 60 * 60_000).toISOString(),
    });
    await googleControl('events', {
      email: account,
      summary: 'Free',
      start: slotStart(34).toISOString(),
      end: slotStart(35).toISOString(),
      transparency: 'transparent',
    });
    invalidateCalendarBusy(host.id);
    const day = busyStart.toISOString().slice(0, 10);
    const { body, calendarDegraded } = await loadPublicSlots({ handle: host.handle!, slug: page.slug, from: day, to: day, timeZone: 'UTC', now: new Date() });
    expect(calendarDegraded).toBe(false);
    const slots = body.days.flatMap((d) => d.slots);
    expect(slots).not.toContain(busyStart.toISOString());
    expect(slots).not.toContain(slotStart(31).toISOString());
    expect(slots).toContain(slotStart(32).toISOString());
    expect(slots).toContain(slotStart(34).toISOString());

    await expect(
      createBooking({ handle: host.handle!, slug: page.slug, start: busyStart.toISOString(), name: 'G', email: 'g4@example.com', timeZone: 'UTC' }),
    ).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'slot_unavailable');
  });
});
