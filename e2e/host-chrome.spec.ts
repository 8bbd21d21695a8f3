import { expect, test } from '@playwright/test';
import { newHost } from './fixtures';

/** Issue 14, defect 6: the host's top bar on a phone is one row with a menu, in Japanese too. */

test.use({ locale: 'ja-JP', extraHTTPHeaders: { 'Accept-Language': 'ja-JP,ja;q=0.9' }, viewport: { width: 390, height: 844 } });

test('at 390 px the top bar is one row; the menu holds the sections, the account and sign-out', async ({ page }, testInfo) => {
  await newHost(page, { prefix: 'chrome' });
  await page.goto('/dashboard');
  const bar = page.locator('header.topbar');
  const box = await bar.boundingBox();
  expect(box!.height).toBeLessThan(70); // one row (three wrapped rows were ~150 px)

  const menu = page.getByTestId('host-menu');
  await menu.locator('summary').click();
  const bookings = menu.getByRole('link', { name: '予約一覧' });
  await expect(bookings).toBeVisible();
  // "ダッシュボード" stays on one line
  const dashboard = menu.getByRole('link', { name: 'ダッシュボード' });
  const line = await dashboard.boundingBox();
  expect(line!.height).toBeLessThan(48);
  await expect(menu.getByRole('button', { name: 'ログアウト' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('host-menu-390-ja.png'), fullPage: false });

  await bookings.click();
  await expect(page).toHaveURL(/\/bookings$/);
  // the menu closes on the new page
  await expect(menu.getByRole('button', { name: 'ログアウト' })).toBeHidden();
});

test('on a wide screen the sections stay in the bar and the menu shows the host', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await newHost(page, { prefix: 'chromew', name: 'Wide Host' });
  await page.goto('/dashboard');
  await expect(page.locator('header.topbar nav.nav').getByRole('link', { name: '予約一覧' })).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Wide Host');
});
