import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { newHost, uniqueEmail } from './fixtures';

/**
 * Settings → Integrations → Google Calendar against the in-app Google emulator (demo mode): connect
 * the demo calendar, a busy Google event removes its slot from the public slots endpoint, a booking
 * lands as an event in the emulator's calendar; a revoked link asks to reconnect; disconnect.
 * Each test uses its own emulated Google account (created on the consent page).
 */

const CONTROL = '/api/emulators/google/__control';

type EmulatorEvent = {
  id: string;
  calendarId: string;
  status: string;
  summary?: string;
  start: { dateTime?: string };
  attendees?: { email: string }[];
  sendUpdates: string;
};

async function emulatorEvents(request: APIRequestContext, calendarId: string): Promise<EmulatorEvent[]> {
  const response = await request.get(`${CONTROL}/state`);
  expect(response.ok()).toBe(true);
  const state = (await response.json()) as { events: EmulatorEvent[] };
  return state.events.filter((e) => e.calendarId === calendarId);
}

/** Settings → Connect → the emulator's consent page → Allow, as `account`. */
async function connectGoogle(page: Page, account: string): Promise<void> {
  await page.goto('/settings/integrations');
  const card = page.getByTestId('google-card');
  await expect(card).toHaveAttribute('data-state', 'disconnected');
  await card.getByRole('link', { name: 'Connect Google Calendar' }).click();
  await expect(page).toHaveURL(/\/api\/emulators\/google\/o\/oauth2\/v2\/auth\?/);
  const authorizeUrl = new URL(page.url());
  expect(authorizeUrl.searchParams.get('access_type')).toBe('offline');
  expect(authorizeUrl.searchParams.get('prompt')).toBe('consent');
  expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorizeUrl.searchParams.get('scope')?.split(' ').sort()).toEqual([
    'https://www.googleapis.com/auth/calendar.events',
    'https://www.googleapis.com/auth/calendar.readonly',
  ]);
  await page.getByLabel('Account').fill(account);
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page).toHaveURL(/\/settings\/integrations\?google=connected/);
  await expect(page.getByTestId('google-notice')).toContainText('Google Calendar is connected');
  await expect(card).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('google-connected-as')).toHaveText(`Connected as ${account}`);
  // the state/PKCE cookie is single use
  expect((await page.context().cookies()).some((c) => c.name === 'aki_google_oauth')).toBe(false);
}

/** A published booking page with the editor's defaults; returns its slug. */
async function createBookingPage(page: Page): Promise<string> {
  await page.goto('/pages/new');
  const slug = await page.locator('input[name="slug"]').inputValue();
  await page.locator('main form button[type="submit"]').last().click();
  await page.waitForURL(/\/pages\/(?!new)[^/]+$/);
  return slug;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

async function slots(request: APIRequestContext, handle: string, slug: string, from: string, to: string): Promise<string[]> {
  const response = await request.get(`/api/public/pages/${handle}/${slug}/slots?from=${from}&to=${to}&timeZone=UTC`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { days: { slots: string[] }[] };
  return body.days.flatMap((d) => d.slots);
}

test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' }, timezoneId: 'Asia/Tokyo' });

test('connect the demo Google calendar, a busy event removes its slot, a booking appears in the calendar', async ({ page, request }, testInfo) => {
  const { handle } = await newHost(page, { prefix: 'gcal', timeZone: 'Asia/Tokyo' });
  const account = uniqueEmail('gcal').replace('@example.com', '@gmail.test');
  await connectGoogle(page, account);
  await page.screenshot({ path: testInfo.outputPath('google-connected.png'), fullPage: true });

  // Both calendars count as busy, bookings go to the primary one.
  const card = page.getByTestId('google-card');
  await card.getByRole('checkbox', { name: 'Work' }).check();
  await card.getByRole('button', { name: 'Save calendar settings' }).click();
  await expect(page).toHaveURL(/\?google=saved/);
  await expect(card.getByRole('checkbox', { name: 'Work' })).toBeChecked();

  const slug = await createBookingPage(page);

  // Pick a slot a few days out, then block it with an event in the "Work" calendar.
  const now = new Date();
  const from = isoDate(new Date(now.getTime() + 2 * 86_400_000));
  const to = isoDate(new Date(now.getTime() + 9 * 86_400_000));
  const before = await slots(request, handle, slug, from, to);
  expect(before.length).toBeGreaterThan(2);
  const blocked = before[0]!;
  const day = blocked.slice(0, 10);
  const state = (await (await request.get(`${CONTROL}/state`)).json()) as { calendars: { id: string; summary: string; userId: string }[]; users: { id: string; email: string }[] };
  const user = state.users.find((u) => u.email === account)!;
  const work = state.calendars.find((c) => c.userId === user.id && c.summary === 'Work')!;
  const added = await request.post(`${CONTROL}/events`, {
    data: { calendarId: work.id, summary: 'Dentist', start: blocked, end: new Date(new Date(blocked).getTime() + 30 * 60_000).toISOString() },
  });
  expect(added.status()).toBe(201);
  // A "free" event never blocks.
  const freeSlot = before.find((s) => s.startsWith(day) && s !== blocked && new Date(s).getTime() > new Date(blocked).getTime() + 30 * 60_000);
  if (freeSlot) {
    await request.post(`${CONTROL}/events`, {
      data: { calendarId: work.id, summary: 'Focus', start: freeSlot, end: new Date(new Date(freeSlot).getTime() + 30 * 60_000).toISOString(), transparency: 'transparent' },
    });
  }

  const after = await slots(request, handle, slug, day, day);
  expect(after).not.toContain(blocked);
  if (freeSlot) expect(after).toContain(freeSlot);

  // Book the next free slot through the public API: the worker writes the event to the primary calendar.
  const chosen = after[0]!;
  const booked = await request.post(`/api/public/pages/${handle}/${slug}/bookings`, {
    data: { start: chosen, name: 'Guest Google', email: 'guest-google@example.com', timeZone: 'Asia/Tokyo', locale: 'en' },
  });
  expect(booked.status()).toBe(201);
  await expect
    .poll(async () => (await emulatorEvents(request, account)).filter((e) => e.status === 'confirmed').length, { timeout: 30_000 })
    .toBe(1);
  const [event] = await emulatorEvents(request, account);
  expect(new Date(event!.start.dateTime!).toISOString()).toBe(chosen);
  expect(event!.attendees?.map((a) => a.email)).toEqual(['guest-google@example.com']);
  expect(event!.sendUpdates).toBe('none');
  // and the booked slot is gone too (the slots endpoint may keep an answer for a second)
  await expect.poll(async () => (await slots(request, handle, slug, day, day)).includes(chosen), { timeout: 10_000 }).toBe(false);
  await page.goto('/settings/integrations');
  await page.screenshot({ path: testInfo.outputPath('google-after-booking.png'), fullPage: true });
});

test('a revoked link asks to reconnect; reconnect and disconnect', async ({ page, request }, testInfo) => {
  await newHost(page, { prefix: 'grev' });
  const account = uniqueEmail('grev').replace('@example.com', '@gmail.test');
  await connectGoogle(page, account);

  // The owner removes Aki's access in their Google account.
  expect((await request.post(`${CONTROL}/revoke`, { data: { email: account } })).ok()).toBe(true);
  await page.goto('/settings/integrations');
  const card = page.getByTestId('google-card');
  await expect(card).toHaveAttribute('data-state', 'revoked');
  await expect(card.getByRole('alert')).toContainText('Google no longer accepts');
  await page.screenshot({ path: testInfo.outputPath('google-revoked.png'), fullPage: true });
  // the dashboard says so too, with the way back
  await page.goto('/dashboard');
  await expect(page.getByTestId('dashboard-google-notice')).toContainText('stopped working');
  await page.goto('/settings/integrations');

  await card.getByRole('link', { name: 'Reconnect Google Calendar' }).click();
  await page.getByLabel('Account').fill(account);
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page).toHaveURL(/\?google=connected/);
  await expect(card).toHaveAttribute('data-state', 'connected');

  page.once('dialog', (dialog) => void dialog.accept());
  await card.getByRole('button', { name: 'Disconnect' }).click();
  await expect(page).toHaveURL(/\?google=disconnected/);
  await expect(card).toHaveAttribute('data-state', 'disconnected');
  await expect(page.getByTestId('google-notice')).toContainText('Google Calendar is disconnected');
});

test('denying access on the consent page comes back with a clear message', async ({ page }) => {
  await newHost(page, { prefix: 'gdeny' });
  await page.goto('/settings/integrations');
  await page.getByTestId('google-card').getByRole('link', { name: 'Connect Google Calendar' }).click();
  await page.getByRole('button', { name: 'Deny' }).click();
  await expect(page).toHaveURL(/\?google=denied/);
  await expect(page.getByTestId('google-notice')).toContainText('access was denied');
  await expect(page.getByTestId('google-card')).toHaveAttribute('data-state', 'disconnected');
});
