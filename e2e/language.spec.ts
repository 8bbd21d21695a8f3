import { expect, test } from '@playwright/test';
import { newHost } from './fixtures';

/** Issue 14: the signed-in host's saved language decides (not a cookie left by another session), and the switcher saves it. */

test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });

test("a host's saved language wins over a leftover cookie; the switcher saves the choice to the profile", async ({ page, context, baseURL }) => {
  const { handle } = await newHost(page, { prefix: 'lang' });
  // Onboarding in an English browser saved English. Another session left a Japanese cookie behind.
  await context.addCookies([{ name: 'aki_locale', value: 'ja', url: baseURL! }]);
  await page.goto('/dashboard');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeVisible();

  // On a public page the switcher shows English as the chosen one — pressed, not greyed out — and switches.
  await page.goto(`/${handle}/no-such-page`);
  const english = page.getByTestId('locale-en');
  await expect(english).toHaveAttribute('aria-pressed', 'true');
  await expect(english).toBeEnabled();
  await page.getByTestId('locale-ja').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');

  // The profile now says Japanese: the host's own pages follow, even with an English cookie.
  await context.addCookies([{ name: 'aki_locale', value: 'en', url: baseURL! }]);
  await page.goto('/dashboard');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await page.goto('/settings/profile');
  await expect(page.locator('select[name="locale"]')).toHaveValue('ja');
});
