import { expect, type Page } from '@playwright/test';
import { signInBySession } from './helpers/session';

/** A unique address per call, so tests never collide on one database. */
export function uniqueEmail(prefix = 'host'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

export function uniqueHandle(prefix = 'h'): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Subjects of the mails to `email` in the demo mailbox, newest first. */
export async function mailSubjects(page: Page, email: string): Promise<string[]> {
  await page.goto(`/mailbox?to=${encodeURIComponent(email)}`);
  return page.getByTestId('mail-subject').allTextContents();
}

/** Opens the newest mail to `email` whose subject matches, waiting for it to arrive. */
export async function openMail(page: Page, email: string, subject?: RegExp | string): Promise<void> {
  await expect(async () => {
    await page.goto(`/mailbox?to=${encodeURIComponent(email)}`);
    const link = subject ? page.getByTestId('mail-subject').filter({ hasText: subject }).first() : page.getByTestId('mail-subject').first();
    await expect(link).toBeVisible({ timeout: 2000 });
    await link.click();
    await expect(page.getByTestId('mail-title')).toBeVisible({ timeout: 20_000 });
  }).toPass({ timeout: 60_000 });
}

/** Signs in through the magic link that arrives in the in-app mailbox (demo mode). */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('form button[type="submit"]').first().click();
  await page.waitForURL(/\/login\/check-email/);
  await openMail(page, email);
  const link = page.getByTestId('mail-link').filter({ hasText: '/api/auth/callback/nodemailer' }).first();
  const href = await link.getAttribute('href');
  if (!href) throw new Error('No sign-in link in the mail');
  await page.goto(href);
  await page.waitForURL(/\/(onboarding|dashboard)/);
}

/** Fills the first-sign-in profile form. */
export async function completeOnboarding(page: Page, profile: { name: string; handle: string; timeZone?: string }): Promise<void> {
  await page.waitForURL(/\/onboarding/);
  await page.locator('input[name="name"]').fill(profile.name);
  await page.locator('input[name="handle"]').fill(profile.handle);
  if (profile.timeZone) await page.locator('select[name="timeZone"]').selectOption(profile.timeZone);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(/\/dashboard/);
}

/**
 * A brand-new signed-in host with a finished profile. Signed in by session cookie (sign-in.spec and
 * newcomer.spec cover the magic link); the profile still goes through the onboarding form.
 */
export async function newHost(page: Page, options: { name?: string; timeZone?: string; prefix?: string } = {}) {
  const email = uniqueEmail(options.prefix ?? 'host');
  const handle = uniqueHandle(options.prefix ?? 'h');
  await signInBySession(page, email);
  await page.goto('/onboarding');
  await completeOnboarding(page, { name: options.name ?? 'Test Host', handle, timeZone: options.timeZone });
  return { email, handle };
}
