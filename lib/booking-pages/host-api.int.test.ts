import { describe, expect, it } from 'vitest';
import * as collection from '@/app/api/v1/booking-pages/route';
import * as item from '@/app/api/v1/booking-pages/[id]/route';
import { createApiToken, revokeApiToken } from '@/lib/api-tokens/mutations';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { env } from '@/lib/env';

/** Host API v1 for booking pages, through the real route handlers against the real database. */

async function makeHost(handle: string, options: { timeZone?: string; zoom?: boolean } = {}) {
  const db = await getDb();
  const [host] = await db
    .insert(users)
    .values({ email: `${handle}@example.com`, handle, timeZone: options.timeZone ?? 'Asia/Tokyo', name: handle })
    .returning();
  if (options.zoom) {
    await db.insert(zoomConnections).values({
      userId: host!.id,
      zoomUserId: `zoom-${handle}`,
      accessTokenEnc: 'x',
      refreshTokenEnc: 'x',
      accessTokenExpiresAt: new Date(Date.now() + 3600_000),
    });
  }
  const { token, id: tokenId } = await createApiToken(host!.id, 'test');
  return { id: host!.id, handle, token, tokenId };
}

const BASE = 'http://localhost/api/v1/booking-pages';
const req = (method: string, token: string | null, body?: unknown, url = BASE) =>
  new Request(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };
type PageBody = { bookingPage: Record<string, unknown> & { id: string; slug: string; publicUrl: string } };

const minimal = { slug: 'intro', title: 'Intro call', durationMinutes: 30 };

const full = {
  slug: 'Consultation',
  title: 'Consultation',
  description: 'Sixty minutes.',
  durationMinutes: 60,
  location: { type: 'in_person', address: '1-1 Chiyoda, Tokyo' },
  timeZone: 'Europe/Berlin',
  weeklyHours: {
    mon: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    tue: [],
    wed: [{ start: '10:00', end: '16:00' }],
    thu: [],
    fri: [],
    sat: [],
    sun: [],
  },
  dateOverrides: [
    { date: '2030-01-02', intervals: [] },
    { date: '2030-01-01', intervals: [{ start: '10:00', end: '11:00' }] },
  ],
  bufferBeforeMinutes: 10,
  bufferAfterMinutes: 15,
  minimumNoticeMinutes: 120,
  bookingWindowDays: 30,
  slotIntervalMinutes: 15,
  maxBookingsPerDay: 3,
  questions: [
    { id: 'company', label: 'Company', type: 'text', required: true },
    { id: 'topic', label: 'Topic', type: 'select', required: false, options: ['Sales', 'Support'] },
  ],
  published: false,
  registerGuests: false,
  shareRecordingWithGuest: false,
  reminders: [
    { to: 'guest', minutesBefore: 2880 },
    { to: 'host', minutesBefore: 15 },
  ],
  followUp: { message: 'Danke!', noShow: 'sorry' },
};

describe('host API v1: /api/v1/booking-pages', () => {
  it('answers 401 without a token, with a bad token and with a revoked token', async () => {
    const host = await makeHost('api-auth');
    for (const token of [null, 'garbage', `aki_${'x'.repeat(43)}`]) {
      const res = await collection.GET(req('GET', token));
      expect(res.status).toBe(401);
      expect(((await res.json()) as ErrorBody).error.code).toBe('unauthorized');
    }
    expect((await collection.GET(req('GET', host.token))).status).toBe(200);
    await revokeApiToken(host.id, host.tokenId);
    expect((await collection.GET(req('GET', host.token))).status).toBe(401);
    expect((await collection.POST(req('POST', host.token, minimal))).status).toBe(401);
    expect((await item.GET(req('GET', host.token), ctx('whatever'))).status).toBe(401);
  });

  it('creates with host defaults, then reads, patches and deletes (round trip)', async () => {
    const host = await makeHost('api-trip', { timeZone: 'America/New_York', zoom: true });
    const created = await collection.POST(req('POST', host.token, minimal));
    expect(created.status).toBe(201);
    const { bookingPage: page } = (await created.json()) as PageBody;
    expect(created.headers.get('location')).toBe(`/api/v1/booking-pages/${page.id}`);
    expect(page).toMatchObject({
      slug: 'intro',
      title: 'Intro call',
      durationMinutes: 30,
      timeZone: 'America/New_York',
      location: { type: 'zoom' },
      weeklyHours: { mon: [{ start: '09:00', end: '17:00' }], sat: [], sun: [] },
      dateOverrides: [],
      bufferBeforeMinutes: 0,
      slotIntervalMinutes: null,
      maxBookingsPerDay: null,
      questions: [],
      published: true,
      publicUrl: `${env().appUrl}/api-trip/intro`,
    });
    expect(Date.parse(page.createdAt as string)).not.toBeNaN();

    const list = (await (await collection.GET(req('GET', host.token))).json()) as { bookingPages: { id: string }[] };
    expect(list.bookingPages.map((p) => p.id)).toEqual([page.id]);

    const got = await item.GET(req('GET', host.token), ctx(page.id));
    expect(((await got.json()) as PageBody).bookingPage).toEqual(page);

    const patched = await item.PATCH(req('PATCH', host.token, { title: 'First call', durationMinutes: 45, published: false }), ctx(page.id));
    expect(patched.status).toBe(200);
    const after = ((await patched.json()) as PageBody).bookingPage;
    expect(after).toMatchObject({ id: page.id, title: 'First call', durationMinutes: 45, published: false, slug: 'intro', location: { type: 'zoom' } });
    expect(after.updatedAt).not.toBe(page.updatedAt);

    // Echoing a GET body back (with id/publicUrl/timestamps) is accepted; those fields are ignored.
    const echoed = await item.PATCH(req('PATCH', host.token, { ...after, id: 'other', title: 'Echo' }), ctx(page.id));
    expect(((await echoed.json()) as PageBody).bookingPage).toMatchObject({ id: page.id, title: 'Echo' });

    const deleted = await item.DELETE(req('DELETE', host.token), ctx(page.id));
    expect(deleted.status).toBe(204);
    expect((await item.GET(req('GET', host.token), ctx(page.id))).status).toBe(404);
    expect((await item.DELETE(req('DELETE', host.token), ctx(page.id))).status).toBe(404);
  });

  it('stores every field of a full body as given (slug lower-cased, overrides sorted)', async () => {
    const host = await makeHost('api-full');
    const res = await collection.POST(req('POST', host.token, full));
    expect(res.status).toBe(201);
    const { bookingPage } = (await res.json()) as PageBody;
    const { id, publicUrl, createdAt, updatedAt, ...fields } = bookingPage;
    // A body with hours of its own uses them: no shared schedule.
    expect(fields).toEqual({ ...full, slug: 'consultation', dateOverrides: [full.dateOverrides[1], full.dateOverrides[0]], scheduleId: null });
    expect(publicUrl).toBe(`${env().appUrl}/api-full/consultation`);
  });

  it('keeps the Zoom page options (register guests, share the recording) on Zoom pages only, off by default', async () => {
    const host = await makeHost('api-zoom-options', { zoom: true });
    const zoomPage = await collection.POST(req('POST', host.token, { ...minimal, registerGuests: true, shareRecordingWithGuest: true }));
    expect(zoomPage.status).toBe(201);
    const { bookingPage: page } = (await zoomPage.json()) as PageBody;
    expect(page).toMatchObject({ location: { type: 'zoom' }, registerGuests: true, shareRecordingWithGuest: true });
    const off = await item.PATCH(req('PATCH', host.token, { shareRecordingWithGuest: false }), ctx(page.id));
    expect(((await off.json()) as PageBody).bookingPage).toMatchObject({ registerGuests: true, shareRecordingWithGuest: false });
    // Meaningless elsewhere: a phone page stores them off whatever was sent.
    const moved = await item.PATCH(req('PATCH', host.token, { location: { type: 'phone' }, registerGuests: true }), ctx(page.id));
    expect(((await moved.json()) as PageBody).bookingPage).toMatchObject({ location: { type: 'phone' }, registerGuests: false, shareRecordingWithGuest: false });
    const plain = await collection.POST(req('POST', host.token, { ...minimal, slug: 'plain' }));
    expect(((await plain.json()) as PageBody).bookingPage).toMatchObject({ registerGuests: false, shareRecordingWithGuest: false });
    const bad = await collection.POST(req('POST', host.token, { ...minimal, slug: 'bad', registerGuests: 'yes' }));
    expect(bad.status).toBe(422);
    expect(Object.keys(((await bad.json()) as ErrorBody & { error: { fields: Record<string, string> } }).error.fields)).toEqual(['registerGuests']);
  });

  it('defaults the location to phone when Zoom is not linked', async () => {
    const host = await makeHost('api-phone', { timeZone: 'Asia/Kathmandu' });
    const res = await collection.POST(req('POST', host.token, minimal));
    expect(((await res.json()) as PageBody).bookingPage).toMatchObject({ location: { type: 'phone' }, timeZone: 'Asia/Kathmandu' });
  });

  it("answers 404 (never 403) for another host's page and leaves it untouched", async () => {
    const owner = await makeHost('api-owner');
    const intruder = await makeHost('api-intruder');
    const { bookingPage } = (await (await collection.POST(req('POST', owner.token, minimal))).json()) as PageBody;

    for (const res of [
      await item.GET(req('GET', intruder.token), ctx(bookingPage.id)),
      await item.PATCH(req('PATCH', intruder.token, { title: 'Mine now' }), ctx(bookingPage.id)),
      await item.PATCH(req('PATCH', intruder.token, 'not json'), ctx(bookingPage.id)),
      await item.DELETE(req('DELETE', intruder.token), ctx(bookingPage.id)),
    ]) {
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error.code).toBe('not_found');
    }
    const list = (await (await collection.GET(req('GET', intruder.token))).json()) as { bookingPages: unknown[] };
    expect(list.bookingPages).toEqual([]);
    const still = (await (await item.GET(req('GET', owner.token), ctx(bookingPage.id))).json()) as PageBody;
    expect(still.bookingPage.title).toBe('Intro call');
  });

  it('answers 422 with field errors for garbage', async () => {
    const host = await makeHost('api-garbage');
    const cases: [unknown, Record<string, string>][] = [
      [{ ...minimal, slug: 'Not a slug!' }, { slug: 'slug_format' }],
      [{ ...minimal, slug: 'settings' }, { slug: 'slug_reserved' }],
      [{ ...minimal, timeZone: 'Mars/Olympus_Mons' }, { timeZone: 'time_zone' }],
      [{ ...minimal, weeklyHours: { mon: [{ start: '17:00', end: '09:00' }] } }, { 'weeklyHours.mon.0.end': 'end_before_start' }],
      [
        {
          ...minimal,
          weeklyHours: {
            tue: [
              { start: '09:00', end: '12:00' },
              { start: '11:00', end: '13:00' },
            ],
          },
        },
        { 'weeklyHours.tue.1.start': 'overlapping_windows' },
      ],
      [{ ...minimal, weeklyHours: { wed: [{ start: '9am', end: '10:00' }] } }, { 'weeklyHours.wed.0.start': 'time_format' }],
      [{ ...minimal, location: { type: 'link', url: 'javascript:alert(1)' } }, { 'location.url': 'url_format' }],
      [{ ...minimal, questions: [{ id: 'topic', label: 'Topic', type: 'select', options: [] }] }, { 'questions.0.options': 'options_required' }],
    ];
    for (const [body, fields] of cases) {
      const res = await collection.POST(req('POST', host.token, body));
      expect(res.status, JSON.stringify(body)).toBe(422);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code).toBe('invalid_input');
      expect(error.fields).toMatchObject(fields);
    }
    for (const body of ['{', '[]', 'null', { durationMinutes: 'thirty' }]) {
      const res = await collection.POST(req('POST', host.token, body));
      expect(res.status).toBe(422);
      expect(((await res.json()) as ErrorBody).error.code).toBe('invalid_input');
    }
    const missing = (await (await collection.POST(req('POST', host.token, {}))).json()) as ErrorBody;
    expect(Object.keys(missing.error.fields ?? {})).toEqual(expect.arrayContaining(['slug', 'title', 'durationMinutes']));
    const list = (await (await collection.GET(req('GET', host.token))).json()) as { bookingPages: unknown[] };
    expect(list.bookingPages).toEqual([]);

    // PATCH validates the merged page too
    const { bookingPage } = (await (await collection.POST(req('POST', host.token, minimal))).json()) as PageBody;
    const bad = await item.PATCH(req('PATCH', host.token, { weeklyHours: { mon: [{ start: '10:00', end: '10:00' }] } }), ctx(bookingPage.id));
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as ErrorBody).error.fields).toMatchObject({ 'weeklyHours.mon.0.end': 'end_before_start' });
  });

  it('refuses a slug the host already uses (slug_taken), while another host may use it', async () => {
    const host = await makeHost('api-slug');
    const other = await makeHost('api-slug-other');
    expect((await collection.POST(req('POST', host.token, minimal))).status).toBe(201);
    const second = (await (await collection.POST(req('POST', host.token, { ...minimal, slug: 'second' }))).json()) as PageBody;

    const dup = await collection.POST(req('POST', host.token, { ...minimal, slug: 'INTRO' }));
    expect(dup.status).toBe(422);
    expect(((await dup.json()) as ErrorBody).error).toMatchObject({ code: 'invalid_input', fields: { slug: 'slug_taken' } });

    const renamed = await item.PATCH(req('PATCH', host.token, { slug: 'intro' }), ctx(second.bookingPage.id));
    expect(renamed.status).toBe(422);
    expect(((await renamed.json()) as ErrorBody).error.fields).toEqual({ slug: 'slug_taken' });

    expect((await collection.POST(req('POST', other.token, minimal))).status).toBe(201);
  });
});
