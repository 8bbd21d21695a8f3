import { type APIRequestContext, expect, type Page } from '@playwright/test';
import { newHost, openMail } from '../fixtures';

/** Helpers of the guest booking e2e: a Tokyo host with Zoom linked and a booking page, and guest-side steps. */

export type HostWithPage = { email: string; handle: string; slug: string; apiToken: string };

const ALL_DAY = [{ start: '00:00', end: '24:00' }];

/** A host API body for a published 30-minute Tokyo Zoom page open every day (so slots exist whenever a test runs). */
export function everyDayZoomPage(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    description: 'A 30 minute call.',
    durationMinutes: 30,
    location: { type: 'zoom' },
    timeZone: 'Asia/Tokyo',
    weeklyHours: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
    minimumNoticeMinutes: 60,
    bookingWindowDays: 30,
    questions: [],
    published: true,
    ...fields,
  };
}

/** A personal API token made through the settings page (the host is signed in on `page`). */
export async function createApiToken(page: Page): Promise<string> {
  await page.goto('/settings/api-tokens');
  await page.locator('main form input[name="name"]').fill('e2e');
  await page.locator('main form button[type="submit"]').click();
  const value = page.getByTestId('new-api-token-value');
  await expect(value).toBeVisible();
  const token = (await value.inputValue().catch(() => null)) ?? (await value.textContent()) ?? '';
  expect(token).toMatch(/^aki_/);
  return token.trim();
}

/**
 * Links the signed-in host's Zoom through the real Connect flow: a fresh emulator user (so parallel
 * or repeated runs never fight over one Zoom account, invariant 4), then the emulator's consent page.
 * The Zoom user is `zoom-<email>`, Licensed, in its own Zoom account unless `accountId` names one.
 */
export async function linkZoom(page: Page, request: APIRequestContext, email: string, zoomUser: { accountId?: string } = {}): Promise<void> {
  const response = await request.post('/api/emulators/zoom/__control/users', {
    data: { email: `zoom-${email}`, firstName: 'E2E', lastName: 'Host', timezone: 'Asia/Tokyo', ...zoomUser },
  });
  expect(response.ok()).toBeTruthy();
  const user = (await response.json()) as { id: string };
  await page.goto('/settings/integrations');
  await page.getByTestId('zoom-connect').click();
  await page.locator(`input[name="user_id"][value="${user.id}"]`).check();
  await page.locator('button[name="decision"][value="allow"]').click();
  await page.waitForURL(/\/settings\/integrations/);
  await expect(page.getByTestId('zoom-card')).toHaveAttribute('data-state', 'active');
}

/** A signed-in Tokyo host with Zoom linked and a published Zoom page open every day (so slots exist whenever the test runs). */
export async function createTokyoHostWithZoomPage(
  page: Page,
  request: APIRequestContext,
  options: { name?: string; title?: string; questions?: unknown[]; slug?: string; page?: Record<string, unknown> } = {},
): Promise<HostWithPage> {
  const { email, handle } = await newHost(page, { name: options.name ?? 'Tanaka Yui', timeZone: 'Asia/Tokyo', prefix: 'tokyo' });
  await linkZoom(page, request, email);
  const apiToken = await createApiToken(page);
  const slug = options.slug ?? 'consult';
  const response = await request.post('/api/v1/booking-pages', {
    headers: { authorization: `Bearer ${apiToken}` },
    data: everyDayZoomPage({
      slug,
      title: options.title ?? 'Consultation',
      questions: options.questions ?? [{ id: 'company', label: 'Company', type: 'text', required: true }],
      ...options.page,
    }),
  });
  expect(response.status(), await response.text()).toBe(201);
  return { email, handle, slug, apiToken };
}

/** Picks the first open day and its first slot; returns the slot's ISO start. */
export async function pickFirstSlot(page: Page): Promise<string> {
  const day = page.locator('[data-testid="booking-widget"] button[data-available="true"]').first();
  await expect(day).toBeVisible();
  await day.click();
  const slot = page.getByTestId('slot').first();
  await expect(slot).toBeVisible();
  const start = await slot.getAttribute('data-start');
  await slot.click();
  if (!start) throw new Error('slot without data-start');
  return start;
}

/** Waits for a mail to `to` whose subject matches and returns its text. */
export async function readMail(page: Page, to: string, subject: RegExp): Promise<string> {
  await openMail(page, to, subject);
  return (await page.getByTestId('mail-text').textContent()) ?? '';
}

/** Adds another page for an existing host through the API. */
export async function createPage(request: APIRequestContext, apiToken: string, body: Record<string, unknown>): Promise<void> {
  const response = await request.post('/api/v1/booking-pages', {
    headers: { authorization: `Bearer ${apiToken}` },
    data: {
      description: '',
      durationMinutes: 30,
      location: { type: 'zoom' },
      timeZone: 'Asia/Tokyo',
      weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      published: true,
      ...body,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
}

/** A local date `days` after today in `zone` (YYYY-MM-DD). */
export function dateInZone(zone: string, days: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
