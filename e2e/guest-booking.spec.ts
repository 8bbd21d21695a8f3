import { expect, test } from '@playwright/test';
import { newHost, uniqueEmail } from './fixtures';
import { createApiToken, createPage, createTokyoHostWithZoomPage, dateInZone, pickFirstSlot, readMail } from './helpers/guest';

/**
 * Issue 5, guest side: a guest in New York books a Tokyo host's Zoom page, sees the join link,
 * both mails arrive, then cancels through the manage link; the host sees the booking and its steps.
 */

// The whole story (host setup, booking, two mails, cancel) takes longer than one page test.
test.describe.configure({ timeout: 240_000 });

const runs = [
  {
    locale: 'en',
    browserLocale: 'en-US',
    acceptLanguage: 'en-US,en;q=0.9',
    text: { heading: 'Select a date & time', booked: "You're booked", join: 'Join Zoom meeting', cancelled: 'Booking cancelled', mailSent: "We've sent the details to your email.", newYork: 'New York' },
    subject: { guest: /^Confirmed:/, host: /^New booking:/, guestRescheduled: /^Rescheduled:/, guestCancelled: /^Cancelled:/ },
  },
  {
    locale: 'ja',
    browserLocale: 'ja-JP',
    acceptLanguage: 'ja-JP,ja;q=0.9',
    text: { heading: '日時を選択', booked: '予約が確定しました', join: 'Zoomミーティングに参加', cancelled: 'キャンセル済みの予約', mailSent: '詳細をメールでお送りしました。', newYork: 'ニューヨーク' },
    subject: { guest: /^予約確定/, host: /^新しい予約/, guestRescheduled: /^日時変更/, guestCancelled: /^キャンセル/ },
  },
] as const;

for (const run of runs) {
  test.describe(`guest booking (${run.locale})`, () => {
    test.use({ locale: run.browserLocale, timezoneId: 'America/New_York', extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage } });

    test('a New York guest books a Tokyo host, gets the Zoom link and both mails, then cancels', async ({ browser, page, request }, testInfo) => {
      // The host (Tokyo), signed in on `page`.
      const host = await createTokyoHostWithZoomPage(page, request, { name: `Host <b>${run.locale}</b>` });

      // The guest: a separate browser context in America/New_York.
      const guestContext = await browser.newContext({
        locale: run.browserLocale,
        timezoneId: 'America/New_York',
        extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage },
      });
      const guest = await guestContext.newPage();
      const guestEmail = uniqueEmail(`guest-${run.locale}`);
      await guest.goto(`/${host.handle}/${host.slug}`);
      await expect(guest.getByTestId('host-name')).toHaveText(`Host <b>${run.locale}</b>`);
      await expect(guest.getByRole('heading', { name: run.text.heading })).toBeVisible();
      // The zone comes from the browser.
      await expect(guest.getByTestId('tz-button')).toContainText(run.text.newYork);
      const start = await pickFirstSlot(guest);
      await guest.screenshot({ path: testInfo.outputPath(`form-${run.locale}.png`), fullPage: true });

      // Required fields are checked inline before anything is sent.
      await guest.getByTestId('confirm').click();
      await expect(guest.getByTestId('error-name')).toBeVisible();
      await expect(guest.getByTestId('error-answers.company')).toBeVisible();

      await guest.locator('input[name="name"]').fill('Guest <script>alert(1)</script>');
      await guest.locator('input[name="email"]').fill(guestEmail);
      await guest.locator('[name="answers.company"]').fill('ACME & "Sons"');
      // A double click books once (button disabled + one idempotency key per form).
      await guest.getByTestId('confirm').dblclick();
      await guest.waitForURL(/\/booked\//);
      await expect(guest.getByTestId('confirmation')).toBeVisible();
      await expect(guest.getByRole('heading', { level: 1 })).toHaveText(run.text.booked);

      // Time in the guest's zone, and the host's.
      const guestWhen = new Intl.DateTimeFormat(run.browserLocale, { timeZone: 'America/New_York', day: 'numeric' }).format(new Date(start));
      await expect(guest.getByTestId('confirmation-when')).toContainText(guestWhen);
      await expect(guest.getByTestId('confirmation-host-when')).toBeVisible();

      // The Zoom join link (created inline, or after a short poll).
      const join = guest.getByTestId('join-link');
      await expect(join).toBeVisible({ timeout: 45_000 });
      await expect(join).toHaveText(run.text.join);
      const joinUrl = await join.getAttribute('href');
      expect(joinUrl).toMatch(/^https?:\/\//);
      await expect(guest.getByTestId('add-google')).toHaveAttribute('href', /calendar\.google\.com/);
      const ics = await guest.request.get((await guest.getByTestId('download-ics').getAttribute('href'))!);
      expect(ics.status()).toBe(200);
      expect(await ics.text()).toContain('BEGIN:VCALENDAR');
      // The page says the mail was sent only once it was (the in-process worker sends it within seconds).
      await expect(guest.getByTestId('guest-mail')).toHaveAttribute('data-state', 'sent', { timeout: 45_000 });
      await expect(guest.getByTestId('guest-mail')).toHaveText(run.text.mailSent);
      await guest.screenshot({ path: testInfo.outputPath(`confirmation-${run.locale}.png`), fullPage: true });

      // Both mails arrive (demo mailbox); the guest's carries the join link, never a start link.
      const guestMail = await readMail(page, guestEmail, run.subject.guest);
      expect(guestMail).toContain(joinUrl!);
      expect(guestMail).not.toMatch(/zak=|\/s\/\d+/);
      const hostMail = await readMail(page, host.email, run.subject.host);
      expect(hostMail).toContain('ACME & "Sons"');

      // Exactly one booking despite the double click; the host sees its steps.
      await page.goto('/bookings');
      const cards = page.getByTestId('host-booking');
      await expect(cards).toHaveCount(1);
      await expect(cards.first().getByTestId('host-booking-guest')).toHaveText('Guest <script>alert(1)</script>');
      await expect(cards.first().getByTestId('step-meeting')).toHaveAttribute('data-state', 'created');
      await expect(cards.first().getByTestId('start-meeting')).toBeVisible();
      // The web server's own worker beats: no "is the worker running?" banner, health not degraded.
      await expect(page.getByTestId('worker-banner')).toHaveCount(0);
      const health = await (await request.get('/api/health')).json();
      expect(health).toMatchObject({ ok: true, degraded: [], worker: { workers: 1 } });
      await page.screenshot({ path: testInfo.outputPath(`host-bookings-${run.locale}.png`), fullPage: true });

      // Reschedule, then cancel, through the manage link.
      await guest.getByTestId('manage-link').click();
      await guest.waitForURL(/\/booking\//);
      const before = await guest.getByTestId('manage-when').textContent();
      await guest.getByTestId('manage-reschedule').click();
      const day = guest.locator('button[data-available="true"]').nth(1);
      await day.click();
      await guest.getByTestId('slot').first().click();
      await guest.screenshot({ path: testInfo.outputPath(`reschedule-${run.locale}.png`), fullPage: true });
      await guest.getByTestId('reschedule-submit').click();
      await expect(guest.getByTestId('manage-rescheduled')).toBeVisible();
      await expect(guest.getByTestId('manage-when')).not.toHaveText(before ?? '');
      await readMail(page, guestEmail, run.subject.guestRescheduled);
      await guest.getByTestId('manage-cancel').click();
      await guest.getByTestId('cancel-reason').fill('Something came up');
      await guest.getByTestId('cancel-confirm').click();
      await expect(guest.getByTestId('manage-cancelled')).toBeVisible();
      await expect(guest.getByRole('heading', { level: 1 })).toHaveText(run.text.cancelled);
      await readMail(page, guestEmail, run.subject.guestCancelled);

      // The slot is free again.
      await guest.goto(`/${host.handle}/${host.slug}`);
      await expect(guest.locator('[data-testid="booking-widget"] button[data-available="true"]').first()).toBeVisible();
      await guestContext.close();
    });
  });
}

test.describe('guest booking on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, timezoneId: 'America/New_York', locale: 'ja-JP', extraHTTPHeaders: { 'Accept-Language': 'ja' } });

  test('the picker, the searchable time-zone list and the form fit a 390×844 screen', async ({ page, request }, testInfo) => {
    const host = await createTokyoHostWithZoomPage(page, request, { name: 'Phone Host' });
    await page.goto(`/${host.handle}/${host.slug}`);
    // City names in the UI language (issue 14, defect 7)
    await expect(page.getByTestId('tz-button')).toContainText('ニューヨーク');
    // Search the zone list and switch to Tokyo.
    await page.getByTestId('tz-button').click();
    await page.getByTestId('tz-search').fill('東京');
    await expect(page.locator('[role="option"][data-zone="Asia/Tokyo"]')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('phone-tz-search.png') });
    await page.getByTestId('tz-search').press('Enter');
    await expect(page.getByTestId('tz-button')).toContainText('東京');
    // 24-hour clock by default in Japanese.
    await expect(page.getByTestId('clock-24')).toHaveAttribute('aria-pressed', 'true');
    await page.locator('[data-testid="booking-widget"] button[data-available="true"]').first().click();
    await expect(page.getByTestId('slot').first()).toHaveText(/^\d{2}:\d{2}$/);
    await page.screenshot({ path: testInfo.outputPath('phone-slots.png'), fullPage: true });
    // Nothing overflows horizontally.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByTestId('slot').first().click();
    await expect(page.getByTestId('booking-form')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('phone-form.png'), fullPage: true });
  });

  test('an unknown page answers with a friendly 404', async ({ page }) => {
    const response = await page.goto('/nobody-here/nothing');
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId('booking-not-found')).toBeVisible();
  });
});

test.describe('guest booking edge cases', () => {
  test.use({ locale: 'en-US', timezoneId: 'America/New_York', extraHTTPHeaders: { 'Accept-Language': 'en' } });

  test('a slot taken while the form is open → "just taken", fresh slots, and booking another works', async ({ browser, page, request }) => {
    const host = await createTokyoHostWithZoomPage(page, request, { name: 'Race Host' });
    const first = await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York' });
    const second = await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York' });
    const a = await first.newPage();
    const b = await second.newPage();
    await a.goto(`/${host.handle}/${host.slug}`);
    await b.goto(`/${host.handle}/${host.slug}`);
    const startA = await pickFirstSlot(a);
    const startB = await pickFirstSlot(b);
    expect(startB).toBe(startA);
    for (const [guest, name] of [
      [b, 'Second'],
      [a, 'First'],
    ] as const) {
      await guest.locator('input[name="name"]').fill(name);
      await guest.locator('input[name="email"]').fill(uniqueEmail(name.toLowerCase()));
      await guest.locator('[name="answers.company"]').fill('Co');
    }
    await b.getByTestId('confirm').click();
    await b.waitForURL(/\/booked\//);
    // The first guest confirms the same slot: a friendly message, back on the picker, the slot gone.
    await a.getByTestId('confirm').click();
    await expect(a.getByTestId('slot-taken')).toBeVisible();
    await expect(a.locator(`[data-testid="slot"][data-start="${startA}"]`)).toHaveCount(0);
    // The taken slot may have been its day's last (late evening in New York): pick from the first day still open.
    await pickFirstSlot(a);
    await a.getByTestId('confirm').click();
    await a.waitForURL(/\/booked\//);
    await first.close();
    await second.close();
  });

  test('the confirmation page and its .ics need the manage token: the friendly 404 without it or with a wrong one', async ({ browser, page, request }) => {
    const { handle } = await newHost(page, { name: 'Private Host', timeZone: 'Asia/Tokyo', prefix: 'private' });
    const apiToken = await createApiToken(page);
    const allDay = [{ start: '00:00', end: '24:00' }];
    await createPage(request, apiToken, {
      slug: 'private',
      title: 'Private call',
      location: { type: 'link', url: 'https://meet.example.com/secret-room' },
      weeklyHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
      minimumNoticeMinutes: 60,
    });
    const from = dateInZone('Asia/Tokyo', 1);
    const slots = await request.get(`/api/public/pages/${handle}/private/slots?from=${from}&to=${from}&timeZone=Asia/Tokyo`);
    const start = ((await slots.json()) as { days: { slots: string[] }[] }).days[0]!.slots[0]!;
    const booked = await request.post(`/api/public/pages/${handle}/private/bookings`, {
      data: { start, name: 'Secret Guest', email: uniqueEmail('secret'), timeZone: 'Asia/Tokyo', locale: 'en' },
    });
    expect(booked.status()).toBe(201);
    const { booking } = (await booked.json()) as { booking: { uid: string; manageUrl: string } };
    const token = new URL(booking.manageUrl).searchParams.get('token')!;
    const confirmation = `/${handle}/private/booked/${booking.uid}`;

    const stranger = await (await browser.newContext({ locale: 'en-US' })).newPage();
    for (const query of ['', '?token=wrong', `?token=${encodeURIComponent(token.slice(0, -2))}`]) {
      const response = await stranger.goto(`${confirmation}${query}`);
      expect(response?.status()).toBe(404);
      await expect(stranger.getByTestId('booking-not-found')).toBeVisible();
      await expect(stranger.locator('body')).not.toContainText('Secret Guest');
      await expect(stranger.locator('body')).not.toContainText('secret-room');
      const ics = await request.get(`${confirmation}/ics${query}`);
      expect(ics.status()).toBe(404);
      expect(await ics.text()).not.toContain('secret-room');
    }
    // With the token: the confirmation, and its .ics link carries the token too.
    const owner = await stranger.goto(`${confirmation}?token=${encodeURIComponent(token)}`);
    expect(owner?.status()).toBe(200);
    await expect(stranger.getByTestId('confirmation')).toBeVisible();
    await expect(stranger.locator('body')).toContainText('secret-room');
    const ics = await stranger.request.get((await stranger.getByTestId('download-ics').getAttribute('href'))!);
    expect(ics.status()).toBe(200);
    expect(await ics.text()).toContain('LOCATION:https://meet.example.com/secret-room');
    await stranger.context().close();
  });

  test('the calendar works with the keyboard alone', async ({ page, request }) => {
    // Today (New York) has no times: Tokyo's today and tomorrow, which cover it, are closed. The tab stop
    // must still land on the first open day, not on today (it did not, late in the New York evening).
    // On the month's last day the first open day is next month, so nothing is closed then.
    const guestToday = dateInZone('America/New_York', 0);
    const lastOfMonth = dateInZone('America/New_York', 1).slice(0, 7) !== guestToday.slice(0, 7);
    const closed = lastOfMonth ? [] : [0, 1].map((days) => ({ date: dateInZone('Asia/Tokyo', days), intervals: [] }));
    const host = await createTokyoHostWithZoomPage(page, request, { name: 'Keyboard Host', page: { dateOverrides: closed } });
    await page.goto(`/${host.handle}/${host.slug}`);
    const firstOpen = page.locator('[data-testid="booking-widget"] button[data-available="true"]').first();
    await expect(firstOpen).toBeVisible();
    // One tab stop in the grid, on the first open day; arrows move between days, Enter picks.
    const tabStop = page.locator('[data-testid="booking-widget"] table button[tabindex="0"]');
    await expect(tabStop).toHaveCount(1);
    await expect(tabStop).toHaveAttribute('data-date', (await firstOpen.getAttribute('data-date')) ?? '');
    await tabStop.focus();
    const start = await tabStop.getAttribute('data-date');
    await page.keyboard.press('ArrowRight');
    const next = page.locator('[data-testid="booking-widget"] table button:focus');
    await expect(next).not.toHaveAttribute('data-date', start ?? '');
    await page.keyboard.press('ArrowLeft');
    await expect(page.locator('[data-testid="booking-widget"] table button:focus')).toHaveAttribute('data-date', start ?? '');
    // The first tab stop is the first open day, so Enter shows its times.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('slot').first()).toBeVisible();
    await page.getByTestId('slot').first().focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('booking-form')).toBeVisible();
  });

  test('a month without openings offers a jump to the next open day', async ({ page, request }, testInfo) => {
    const host = await createTokyoHostWithZoomPage(page, request, { name: 'Busy Host' });
    const open = dateInZone('Asia/Tokyo', 40);
    await createPage(request, host.apiToken, {
      slug: 'later',
      title: 'Later',
      bookingWindowDays: 90,
      dateOverrides: [{ date: open, intervals: [{ start: '10:00', end: '12:00' }] }],
    });
    await page.goto(`/${host.handle}/later`);
    await expect(page.getByTestId('month-empty')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('month-empty.png'), fullPage: true });
    await page.getByTestId('jump-next-available').click();
    // 10:00 in Tokyo is the previous evening in New York.
    await expect(page.getByTestId('slot').first()).toBeVisible();
    await expect(page.getByTestId('slot').first()).toHaveText(/PM$/);
  });
});

test.describe('when Zoom fails', () => {
  test.use({ locale: 'en-US', timezoneId: 'America/New_York', extraHTTPHeaders: { 'Accept-Language': 'en' } });

  test('the booking stays confirmed, the link follows, the host retries and starts the meeting', async ({ browser, page, request }, testInfo) => {
    const host = await createTokyoHostWithZoomPage(page, request, { name: 'Zoom Trouble Host' });
    const guestContext = await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York' });
    const guest = await guestContext.newPage();
    const guestEmail = uniqueEmail('guest-zoomdown');
    await request.post('/api/emulators/zoom/__control/faults', {
      data: { method: 'POST', path: '/v2/users/me/meetings', status: 500, times: 1000, body: { code: 500, message: 'down' } },
    });
    try {
      await guest.goto(`/${host.handle}/${host.slug}`);
      await pickFirstSlot(guest);
      await guest.locator('input[name="name"]').fill('Patient Guest');
      await guest.locator('input[name="email"]').fill(guestEmail);
      await guest.locator('[name="answers.company"]').fill('Co');
      await guest.getByTestId('confirm').click();
      await guest.waitForURL(/\/booked\//);
      // Confirmed anyway; the page says the link follows by mail.
      await expect(guest.getByRole('heading', { level: 1 })).toHaveText("You're booked");
      await expect(guest.getByTestId('meeting-pending')).toBeVisible();
      await expect(guest.getByTestId('join-link')).toHaveCount(0);
      await guest.screenshot({ path: testInfo.outputPath('confirmation-pending.png'), fullPage: true });

      await page.goto('/bookings');
      const card = page.getByTestId('host-booking').first();
      await expect(card.getByTestId('step-meeting')).toHaveAttribute('data-state', /pending|failed/);
      await expect(card.getByTestId('retry-steps')).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath('host-bookings-zoom-down.png'), fullPage: true });
    } finally {
      await request.delete('/api/emulators/zoom/__control/faults');
    }

    // Zoom is back: Retry, then the meeting exists and the guest gets the link by mail.
    await page.getByTestId('retry-steps').first().click();
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('host-booking').first().getByTestId('step-meeting')).toHaveAttribute('data-state', 'created', { timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    const mail = await readMail(page, guestEmail, /^Zoom link for/);
    expect(mail).toMatch(/\/j\/\d+/);

    // Start meeting opens a fresh host start link in a new tab.
    await page.goto('/bookings');
    const popupPromise = page.waitForEvent('popup');
    await page.getByTestId('start-meeting').first().click();
    const popup = await popupPromise;
    await popup.waitForURL(/\/s\/\d+/);
    await popup.close();

    // The host cancels from the list, with a reason.
    await page.getByTestId('host-cancel').first().click();
    await page.getByTestId('host-cancel-reason').fill('Host is ill');
    await page.getByTestId('host-cancel-confirm').click();
    // It leaves "Upcoming" and is filed under "Cancelled", saying what the cancellation did.
    await expect(page.locator('[data-testid="host-booking"][data-status="cancelled"]')).toHaveCount(0);
    await readMail(page, guestEmail, /^Cancelled:/);
    await page.goto('/bookings?scope=cancelled');
    const filed = page.locator('[data-testid="host-booking"][data-status="cancelled"]');
    await expect(filed).toHaveCount(1);
    await expect(async () => {
      await page.reload();
      await expect(filed.getByTestId('cancel-meeting')).toHaveAttribute('data-state', 'deleted', { timeout: 1000 });
      await expect(filed.getByTestId('cancel-guestMail')).toHaveAttribute('data-state', 'sent', { timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    await expect(filed.getByTestId('step-meeting')).toBeHidden();
    await guestContext.close();
  });
});
