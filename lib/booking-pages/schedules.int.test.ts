import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as bookingRoute from '@/app/api/public/pages/[host]/[page]/bookings/route';
import * as pageCollection from '@/app/api/v1/booking-pages/route';
import * as pageItem from '@/app/api/v1/booking-pages/[id]/route';
import * as collection from '@/app/api/v1/schedules/route';
import * as item from '@/app/api/v1/schedules/[id]/route';
import { createApiToken } from '@/lib/api-tokens/mutations';
import { addCalendarDays, todayIn, weekdayOf } from '@/lib/availability/time-zone';
import { loadPublicSlots } from '@/lib/bookings/slots';
import { getDb } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { users } from '@/lib/db/schema/hosts';
import { effectiveRulesOf } from './schedules';

/**
 * Shared availability schedules through the real host API v1 route handlers and the real slot path:
 * CRUD, other hosts' ids, pages picking a schedule, slots following schedule edits at once, and
 * deleting a schedule leaving its pages with the same slots.
 */

async function makeHost(handle: string, locale: 'ja' | 'en' = 'en') {
  const db = await getDb();
  const [host] = await db.insert(users).values({ email: `${handle}@example.com`, handle, timeZone: 'Asia/Tokyo', name: handle, locale }).returning();
  const { token } = await createApiToken(host!.id, 'test');
  return { id: host!.id, handle, token };
}

const req = (method: string, token: string, body?: unknown, url = 'http://localhost/api/v1/x') =>
  new Request(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

type ScheduleBody = { schedule: { id: string; name: string; timeZone: string; weeklyHours: Record<string, unknown>; bookingPageIds: string[] } };
type PageBody = { bookingPage: { id: string; scheduleId: string | null; weeklyHours: Record<string, unknown> } };
type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

const evenings = { mon: [{ start: '18:00', end: '21:00' }] };
/** The next Monday at least two days ahead in Tokyo (so minimum notice never hides a slot). */
function nextMonday(): string {
  let date = addCalendarDays(todayIn('Asia/Tokyo', new Date()), 2);
  while (weekdayOf(date) !== 'mon') date = addCalendarDays(date, 1);
  return date;
}
const tokyo = (date: string, time: string) => new Date(`${date}T${time}:00+09:00`).toISOString();

async function slotsOf(handle: string, slug: string, date: string): Promise<string[]> {
  const { body } = await loadPublicSlots({ handle, slug, from: date, to: date, timeZone: 'Asia/Tokyo', now: new Date() });
  return body.days.flatMap((d) => d.slots);
}

async function createPage(token: string, body: Record<string, unknown>) {
  const res = await pageCollection.POST(req('POST', token, { title: 'Call', durationMinutes: 60, minimumNoticeMinutes: 0, ...body }));
  return { status: res.status, json: (await res.json()) as PageBody & ErrorBody };
}

describe('availability schedules', () => {
  it('host API v1: create with defaults, list, read, patch, validate like page hours, delete; other hosts get 404', async () => {
    const host = await makeHost('sched-crud');
    const other = await makeHost('sched-other');

    const created = await collection.POST(req('POST', host.token, { name: 'Evenings', weeklyHours: evenings }));
    expect(created.status).toBe(201);
    const { schedule } = (await created.json()) as ScheduleBody;
    expect(created.headers.get('location')).toBe(`/api/v1/schedules/${schedule.id}`);
    expect(schedule).toMatchObject({ name: 'Evenings', timeZone: 'Asia/Tokyo', weeklyHours: { mon: evenings.mon, tue: [] }, dateOverrides: [], bookingPageIds: [] });

    const list = (await (await collection.GET(req('GET', host.token))).json()) as { schedules: { id: string }[] };
    expect(list.schedules.map((s) => s.id)).toEqual([schedule.id]);
    expect(((await (await collection.GET(req('GET', other.token))).json()) as { schedules: unknown[] }).schedules).toEqual([]);
    expect(((await (await item.GET(req('GET', host.token), ctx(schedule.id))).json()) as ScheduleBody).schedule).toEqual(schedule);

    const patched = await item.PATCH(req('PATCH', host.token, { name: 'Late evenings', dateOverrides: [{ date: '2030-01-07', intervals: [] }] }), ctx(schedule.id));
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as ScheduleBody).schedule).toMatchObject({ name: 'Late evenings', weeklyHours: { mon: evenings.mon }, dateOverrides: [{ date: '2030-01-07', intervals: [] }] });

    // The same validation as a page's hours, as 422 field errors.
    const bad = await item.PATCH(req('PATCH', host.token, { weeklyHours: { mon: [{ start: '18:00', end: '17:00' }] }, timeZone: 'Mars/Olympus', name: '' }), ctx(schedule.id));
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as ErrorBody).error.fields).toMatchObject({ 'weeklyHours.mon.0.end': 'end_before_start', timeZone: 'time_zone', name: expect.any(String) });
    const badCreate = await collection.POST(req('POST', host.token, { name: 'Twice', dateOverrides: [{ date: '2030-01-07', intervals: [] }, { date: '2030-01-07', intervals: [] }] }));
    expect(badCreate.status).toBe(422);
    expect(((await badCreate.json()) as ErrorBody).error.fields).toMatchObject({ 'dateOverrides.1.date': 'duplicate_date' });

    // Another host's id is not found, whatever they send; nothing changes.
    expect((await item.GET(req('GET', other.token), ctx(schedule.id))).status).toBe(404);
    expect((await item.PATCH(req('PATCH', other.token, { name: 'Mine' }), ctx(schedule.id))).status).toBe(404);
    expect((await item.DELETE(req('DELETE', other.token), ctx(schedule.id))).status).toBe(404);
    const [row] = await (await getDb()).select().from(availabilitySchedules).where(eq(availabilitySchedules.id, schedule.id));
    expect(row?.name).toBe('Late evenings');

    expect((await item.DELETE(req('DELETE', host.token), ctx(schedule.id))).status).toBe(204);
    expect((await item.GET(req('GET', host.token), ctx(schedule.id))).status).toBe(404);
    expect((await item.DELETE(req('DELETE', host.token), ctx(schedule.id))).status).toBe(404);
  });

  it("pages take a schedule of their host only (422 for another host's or an unknown id); a page without hours gets the first schedule", async () => {
    const host = await makeHost('sched-pages', 'ja');
    const other = await makeHost('sched-pages-other');
    const { schedule: theirs } = (await (await collection.POST(req('POST', other.token, { name: 'Theirs' }))).json()) as ScheduleBody;

    for (const scheduleId of [theirs.id, 'no-such-schedule']) {
      const refused = await createPage(host.token, { slug: 'refused', scheduleId });
      expect(refused.status).toBe(422);
      expect(refused.json.error.fields).toEqual({ scheduleId: 'schedule_not_found' });
    }

    // No hours, no schedule: the host's first schedule, made now in their language.
    const plain = await createPage(host.token, { slug: 'plain' });
    expect(plain.status).toBe(201);
    const [first] = await (await getDb()).select().from(availabilitySchedules).where(eq(availabilitySchedules.userId, host.id));
    expect(first).toMatchObject({ name: '勤務時間', timeZone: 'Asia/Tokyo' });
    expect(plain.json.bookingPage.scheduleId).toBe(first!.id);

    // Hours of its own: the page uses them.
    const own = await createPage(host.token, { slug: 'own', weeklyHours: { tue: [{ start: '10:00', end: '12:00' }] } });
    expect(own.json.bookingPage.scheduleId).toBeNull();
    // Moving it onto the schedule, then sending hours again switches it back to its own.
    const moved = await pageItem.PATCH(req('PATCH', host.token, { scheduleId: first!.id }), ctx(own.json.bookingPage.id));
    expect(((await moved.json()) as PageBody).bookingPage.scheduleId).toBe(first!.id);
    const refusedPatch = await pageItem.PATCH(req('PATCH', host.token, { scheduleId: theirs.id }), ctx(own.json.bookingPage.id));
    expect(refusedPatch.status).toBe(422);
    const back = await pageItem.PATCH(req('PATCH', host.token, { weeklyHours: { wed: [{ start: '10:00', end: '12:00' }] } }), ctx(own.json.bookingPage.id));
    expect(((await back.json()) as PageBody).bookingPage).toMatchObject({ scheduleId: null, weeklyHours: { wed: [{ start: '10:00', end: '12:00' }] } });

    // The editor preview resolves the same way.
    const page = { timeZone: 'UTC', weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, dateOverrides: [], scheduleId: first!.id };
    expect(await effectiveRulesOf(host.id, page)).toMatchObject({ timeZone: 'Asia/Tokyo', weeklyHours: { mon: [{ start: '09:00', end: '17:00' }] } });
    await expect(effectiveRulesOf(other.id, page)).rejects.toMatchObject({ code: 'invalid_input', details: { fields: { scheduleId: 'schedule_not_found' } } });
  });

  it("pages using a schedule offer its slots, follow its edits at once and keep them when it is deleted; the booking re-check uses the schedule's hours", async () => {
    const host = await makeHost('sched-slots');
    const { schedule } = (await (await collection.POST(req('POST', host.token, { name: 'Evenings', weeklyHours: evenings }))).json()) as ScheduleBody;
    // Both pages have office hours of their own; the schedule replaces them.
    const office = { mon: [{ start: '09:00', end: '12:00' }] };
    const a = await createPage(host.token, { slug: 'a', weeklyHours: office, scheduleId: schedule.id });
    const b = await createPage(host.token, { slug: 'b', weeklyHours: office, scheduleId: schedule.id });
    expect([a.status, b.status]).toEqual([201, 201]);
    const monday = nextMonday();

    const eveningSlots = [tokyo(monday, '18:00'), tokyo(monday, '19:00'), tokyo(monday, '20:00')];
    expect(await slotsOf(host.handle, 'a', monday)).toEqual(eveningSlots);
    expect(await slotsOf(host.handle, 'b', monday)).toEqual(eveningSlots);
    const used = ((await (await item.GET(req('GET', host.token), ctx(schedule.id))).json()) as ScheduleBody).schedule.bookingPageIds;
    expect(used.sort()).toEqual([a.json.bookingPage.id, b.json.bookingPage.id].sort());

    // An edit shows on every page using the schedule at once (the one-second caches are dropped).
    await item.PATCH(req('PATCH', host.token, { weeklyHours: { mon: [{ start: '19:00', end: '22:00' }] } }), ctx(schedule.id));
    const later = [tokyo(monday, '19:00'), tokyo(monday, '20:00'), tokyo(monday, '21:00')];
    expect(await slotsOf(host.handle, 'a', monday)).toEqual(later);
    expect(await slotsOf(host.handle, 'b', monday)).toEqual(later);

    // The booking transaction re-checks against the schedule: its slot books, the page's own 09:00 does not.
    const book = (start: string) =>
      bookingRoute.POST(
        new Request(`http://localhost/api/public/pages/${host.handle}/a/bookings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ start, name: 'Guest', email: 'guest@example.com', timeZone: 'Asia/Tokyo' }),
        }),
        { params: Promise.resolve({ host: host.handle, page: 'a' }) },
      );
    expect((await book(tokyo(monday, '09:00'))).status).toBe(409);
    expect((await book(tokyo(monday, '19:00'))).status).toBe(201);
    expect(await slotsOf(host.handle, 'b', monday)).toEqual([tokyo(monday, '20:00'), tokyo(monday, '21:00')]);

    // Deleting the schedule: its pages get its hours as their own and offer the same slots.
    const beforeA = await slotsOf(host.handle, 'a', monday);
    expect((await item.DELETE(req('DELETE', host.token), ctx(schedule.id))).status).toBe(204);
    expect(await slotsOf(host.handle, 'a', monday)).toEqual(beforeA);
    expect(await slotsOf(host.handle, 'b', monday)).toEqual([tokyo(monday, '20:00'), tokyo(monday, '21:00')]);
    const pages = await (await getDb()).select().from(bookingPages).where(eq(bookingPages.userId, host.id));
    for (const page of pages) expect(page).toMatchObject({ scheduleId: null, timeZone: 'Asia/Tokyo', weeklyHours: { mon: [{ start: '19:00', end: '22:00' }], tue: [] } });
  });
});
