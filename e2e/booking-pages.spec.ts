import { expect, type Page, test } from '@playwright/test';
import { newHost } from './fixtures';

/**
 * A host builds a booking page in the editor (validation in place, live preview), saves it, sees its
 * slots on the public slots endpoint, and uses unpublish / duplicate / delete.
 */

type SlotsBody = { timeZone: string; durationMinutes: number; days: { date: string; slots: string[] }[] };

/** YYYY-MM-DD of `now + days` in Asia/Tokyo (formatting with an explicit zone, no zone math). */
function tokyoDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
}

async function fetchSlots(page: Page, handle: string, slug: string) {
  const from = tokyoDate(1);
  const to = tokyoDate(8);
  return page.request.get(`/api/public/pages/${handle}/${slug}/slots?from=${from}&to=${to}&timeZone=Asia/Tokyo`);
}

test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' }, timezoneId: 'Asia/Tokyo' });

test('a host creates a page in the editor and its slots appear on the public endpoint', async ({ page }, testInfo) => {
  test.setTimeout(240_000); // a long flow; the first visit of each route compiles it under next dev
  const { handle } = await newHost(page, { name: 'Page Maker', timeZone: 'Asia/Tokyo', prefix: 'bp' });

  await page.goto('/pages/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New booking page');
  // defaults: the host's first schedule ("Working hours", made for them: their zone, Mon–Fri 09:00–17:00), phone (no Zoom linked)
  await expect(page.locator('select[name="scheduleId"] option:checked')).toHaveText('Working hours');
  await expect(page.getByTestId('summary-mon')).toContainText('9:00 AM – 5:00 PM');
  // hours of this page only start from the schedule's
  await page.locator('select[name="scheduleId"]').selectOption('');
  await expect(page.locator('select[name="timeZone"]')).toHaveValue('Asia/Tokyo');
  await expect(page.getByRole('radio', { name: 'Phone call' })).toBeChecked();

  await page.locator('input[name="title"]').fill('Strategy call');
  await page.locator('input[name="slug"]').fill('Strategy Call');
  await expect(page.locator('input[name="slug"]')).toHaveValue('strategy-call');
  await expect(page.getByTestId('public-url')).toHaveText(new RegExp(`/${handle}/strategy-call$`));
  await page.getByRole('button', { name: '45', exact: true }).click();
  await expect(page.locator('input[name="durationMinutes"]')).toHaveValue('45');

  // end before start, in place
  const monday = page.getByTestId('day-mon');
  await monday.getByLabel('Monday To').selectOption('08:00');
  await expect(monday.locator('.field-error')).toHaveText('The end must be after the start.');
  await monday.getByLabel('Monday To').selectOption('17:00');
  await expect(monday.locator('.field-error')).toHaveCount(0);

  // overlapping windows, in place
  const tuesday = page.getByTestId('day-tue');
  await tuesday.getByRole('button', { name: 'Add hours' }).click();
  await tuesday.getByLabel('Tuesday From').nth(1).selectOption('16:00');
  await expect(tuesday.locator('.field-error')).toHaveText('These hours overlap other hours of the same day.');
  await page.screenshot({ path: testInfo.outputPath('editor-errors.png'), fullPage: true });
  await tuesday.getByRole('button', { name: /Remove these hours/ }).nth(1).click();
  await expect(tuesday.locator('.field-error')).toHaveCount(0);

  // the live preview shows free times
  await expect(page.getByTestId('preview-days').locator('h3').first()).toBeVisible();

  await page.getByRole('button', { name: 'Create page' }).click();
  await page.waitForURL(/\/pages\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit booking page');
  await expect(page.getByTestId('published-badge')).toHaveText('Published');
  await page.screenshot({ path: testInfo.outputPath('editor-saved.png'), fullPage: true });

  // the public slots endpoint answers with the page's slots (docs/api.md)
  const res = await fetchSlots(page, handle, 'strategy-call');
  expect(res.status()).toBe(200);
  const body = (await res.json()) as SlotsBody;
  expect(body).toMatchObject({ timeZone: 'Asia/Tokyo', durationMinutes: 45 });
  expect(body.days).toHaveLength(8);
  let weekdaysSeen = 0;
  for (const day of body.days) {
    const weekday = new Date(`${day.date}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) {
      expect(day.slots, day.date).toEqual([]);
      continue;
    }
    weekdaysSeen++;
    // 09:00 Tokyo = 00:00Z, every 45 minutes; the last one (15:45–16:30 = 06:45Z) ends by 17:00, 16:30–17:15 would not
    expect(day.slots.slice(0, 3), day.date).toEqual([`${day.date}T00:00:00.000Z`, `${day.date}T00:45:00.000Z`, `${day.date}T01:30:00.000Z`]);
    expect(day.slots.at(-1), day.date).toBe(`${day.date}T06:45:00.000Z`);
    expect(day.slots).toHaveLength(10);
  }
  expect(weekdaysSeen).toBeGreaterThanOrEqual(5);

  // a second page cannot take the same URL
  await page.goto('/pages/new');
  await page.locator('input[name="slug"]').fill('strategy-call');
  await expect(page.locator('.field-error').first()).toHaveText('You already have a page with this URL.');
  await page.goBack();

  // unpublish hides the slots; publish brings them back
  await page.goto('/dashboard');
  await page.getByTestId('booking-page-item').filter({ hasText: 'Strategy call' }).getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Unpublish' }).click();
  await expect(page.getByTestId('published-badge')).toHaveText('Unpublished');
  expect((await fetchSlots(page, handle, 'strategy-call')).status()).toBe(404);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByTestId('published-badge')).toHaveText('Published');
  expect((await fetchSlots(page, handle, 'strategy-call')).status()).toBe(200);

  // duplicate opens the copy (unpublished); delete removes it
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await expect(page.locator('input[name="slug"]')).toHaveValue('strategy-call-copy');
  await expect(page.locator('input[name="title"]')).toHaveValue('Strategy call (copy)');
  await expect(page.getByTestId('published-badge')).toHaveText('Unpublished');
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/dashboard$/);
  await expect(page.getByTestId('booking-page-item').filter({ hasText: 'Strategy call (copy)' })).toHaveCount(0);
  await expect(page.getByTestId('booking-page-item').filter({ hasText: 'Strategy call' })).toHaveCount(1);
});
