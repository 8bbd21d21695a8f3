import { expect, type Page, test } from '@playwright/test';
import { newHost } from './fixtures';

/**
 * A host edits a page's reminders and follow-up in the editor (English and Japanese): changes the 1 h
 * reminder to 2 h, adds a reminder to themselves, turns the follow-up on, saves, reloads and sees it
 * all kept. Sending is covered by lib/bookings/reminders.int.test.ts (a controlled clock).
 */

test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' }, timezoneId: 'Asia/Tokyo' });

const reminderRows = (page: Page) => page.getByTestId('reminder');

async function newPage(page: Page, title: string, slug: string) {
  await page.goto('/pages/new');
  await page.locator('input[name="title"]').fill(title);
  await page.locator('input[name="slug"]').fill(slug);
}

test('a host edits reminders and the follow-up; they are kept after a reload (English)', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await newHost(page, { name: 'Reminder Host', timeZone: 'Asia/Tokyo', prefix: 'rem' });
  await newPage(page, 'Reminder call', 'reminder-call');

  const section = page.getByTestId('reminders-section');
  await expect(section.getByRole('heading', { name: 'Reminders' })).toBeVisible();
  // The defaults: the guest 1 day and 1 hour before.
  await expect(reminderRows(page)).toHaveCount(2);
  await expect(reminderRows(page).nth(0).getByTestId('reminder-value')).toHaveValue('1');
  await expect(reminderRows(page).nth(0).getByTestId('reminder-unit')).toHaveValue('days');
  await expect(reminderRows(page).nth(1).getByTestId('reminder-value')).toHaveValue('1');
  await expect(reminderRows(page).nth(1).getByTestId('reminder-unit')).toHaveValue('hours');

  // 1 h → 2 h
  await reminderRows(page).nth(1).getByTestId('reminder-value').fill('2');
  // A reminder to the host, 30 minutes before; 2 minutes is refused in place.
  await section.getByTestId('reminder-add').click();
  const added = reminderRows(page).nth(2);
  await added.getByTestId('reminder-to').selectOption('host');
  await added.getByTestId('reminder-unit').selectOption('minutes');
  await added.getByTestId('reminder-value').fill('2');
  await added.getByTestId('reminder-value').blur();
  await expect(added.locator('.field-error')).toHaveText('A reminder must be at least 5 minutes before.');
  await added.getByTestId('reminder-value').fill('30');
  await expect(added.locator('.field-error')).toHaveCount(0);

  // The follow-up: on, a message, "sorry we missed you" for a no-show.
  await section.getByTestId('follow-up-toggle').check();
  await section.getByTestId('follow-up-message').fill('Thank you for your time.\nThe slides: https://example.com/slides');
  await section.getByTestId('no-show-sorry').check();

  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: testInfo.outputPath('reminders-desktop.png') });

  await page.getByRole('button', { name: 'Create page' }).click();
  await page.waitForURL(/\/pages\/[0-9a-f-]{36}\?created=1$/);
  await page.reload();

  await expect(reminderRows(page)).toHaveCount(3);
  await expect(reminderRows(page).nth(1).getByTestId('reminder-value')).toHaveValue('2');
  await expect(reminderRows(page).nth(1).getByTestId('reminder-unit')).toHaveValue('hours');
  await expect(reminderRows(page).nth(2).getByTestId('reminder-to')).toHaveValue('host');
  await expect(reminderRows(page).nth(2).getByTestId('reminder-value')).toHaveValue('30');
  await expect(reminderRows(page).nth(2).getByTestId('reminder-unit')).toHaveValue('minutes');
  await expect(page.getByTestId('follow-up-toggle')).toBeChecked();
  await expect(page.getByTestId('follow-up-message')).toHaveValue('Thank you for your time.\nThe slides: https://example.com/slides');
  await expect(page.getByTestId('no-show-sorry')).toBeChecked();

  // Removing a reminder and turning the follow-up off are kept too.
  await reminderRows(page).nth(0).getByTestId('reminder-remove').click();
  await page.getByTestId('follow-up-toggle').uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('save-status')).toHaveText(/Saved/);
  await page.reload();
  await expect(reminderRows(page)).toHaveCount(2);
  await expect(page.getByTestId('follow-up-toggle')).not.toBeChecked();

  // On a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('follow-up-toggle').check();
  await page.getByTestId('reminders-section').scrollIntoViewIfNeeded();
  await page.getByTestId('reminders-section').screenshot({ path: testInfo.outputPath('reminders-390.png') });
  const box = await page.getByTestId('reminders-section').boundingBox();
  expect(box!.width).toBeLessThanOrEqual(390);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the same in Japanese', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const { handle } = await newHost(page, { name: '山田', timeZone: 'Asia/Tokyo', prefix: 'remja' });
  // The language switcher saves Japanese to the profile.
  await page.goto(`/${handle}/no-such-page`);
  await page.getByTestId('locale-ja').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');

  await newPage(page, '相談', 'soudan');
  const section = page.getByTestId('reminders-section');
  await expect(section.getByRole('heading', { name: 'リマインダー' })).toBeVisible();
  await reminderRows(page).nth(1).getByTestId('reminder-value').fill('2');
  await section.getByRole('button', { name: /リマインダーを追加/ }).click();
  const added = reminderRows(page).nth(2);
  await added.getByTestId('reminder-to').selectOption('host');
  await added.getByTestId('reminder-value').fill('3');
  await expect(added.getByTestId('reminder-unit')).toHaveValue('hours');
  await section.getByText('ミーティング後にゲストへフォローアップメールを送る').click();
  await section.getByTestId('follow-up-message').fill('本日はありがとうございました。');
  await expect(section.getByText('「お会いできませんでした」メールを再予約リンク付きで送る')).toBeVisible();

  await page.setViewportSize({ width: 390, height: 844 });
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: testInfo.outputPath('reminders-ja-390.png') });

  await page.getByRole('button', { name: /ページを作成|作成/ }).click();
  await page.waitForURL(/\/pages\/[0-9a-f-]{36}\?created=1$/);
  await page.reload();
  await expect(reminderRows(page)).toHaveCount(3);
  await expect(reminderRows(page).nth(1).getByTestId('reminder-value')).toHaveValue('2');
  await expect(reminderRows(page).nth(2).getByTestId('reminder-to')).toHaveValue('host');
  await expect(reminderRows(page).nth(2).getByTestId('reminder-value')).toHaveValue('3');
  await expect(page.getByTestId('follow-up-message')).toHaveValue('本日はありがとうございました。');
  await expect(page.getByTestId('no-show-skip')).toBeChecked();
});

test('a booking’s page in Aki lists its reminders and follow-up', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const { handle } = await newHost(page, { name: 'Timeline Host', timeZone: 'Asia/Tokyo', prefix: 'remtl' });
  await newPage(page, 'Planned call', 'planned-call');
  await page.getByTestId('follow-up-toggle').check();
  await page.getByRole('button', { name: 'Create page' }).click();
  await page.waitForURL(/\/pages\/[0-9a-f-]{36}\?created=1$/);

  // A guest books the first free slot (days ahead: both default reminders are still to come).
  const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offset * 86_400_000));
  const slots = (await (await page.request.get(`/api/public/pages/${handle}/planned-call/slots?from=${day(3)}&to=${day(10)}`)).json()) as { days: { slots: string[] }[] };
  const start = slots.days.flatMap((d) => d.slots)[0]!;
  const res = await page.request.post(`/api/public/pages/${handle}/planned-call/bookings`, {
    data: { start, name: 'Ann Lee', email: 'ann-reminders@example.com', timeZone: 'America/New_York', locale: 'en' },
  });
  expect(res.status()).toBe(201);
  const { booking } = (await res.json()) as { booking: { uid: string } };

  await page.goto(`/bookings/${booking.uid}`);
  const list = page.getByTestId('detail-reminders');
  await expect(list.getByRole('heading', { name: 'Reminders and follow-up' })).toBeVisible();
  const items = list.getByTestId('reminder-item');
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toContainText('Reminder to the guest 1 day before');
  await expect(items.nth(0)).toContainText('scheduled');
  await expect(items.nth(1)).toContainText('Reminder to the guest 1 hour before');
  await expect(items.nth(2)).toContainText('Follow-up to the guest after the meeting');
  await list.screenshot({ path: testInfo.outputPath('booking-reminders.png') });
});
