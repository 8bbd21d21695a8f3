import { expect, test } from '@playwright/test';
import { completeOnboarding, signIn, uniqueEmail, uniqueHandle } from './fixtures';

for (const { locale, acceptLanguage, texts } of [
  { locale: 'en', acceptLanguage: 'en-US,en;q=0.9', texts: { login: 'Sign in to Aki', onboarding: 'Set up your profile', welcome: 'Welcome, Hana' } },
  { locale: 'ja', acceptLanguage: 'ja-JP,ja;q=0.9', texts: { login: 'Aki にログイン', onboarding: 'プロフィールの設定', welcome: 'Hana さん、ようこそ' } },
]) {
  test.describe(`newcomer (${locale})`, () => {
    test.use({ locale: locale === 'ja' ? 'ja-JP' : 'en-US', extraHTTPHeaders: { 'Accept-Language': acceptLanguage }, timezoneId: 'Asia/Tokyo' });

    test('signs in by magic link from the mailbox, sets a handle and sees the dashboard', async ({ page }, testInfo) => {
      const email = uniqueEmail(`new-${locale}`);
      await page.goto('/login');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(texts.login);
      await page.screenshot({ path: testInfo.outputPath(`login-${locale}.png`), fullPage: true });

      await signIn(page, email);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(texts.onboarding);
      // the zone is detected from the browser
      await expect(page.locator('select[name="timeZone"]')).toHaveValue('Asia/Tokyo');

      // a reserved handle is refused with a message in place
      await page.locator('input[name="name"]').fill('Hana');
      await page.locator('input[name="handle"]').fill('settings');
      await page.locator('form button[type="submit"]').click();
      await expect(page.locator('.field-error')).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`onboarding-error-${locale}.png`), fullPage: true });

      await completeOnboarding(page, { name: 'Hana', handle: uniqueHandle('hana') });
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(texts.welcome);
      await page.screenshot({ path: testInfo.outputPath(`dashboard-${locale}.png`), fullPage: true });

      // signing out and in again skips onboarding
      await page.goto('/settings/profile');
      await page.locator('main form button[type="submit"]').last().click();
      await page.waitForURL((url) => url.pathname === '/');
      await signIn(page, email);
      await expect(page).toHaveURL(/\/dashboard/);
    });
  });
}

test('a used or forged sign-in link ends on a friendly error', async ({ page }) => {
  await page.goto('/api/auth/callback/nodemailer?token=forged&email=nobody%40example.com');
  await expect(page).toHaveURL(/\/login\?error=Verification/);
  await expect(page.locator('.notice.error')).toBeVisible();
});

test('health answers with the database kind', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true, database: expect.stringMatching(/^(pglite|postgres)$/) });
});
