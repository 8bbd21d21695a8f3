import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/public/pages/[host]/[page]/slots/route';
import { addCalendarDays, todayIn, weekdayOf } from '@/lib/availability/time-zone';
import { getDb } from '@/lib/db/client';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookings } from '@/lib/db/schema/bookings';
import { users } from '@/lib/db/schema/hosts';
import { type BookingPage, invalidateHostSlots } from '@/lib/booking-pages/queries';
import type { WeeklyHours } from '@/lib/booking-pages/schema';
import { manageTokenFor, manageTokenHash } from './manage-token';
import { forgetCachedPublicPages, isSlotAvailable, loadPreviewSlots, loadPublicSlots } from './slots';

/** The slots endpoint and its I/O against the real database (PGlite, or Postgres with DATABASE_URL). */

const weekdays = (start: string, end: string): WeeklyHours => ({
  mon: [{ start, end }],
  tue: [{ start, end }],
  wed: [{ start, end }],
  thu: [{ start, end }],
  fri: [{ start, end }],
  sat: [],
  sun: [],
});

async function makeHost(handle: string, timeZone = 'Asia/Tokyo') {
  const db = await getDb();
  const [host] = await db.insert(users).values({ email: `${handle}@example.com`, handle, timeZone }).returning();
  return host!;
}

async function makePage(userId: string, slug: string, values: Partial<typeof bookingPages.$inferInsert> = {}): Promise<BookingPage> {
  const db = await getDb();
  const [page] = await db
    .insert(bookingPages)
    .values({
      userId,
      slug,
      title: `Page ${slug}`,
      durationMinutes: 60,
      location: { type: 'phone' },
      timeZone: 'Asia/Tokyo',
      weeklyHours: weekdays('09:00', '12:00'),
      bookingWindowDays: 365,
      ...values,
    })
    .returning();
  return page!;
}

/** A booking row written directly, with its blocked range widened by `page`'s buffers like the pipeline does. */
async function book(page: BookingPage, start: string, status: 'confirmed' | 'cancelled' = 'confirmed') {
  const db = await getDb();
  const startAt = new Date(start);
  const endAt = new Date(startAt.getTime() + page.durationMinutes * 60_000);
  const [row] = await db
    .insert(bookings)
    .values({
      uid: crypto.randomUUID(),
      userId: page.userId,
      pageId: page.id,
      title: page.title,
      location: page.location,
      startAt,
      endAt,
      blockedStartAt: new Date(startAt.getTime() - page.bufferBeforeMinutes * 60_000),
      blockedEndAt: new Date(endAt.getTime() + page.bufferAfterMinutes * 60_000),
      status,
      guestName: 'Guest',
      guestEmail: 'guest@example.com',
      guestTimeZone: 'UTC',
      manageTokenHash: 'x',
    })
    .returning();
  // what the booking pipeline does after its commit
  invalidateHostSlots(page.userId);
  return row!;
}

const slotsOf = (body: { days: { date: string; slots: string[] }[] }, date: string) => body.days.find((d) => d.date === date)?.slots;
const z = (hhmm: string, date: string) => new Date(`${date}T${hhmm}:00Z`).toISOString();

// 2030-01-07 is a Monday. Tokyo 09:00–12:00 is 00:00–03:00 UTC.
const NOW = new Date('2030-01-01T00:00:00Z');
const MON = '2030-01-07';

describe('loadPublicSlots', () => {
  let page: BookingPage;
  let other: BookingPage;

  beforeAll(async () => {
    const host = await makeHost('slots-host');
    page = await makePage(host.id, 'intro', { bufferAfterMinutes: 15 });
    other = await makePage(host.id, 'other', { bufferBeforeMinutes: 30, bufferAfterMinutes: 30, durationMinutes: 30 });
    const stranger = await makeHost('stranger');
    const strangerPage = await makePage(stranger.id, 'intro');
    // Noise that must not block: another host's booking and a cancelled one.
    await book(strangerPage, `${MON}T00:00:00Z`);
    await book(page, `${MON}T00:00:00Z`, 'cancelled');
  });

  it('returns the docs/api.md shape with every date of the range', async () => {
    const { body, calendarDegraded } = await loadPublicSlots({ handle: 'slots-host', slug: 'intro', from: MON, to: '2030-01-13', timeZone: 'UTC', now: NOW });
    expect(calendarDegraded).toBe(false);
    expect(body.timeZone).toBe('UTC');
    expect(body.durationMinutes).toBe(60);
    expect(body.days.map((d) => d.date)).toEqual(['2030-01-07', '2030-01-08', '2030-01-09', '2030-01-10', '2030-01-11', '2030-01-12', '2030-01-13']);
    // 60-minute slots with a 15-minute after-buffer still fit back to back in 09:00–12:00 JST: the buffer may reach past the window.
    expect(slotsOf(body, MON)).toEqual([z('00:00', MON), z('01:00', MON), z('02:00', MON)]);
    expect(slotsOf(body, '2030-01-12')).toEqual([]);
  });

  it('a booking on another page of the host blocks its own widened range plus this page buffers', async () => {
    // other page: 01:30–02:00 UTC with 30-minute buffers → blocked 01:00–02:30
    await book(other, `${MON}T01:30:00Z`);
    const { body } = await loadPublicSlots({ handle: 'slots-host', slug: 'intro', from: MON, to: MON, timeZone: 'UTC', now: NOW });
    // 00:00 → [00:00, 01:15] (15-min after-buffer) overlaps 01:00 → gone; 01:00, 02:00 overlap → gone
    expect(slotsOf(body, MON)).toEqual([]);
    const tokyo = await loadPublicSlots({ handle: 'slots-host', slug: 'other', from: MON, to: MON, timeZone: 'Asia/Tokyo', now: NOW });
    // other page: 30-minute slots with 30-minute buffers on both sides; its booking blocks 01:00–02:30.
    // 00:00 → [23:30, 01:00] touches it; 02:30 → [02:00, 03:30] overlaps it.
    expect(slotsOf(tokyo.body, MON)).toEqual([z('00:00', MON)]);
  });

  it('groups by the viewer date: a Honolulu viewer sees Tokyo Tuesday morning on Monday', async () => {
    const { body } = await loadPublicSlots({ handle: 'slots-host', slug: 'intro', from: MON, to: MON, timeZone: 'Pacific/Honolulu', now: NOW });
    expect(body.timeZone).toBe('Pacific/Honolulu');
    expect(slotsOf(body, MON)).toEqual([z('00:00', '2030-01-08'), z('01:00', '2030-01-08'), z('02:00', '2030-01-08')]);
  });

  it('daily cap counts this page bookings per page-local date', async () => {
    const host = await makeHost('capped');
    const capped = await makePage(host.id, 'capped', { maxBookingsPerDay: 1 });
    await book(capped, '2030-01-08T00:00:00Z');
    const { body } = await loadPublicSlots({ handle: 'capped', slug: 'capped', from: MON, to: '2030-01-09', timeZone: 'Asia/Tokyo', now: NOW });
    expect(slotsOf(body, '2030-01-07')).toHaveLength(3);
    expect(slotsOf(body, '2030-01-08')).toEqual([]);
    expect(slotsOf(body, '2030-01-09')).toHaveLength(3);
  });

  it('rejects bad parameters with invalid_parameter and every field at once', async () => {
    const call = (from: string | null, to: string | null, timeZone: string | null) =>
      loadPublicSlots({ handle: 'slots-host', slug: 'intro', from, to, timeZone, now: NOW });
    await expect(call('2030-01-10', '2030-01-09', 'UTC')).rejects.toMatchObject({ code: 'invalid_parameter', details: { fields: { to: 'before_from' } } });
    await expect(call('2030-01-01', '2030-03-04', 'UTC')).rejects.toMatchObject({ details: { fields: { to: 'range_too_long' } } });
    await expect(call('2030-01-01', '2030-03-03', 'UTC')).resolves.toMatchObject({ body: { days: expect.any(Array) } });
    await expect(call('2030-02-30', 'tomorrow', 'Mars/Olympus')).rejects.toMatchObject({
      details: { fields: { from: 'date_format', to: 'date_format', timeZone: 'time_zone' } },
    });
    await expect(call(null, null, null)).rejects.toMatchObject({ details: { fields: { from: 'required', to: 'required' } } });
  });

  it('a new booking shows at once even right after an answer was cached', async () => {
    const host = await makeHost('cached');
    const cachedPage = await makePage(host.id, 'cached');
    const ask = () => loadPublicSlots({ handle: 'cached', slug: 'cached', from: MON, to: MON, timeZone: 'UTC', now: NOW });
    expect(slotsOf((await ask()).body, MON)).toHaveLength(3);
    // the pipeline invalidates the host after its commit (book() does the same)
    await book(cachedPage, `${MON}T00:00:00Z`);
    expect(slotsOf((await ask()).body, MON)).toEqual([z('01:00', MON), z('02:00', MON)]);
  });

  it('defaults the viewer zone to the page zone; unknown or unpublished pages are not found', async () => {
    const { body } = await loadPublicSlots({ handle: 'SLOTS-HOST', slug: 'Intro', from: MON, to: MON, timeZone: null, now: NOW });
    expect(body.timeZone).toBe('Asia/Tokyo');
    await expect(loadPublicSlots({ handle: 'nobody', slug: 'intro', from: MON, to: MON, timeZone: null, now: NOW })).rejects.toMatchObject({
      code: 'not_found',
    });
    const db = await getDb();
    await db.update(bookingPages).set({ published: false }).where(eq(bookingPages.id, page.id));
    forgetCachedPublicPages();
    await expect(loadPublicSlots({ handle: 'slots-host', slug: 'intro', from: MON, to: MON, timeZone: null, now: NOW })).rejects.toMatchObject({
      code: 'not_found',
    });
    await db.update(bookingPages).set({ published: true }).where(eq(bookingPages.id, page.id));
    forgetCachedPublicPages();
  });
});

describe('GET /api/public/pages/{host}/{page}/slots', () => {
  const call = (host: string, slug: string, query: string) =>
    GET(new Request(`http://localhost/api/public/pages/${host}/${slug}/slots?${query}`), { params: Promise.resolve({ host, page: slug }) });

  it('200 with short shared caching; 400 invalid_parameter; 404 not_found', async () => {
    const host = await makeHost('route-host', 'Europe/Berlin');
    await makePage(host.id, 'chat', { timeZone: 'Europe/Berlin', weeklyHours: weekdays('10:00', '11:00') });
    // The route uses the real clock: ask for a week that starts with a Monday well in the future.
    let monday = addCalendarDays(todayIn('Europe/Berlin', new Date()), 8);
    while (weekdayOf(monday) !== 'mon') monday = addCalendarDays(monday, 1);

    const ok = await call('route-host', 'chat', `from=${monday}&to=${addCalendarDays(monday, 6)}&timeZone=Asia/Kathmandu`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=5, stale-while-revalidate=5');
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await ok.json()) as { timeZone: string; durationMinutes: number; days: { date: string; slots: string[] }[] };
    expect(body.timeZone).toBe('Asia/Kathmandu');
    expect(body.days).toHaveLength(7);
    // 10:00 Berlin is 14:45 or 13:45 in Kathmandu, same date: five weekdays with one slot each
    expect(body.days.map((d) => d.slots.length)).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(body.days[0]!.slots[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);

    const bad = await call('route-host', 'chat', `from=${monday}&to=${addCalendarDays(monday, 62)}&timeZone=Nope/Nope`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_parameter', fields: { to: 'range_too_long', timeZone: 'time_zone' } } });

    const missing = await call('route-host', 'nope', `from=${monday}&to=${monday}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('rescheduling: the booking being moved does not hide its neighbours', () => {
  const call = (host: string, slug: string, query: string, token?: string) =>
    GET(new Request(`http://localhost/api/public/pages/${host}/${slug}/slots?${query}`, { headers: token ? { 'x-manage-token': token } : {} }), {
      params: Promise.resolve({ host, page: slug }),
    });

  it('offers the slots its own buffers cover only to its guest (manage token), privately; a wrong token is 404', async () => {
    const host = await makeHost('move-host');
    // 30-minute slots every 30 minutes, 09:00–12:00 Tokyo, 30-minute buffers on both sides.
    const page = await makePage(host.id, 'move', { durationMinutes: 30, slotIntervalMinutes: 30, bufferBeforeMinutes: 30, bufferAfterMinutes: 30 });
    let monday = addCalendarDays(todayIn('Asia/Tokyo', new Date()), 8);
    while (weekdayOf(monday) !== 'mon') monday = addCalendarDays(monday, 1);
    const db = await getDb();
    const moving = await book(page, `${monday}T01:00:00Z`); // 10:00 Tokyo
    const token = manageTokenFor(moving.id);
    await db.update(bookings).set({ manageTokenHash: manageTokenHash(token) }).where(eq(bookings.id, moving.id));
    const query = `from=${monday}&to=${monday}&timeZone=Asia/Tokyo`;
    const slotsFrom = async (response: Response) => slotsOf((await response.json()) as { days: { date: string; slots: string[] }[] }, monday);

    // For everyone else the booking blocks 09:30–11:00 and a slot needs its own buffers free too: only 11:30 is left.
    expect(await slotsFrom(await call('move-host', 'move', query))).toEqual([z('02:30', monday)]);

    // Its guest may move it half an hour either way: all six (the manage page hides its current start).
    const mine = await call('move-host', 'move', `${query}&reschedule=${moving.uid}`, token);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    expect(await slotsFrom(mine)).toEqual(['00:00', '00:30', '01:00', '01:30', '02:00', '02:30'].map((t) => z(t, monday)));

    // Another booking (11:30, blocking 11:00–12:30) still blocks as usual.
    await book(page, `${monday}T02:30:00Z`);
    expect(await slotsFrom(await call('move-host', 'move', `${query}&reschedule=${moving.uid}`, token))).toEqual(['00:00', '00:30', '01:00'].map((t) => z(t, monday)));

    expect((await call('move-host', 'move', `${query}&reschedule=${moving.uid}`, 'wrong')).status).toBe(404);
    expect((await call('move-host', 'move', `${query}&reschedule=${moving.uid}`)).status).toBe(404);
    await db.update(bookings).set({ status: 'cancelled' }).where(eq(bookings.id, moving.id));
    expect((await call('move-host', 'move', `${query}&reschedule=${moving.uid}`, token)).status).toBe(404);
  });
});

describe('isSlotAvailable (inside the booking transaction)', () => {
  it('re-checks rules and live bookings; ignores the booking being rescheduled; counts the cap', async () => {
    const host = await makeHost('recheck');
    const page = await makePage(host.id, 'recheck', { maxBookingsPerDay: 2 });
    const db = await getDb();
    const at = (iso: string) => new Date(iso);
    const check = (start: string, opts?: { ignoreBookingId?: string }) => db.transaction((tx) => isSlotAvailable(tx, page, at(start), NOW, opts));

    expect(await check(`${MON}T00:00:00Z`)).toBe(true);
    expect(await check(`${MON}T00:30:00Z`)).toBe(false); // off the grid
    expect(await check(`${MON}T03:00:00Z`)).toBe(false); // outside the hours
    expect(await check('2029-12-31T00:00:00Z')).toBe(false); // in the past

    const first = await book(page, `${MON}T01:00:00Z`);
    expect(await check(`${MON}T01:00:00Z`)).toBe(false);
    // 02:00 touches the booking's end (01:00–02:00): fine
    expect(await check(`${MON}T02:00:00Z`)).toBe(true);
    expect(await check(`${MON}T01:00:00Z`, { ignoreBookingId: first.id })).toBe(true);

    await book(page, `${MON}T02:00:00Z`);
    // two bookings on Monday (Tokyo) → the cap is reached, 00:00 is gone too …
    expect(await check(`${MON}T00:00:00Z`)).toBe(false);
    // … unless one of them is the booking being moved
    expect(await check(`${MON}T00:00:00Z`, { ignoreBookingId: first.id })).toBe(true);
    expect(await check('2030-01-08T00:00:00Z')).toBe(true);

    // calendar busy handed in by the caller is respected
    expect(
      await db.transaction((tx) =>
        isSlotAvailable(tx, page, at('2030-01-08T00:00:00Z'), NOW, { calendarBusy: [{ start: at('2030-01-08T00:30:00Z'), end: at('2030-01-08T00:45:00Z') }] }),
      ),
    ).toBe(false);
  });
});

describe('loadPreviewSlots', () => {
  it('previews unsaved values against the host bookings', async () => {
    const host = await makeHost('preview');
    const page = await makePage(host.id, 'preview');
    await book(page, `${MON}T00:00:00Z`);
    const input = { ...page, weeklyHours: weekdays('09:00', '11:00') };
    const { body } = await loadPreviewSlots(host.id, page.id, input, NOW, { days: 7 });
    expect(body.timeZone).toBe('Asia/Tokyo');
    expect(body.days).toHaveLength(7);
    expect(slotsOf(body, MON)).toEqual([z('01:00', MON)]);
    expect(slotsOf(body, '2030-01-01')).toEqual([z('00:00', '2030-01-01'), z('01:00', '2030-01-01')]);
  });
});
