import fs from 'node:fs';
import { type APIRequestContext, expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { everyDayZoomPage } from '../e2e/helpers/guest';
import type { SunkMail } from './smtp-sink';
import { STACK_FILE, type StackInfo } from './stack-info';

/**
 * A production install end to end (see playwright.prod.config.ts): the app at http://aki.test:PORT
 * (not localhost), real SMTP, the standalone emulators, and the booking mails sent by the separate
 * worker process.
 */

const stack = JSON.parse(fs.readFileSync(STACK_FILE, 'utf8')) as StackInfo;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function control<T>(path: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  const response = await fetch(`${stack.controlUrl}${path}`, { method });
  expect(response.ok).toBe(true);
  return (await response.json()) as T;
}

const mailsTo = async (to: string) => (await control<SunkMail[]>('/mails')).filter((m) => m.to.includes(to));

/** Waits for a mail to `to` at the SMTP sink whose subject matches. */
async function waitForMail(to: string, subject: RegExp = /./): Promise<SunkMail> {
  let found: SunkMail | undefined;
  await expect(async () => {
    found = (await mailsTo(to)).find((m) => subject.test(m.subject));
    expect(found, `a mail to ${to} matching ${subject}`).toBeDefined();
  }).toPass({ timeout: 60_000 });
  return found!;
}

async function completeOnboarding(page: Page, name: string): Promise<string> {
  const handle = unique('h');
  await page.waitForURL(`${stack.appUrl}/onboarding`);
  await page.locator('input[name="name"]').fill(name);
  await page.locator('input[name="handle"]').fill(handle);
  await page.locator('select[name="timeZone"]').selectOption('Asia/Tokyo');
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${stack.appUrl}/dashboard`);
  return handle;
}

/** Magic link through real SMTP: the link must point at APP_URL (aki.test) and sign the host in there. */
async function signInByMagicLink(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('form button[type="submit"]').first().click();
  await page.waitForURL(/\/login\/check-email/);
  const mail = await waitForMail(email);
  expect(mail.headers.from).toContain('aki@aki.test');
  const link = /https?:\/\/\S+\/api\/auth\/callback\/nodemailer\?\S+/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeDefined();
  expect(link!.startsWith(`${stack.appUrl}/api/auth/callback/nodemailer?`)).toBe(true);
  expect(new URL(new URL(link!).searchParams.get('callbackUrl')!).origin).toBe(stack.appUrl);
  await page.goto(link!);
}

/** Requests from the test process go to 127.0.0.1 (Node does not know aki.test). */
async function localApi(): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: stack.localUrl });
}

test.describe.configure({ mode: 'serial' });

test('the production server answers on APP_URL with demo mode off', async ({ page }) => {
  const health = async () => (await fetch(`${stack.localUrl}/api/health`)).json();
  expect(await health()).toMatchObject({ ok: true, database: stack.database });
  if (stack.database === 'postgres') {
    // The web process runs no worker (AKI_WORKER=0); health sees the standalone one by its heartbeat.
    await expect.poll(async () => (await health()).worker?.workers, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    expect(await health()).toMatchObject({ degraded: [] });
  }
  expect((await fetch(`${stack.localUrl}/mailbox`)).status).toBe(404);
  expect((await fetch(`${stack.localUrl}/api/emulators/google/__control/state`)).status).toBe(404);
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Continue with Google' })).toBeVisible();
});

test('a host signs in by magic link from the SMTP sink and lands signed in on APP_URL', async ({ page, context }) => {
  const email = `${unique('magic')}@example.com`;
  await signInByMagicLink(page, email);
  await completeOnboarding(page, 'Mika');
  const session = (await context.cookies()).find((c) => c.name === 'authjs.session-token');
  expect(session?.domain).toBe('aki.test');
});

test('a host signs in with Google against the standalone emulator', async ({ page }) => {
  const email = `${unique('google')}@gmail.test`;
  await page.goto('/login');
  await page.getByRole('button', { name: 'Continue with Google' }).click();
  await page.waitForURL(`${stack.googleUrl}/o/oauth2/v2/auth?**`);
  const authorize = new URL(page.url());
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.appUrl}/api/auth/callback/google`);
  expect(authorize.searchParams.get('client_id')).toBe('prod-google-client.apps.googleusercontent.com');
  await page.getByLabel('Account').fill(email);
  await page.getByRole('button', { name: 'Allow' }).click();
  await completeOnboarding(page, 'Gen');
  await page.goto('/settings/profile');
  await expect(page.locator('main')).toContainText(email);
});

test('a guest books; the booking mails go out through SMTP from the worker process', async ({ page, browser }) => {
  test.skip(!stack.separateWorker, 'No Postgres (DATABASE_URL unset and nothing on 127.0.0.1:5432): PGlite allows one process, so there is no separate worker to test.');
  const api = await localApi();
  const hostEmail = `${unique('host')}@example.com`;
  await signInByMagicLink(page, hostEmail);
  const handle = await completeOnboarding(page, 'Haru');

  // Zoom through the standalone emulator: a fresh Zoom user, the consent page, back on aki.test.
  const zoomUser = (await (
    await fetch(`${stack.zoomUrl}/__control/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `zoom-${hostEmail}`, firstName: 'Haru', lastName: 'Host', timezone: 'Asia/Tokyo' }),
    })
  ).json()) as { id: string };
  await page.goto('/settings/integrations');
  await page.getByTestId('zoom-connect').click();
  await page.locator(`input[name="user_id"][value="${zoomUser.id}"]`).check();
  await page.locator('button[name="decision"][value="allow"]').click();
  await page.waitForURL(`${stack.appUrl}/settings/integrations**`);
  await expect(page.getByTestId('zoom-card')).toHaveAttribute('data-state', 'active');

  await page.goto('/settings/api-tokens');
  await page.locator('main form input[name="name"]').fill('e2e-prod');
  await page.locator('main form button[type="submit"]').click();
  const tokenField = page.getByTestId('new-api-token-value');
  const apiToken = ((await tokenField.inputValue().catch(() => null)) ?? (await tokenField.textContent()) ?? '').trim();
  const created = await api.post('/api/v1/booking-pages', {
    headers: { authorization: `Bearer ${apiToken}` },
    data: everyDayZoomPage({ slug: 'talk', title: 'Talk', description: '' }),
  });
  expect(created.status(), await created.text()).toBe(201);

  // The worker is stopped: the booking is confirmed, but nothing is mailed yet.
  await control('/worker/stop', 'POST');
  expect((await control<{ running: boolean; log: string }>('/worker/log')).log).toContain('"msg":"worker stopping"');
  const guestContext = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const guest = await guestContext.newPage();
  const guestEmail = `${unique('guest')}@example.com`;
  await guest.goto(`/${handle}/talk`);
  const day = guest.locator('[data-testid="booking-widget"] button[data-available="true"]').first();
  await day.click();
  await guest.getByTestId('slot').first().click();
  await guest.locator('input[name="name"]').fill('Greta Guest');
  await guest.locator('input[name="email"]').fill(guestEmail);
  await guest.getByTestId('confirm').click();
  await guest.waitForURL(`${stack.appUrl}/${handle}/talk/booked/**`);
  await expect(guest.getByTestId('confirmation')).toBeVisible();
  // No worker beats: the page must not claim the mail was sent.
  await expect(guest.getByTestId('guest-mail')).toHaveAttribute('data-state', 'pending');
  // Rather than waiting a while: health shows nothing left that could send the mails (no live worker;
  // the web process runs none) and the booking's mails waiting. The standalone worker sends them below.
  await expect
    .poll(async () => {
      const health = (await (await api.get('/api/health')).json()) as { degraded: string[]; worker: { workers: number; pendingSteps: number } | null };
      return health.degraded.includes('worker') && health.worker?.workers === 0 && health.worker.pendingSteps >= 2;
    }, { timeout: 30_000, message: 'health: no live worker, the mails waiting' })
    .toBe(true);
  expect(await mailsTo(guestEmail), 'no mail without the worker').toEqual([]);

  // The worker starts: the guest's and the host's mails arrive at the SMTP sink.
  const before = (await control<{ log: string }>('/worker/log')).log.length;
  expect((await control<{ running: boolean }>('/worker/start', 'POST')).running).toBe(true);
  const guestMail = await waitForMail(guestEmail);
  expect(guestMail.text).toContain(stack.appUrl);
  await waitForMail(hostEmail, /Greta Guest/);
  const { log } = await control<{ log: string }>('/worker/log');
  expect(log.slice(before)).toContain('"msg":"worker started"');
  // The mails were sent by the standalone worker process (its JSON step lines), not by the web process.
  const sent = log
    .slice(before)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === 'step' && line.outcome === 'done' && String(line.step).startsWith('mail.'));
  expect(sent.map((line) => line.step)).toEqual(expect.arrayContaining(['mail.guest.confirmed', 'mail.host.confirmed']));
  expect(sent.every((line) => line.role === 'standalone')).toBe(true);
  await guestContext.close();
  await api.dispose();
});
