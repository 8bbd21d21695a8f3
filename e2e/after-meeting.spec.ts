import { type APIRequestContext, expect, test } from '@playwright/test';
import { newHost, uniqueEmail } from './fixtures';
import { createTokyoHostWithZoomPage, dateInZone } from './helpers/guest';

/**
 * Issue 11, what the host sees after the meeting: a Tokyo host with Zoom linked (the real Connect flow
 * against the in-app emulator) gets a booking on a Zoom page; the emulator then simulates the meeting
 * being held (host, the guest who dropped and rejoined, an unknown phone caller; recording with a
 * transcript; signed webhooks); the host opens the booking's page and sees the timeline, the
 * attendance and the recording, in Japanese and English, on a phone-sized screen.
 */

type SlotsBody = { days: { date: string; slots: string[] }[] };
type Detail = {
  booking: {
    uid: string;
    meeting: { id: string | null; status: string } | null;
    attendance: { status: string; guest: { joins: number; matchedBy: string | null } | null; participants: { role: string }[] };
    recordings: { fileType: string }[];
  };
};

const TEXT = {
  en: { joined: 'joined', attended: 'Attended', recordings: 'Recordings', matched: 'Matched by email', search: 'Search the transcript', deleted: 'deleted in Zoom' },
  ja: { joined: '参加', attended: '出席', recordings: '録画', matched: 'メールアドレスで照合', search: '文字起こしを検索', deleted: 'Zoom 上で削除' },
} as const;

async function firstSlot(request: APIRequestContext, handle: string, slug: string): Promise<string> {
  const from = dateInZone('Asia/Tokyo', 1);
  const to = dateInZone('Asia/Tokyo', 8);
  const response = await request.get(`/api/public/pages/${handle}/${slug}/slots?from=${from}&to=${to}&timeZone=Asia/Tokyo`);
  expect(response.ok()).toBe(true);
  const slot = ((await response.json()) as SlotsBody).days.flatMap((d) => d.slots)[0];
  if (!slot) throw new Error('no free slot');
  return slot;
}

async function detail(request: APIRequestContext, token: string, uid: string): Promise<Detail['booking']> {
  const response = await request.get(`/api/v1/bookings/${uid}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as Detail).booking;
}

test('after a simulated Zoom meeting the host sees timeline, attendance and recording (ja and en)', async ({ browser, page, request }, testInfo) => {
  test.setTimeout(180_000);
  const host = await createTokyoHostWithZoomPage(page, request, { name: 'After Host', questions: [], page: { shareRecordingWithGuest: true } });
  const guestEmail = uniqueEmail('after-guest');

  // The guest books through the public API (the booking UI has its own spec).
  const start = await firstSlot(request, host.handle, host.slug);
  const booked = await request.post(`/api/public/pages/${host.handle}/${host.slug}/bookings`, {
    data: { start, name: 'Hanako Yamada', email: guestEmail, timeZone: 'Europe/Berlin', locale: 'en' },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  const { uid } = ((await booked.json()) as { booking: { uid: string } }).booking;

  // The Zoom meeting exists (created inline or by the worker).
  let meetingId = '';
  await expect(async () => {
    const b = await detail(request, host.apiToken, uid);
    expect(b.meeting?.id).toBeTruthy();
    meetingId = b.meeting!.id!;
  }).toPass({ timeout: 60_000 });

  // Zoom holds the meeting: the host, the guest twice (dropped and rejoined), an unknown caller.
  const at = (minutes: number) => new Date(Date.parse(start) + minutes * 60_000).toISOString();
  const simulated = await request.post(`/api/emulators/zoom/__control/meetings/${meetingId}/simulate`, {
    data: {
      participants: [
        { name: 'After Host', host: true, joinAt: at(0), leaveAt: at(31) },
        { name: 'Hanako Yamada', email: guestEmail, joinAt: at(2), leaveAt: at(10) },
        { name: 'Hanako Yamada', email: guestEmail, joinAt: at(14), leaveAt: at(31) },
        { name: 'iPhone', joinAt: at(5), leaveAt: at(6) },
      ],
      end: true,
      recording: true,
      transcript: true,
      deliverWebhooks: true,
    },
  });
  expect(simulated.ok(), await simulated.text()).toBe(true);

  // The worker turns the webhooks into facts and a verdict.
  await expect(async () => {
    const b = await detail(request, host.apiToken, uid);
    expect(b.meeting?.status).toBe('ended');
    expect(b.attendance.status).toBe('attended');
    expect(b.attendance.guest).toMatchObject({ joins: 2, matchedBy: 'email' });
    expect(b.attendance.participants.filter((p) => p.role === 'guest')).toHaveLength(2);
    expect(b.recordings.length).toBeGreaterThan(0);
  }).toPass({ timeout: 90_000, intervals: [1000, 2000, 3000] });

  for (const locale of ['ja', 'en'] as const) {
    const text = TEXT[locale];
    // A signed-in host's pages speak the language saved in their profile.
    await page.goto('/settings/profile');
    await page.locator('select[name="locale"]').selectOption(locale);
    await page.locator('form:has(select[name="locale"]) button[type="submit"]').click();
    await expect(async () => {
      await page.reload();
      await expect(page.locator('html')).toHaveAttribute('lang', locale, { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    const cookies = await page.context().cookies();
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: locale === 'ja' ? 'ja-JP' : 'en-US',
      timezoneId: 'Asia/Tokyo',
    });
    await context.addCookies([...cookies, { name: 'aki_locale', value: locale, url: testInfo.project.use.baseURL ?? 'http://localhost:3111' }]);
    const phone = await context.newPage();

    // The list links to the booking (past once the meeting is over; the scheduled time may still be ahead).
    await phone.goto('/bookings');
    await phone.locator(`[data-uid="${uid}"]`).getByTestId('host-booking-details').click();
    await expect(phone).toHaveURL(new RegExp(`/bookings/${uid}$`));

    const timeline = phone.getByTestId('timeline');
    await expect(timeline.locator('[data-kind="started"]')).toHaveCount(1);
    await expect(timeline.locator('[data-kind="joined"]').filter({ hasText: 'Hanako Yamada' })).toHaveCount(2);
    await expect(timeline.locator('[data-kind="joined"]').first()).toContainText(text.joined);
    await expect(timeline.locator('[data-kind="ended"]')).toHaveCount(1);
    await expect(timeline.locator('[data-kind="recording_ready"]')).toHaveCount(1);

    const attendance = phone.getByTestId('attendance');
    await expect(attendance.getByTestId('attendance-badge')).toHaveText(text.attended);
    await expect(attendance.getByTestId('attendance-joins')).toHaveText('2');
    await expect(attendance.getByTestId('attendance-matched-by')).toHaveText(text.matched);
    await expect(attendance.locator('[data-testid="participant-row"][data-role="guest"]')).toHaveCount(2);
    await expect(attendance.getByTestId('unmatched')).toContainText('iPhone');

    const recordings = phone.getByTestId('recordings');
    await expect(recordings.getByRole('heading', { name: text.recordings })).toBeVisible();
    await expect(recordings.getByTestId('recording-row').first()).toBeVisible();
    await expect(recordings).not.toContainText('download');
    const transcript = phone.getByTestId('transcript').first();
    if (await phone.getByTestId('transcript-search').count()) {
      await expect(transcript.getByText(text.search)).toBeVisible();
    }
    // The applied webhook steps are one row, not one per event.
    await expect(phone.getByTestId('applied-events')).toContainText(/meeting\.event × \d+/);
    // Nothing spills sideways on a phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: testInfo.outputPath(`after-meeting-${locale}.png`), fullPage: true });
    await context.close();
  }

  // The correction is the host's own, kept apart from the measured verdict.
  await page.goto(`/bookings/${uid}`);
  await page.getByTestId('attendance').locator('summary').click();
  await page.getByTestId('override-verdict').selectOption('guest_no_show');
  await page.getByTestId('override-note').fill('Camera off, never spoke');
  await page.getByTestId('override-save').click();
  await expect(page.getByTestId('attendance-override')).toContainText('Camera off, never spoke');
  await expect(page.getByTestId('attendance-measured')).toHaveAttribute('data-state', 'attended');
  await expect(page.getByTestId('attendance-badge')).toHaveAttribute('data-state', 'guest_no_show');
  const b = await detail(request, host.apiToken, uid);
  expect(b.attendance.status).toBe('attended');
  expect((b.attendance as unknown as { override: { status: string } }).override.status).toBe('guest_no_show');
});

test('the booking page of another host is not found', async ({ page, request }) => {
  test.setTimeout(180_000);
  const owner = await createTokyoHostWithZoomPage(page, request, { name: 'Owner Host', questions: [] });
  const start = await firstSlot(request, owner.handle, owner.slug);
  const booked = await request.post(`/api/public/pages/${owner.handle}/${owner.slug}/bookings`, {
    data: { start, name: 'Guest', email: uniqueEmail('g'), timeZone: 'Asia/Tokyo' },
  });
  expect(booked.status()).toBe(201);
  const { uid } = ((await booked.json()) as { booking: { uid: string } }).booking;
  await page.goto(`/bookings/${uid}`);
  await expect(page.getByTestId('booking-detail')).toBeVisible();

  // Another host signed in on a fresh context sees the not-found page, as for an unknown uid.
  await page.context().clearCookies();
  await newHost(page, { prefix: 'other' });
  for (const target of [uid, 'no-such-booking']) {
    const response = await page.goto(`/bookings/${target}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId('booking-detail')).toHaveCount(0);
  }
});
