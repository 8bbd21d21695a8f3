import { expect, test } from '@playwright/test';
import { completeOnboarding, openMail, uniqueEmail, uniqueHandle } from './fixtures';

/**
 * Sign-in against the public base URL (APP_URL), whatever host the request came in on, and
 * "Continue with Google" against the in-app Google emulator (demo mode).
 */

test('the magic link and the sign-in redirect use APP_URL even when the page was opened on another host', async ({ page, baseURL }) => {
  const appUrl = new URL(baseURL!);
  // The same server, reached under a different name than APP_URL (as behind a proxy that rewrites Host).
  const other = `http://127.0.0.1:${appUrl.port}`;
  const email = uniqueEmail('host-url');
  await page.goto(`${other}/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('form button[type="submit"]').first().click();
  await page.waitForURL(/\/login\/check-email/);

  await openMail(page, email);
  const href = await page.getByTestId('mail-link').filter({ hasText: '/api/auth/callback/nodemailer' }).first().getAttribute('href');
  expect(href).toMatch(new RegExp(`^${appUrl.origin}/api/auth/callback/nodemailer\\?`));
  const callback = new URL(href!);
  expect(new URL(callback.searchParams.get('callbackUrl')!).origin).toBe(appUrl.origin);
  await page.goto(href!);
  await page.waitForURL(`${appUrl.origin}/onboarding`);
});

test('continue with Google: the emulator consent page, then signed in as that Google account', async ({ page, baseURL }) => {
  const email = uniqueEmail('google-signin');
  await page.goto('/login');
  await page.getByRole('button', { name: 'Continue with Google' }).click();
  await expect(page).toHaveURL(/\/api\/emulators\/google\/o\/oauth2\/v2\/auth\?/);
  const authorize = new URL(page.url());
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${baseURL}/api/auth/callback/google`);
  expect(authorize.searchParams.get('scope')).toBe('openid email profile');
  await page.getByLabel('Account').fill(email);
  await page.getByRole('button', { name: 'Allow' }).click();
  await completeOnboarding(page, { name: 'Gina', handle: uniqueHandle('gina') });
  await page.goto('/settings/profile');
  await expect(page.locator('main')).toContainText(email);
});
