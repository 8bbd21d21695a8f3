import { expect, test } from '@playwright/test';
import { newHost } from './fixtures';
import { createApiToken, createPage } from './helpers/guest';

/**
 * Hostile input against the real production server (`next start`): what Next itself would answer with
 * a bare 500 (undecodable paths, cross-origin server actions) and the demo banner on public pages.
 */

test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });

test('a path Next cannot decode, or with a NUL segment, is the friendly not-found page (404), JSON 404 under /api', async ({ page, request }) => {
  for (const path of ['/demo/%zz', '/demo/%zz/booked/x', '/booking/%ff', '/demo/a%00b']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expect(response.headers()['content-type'], path).toContain('text/html');
  }
  const api = await request.get('/api/public/pages/demo/%zz/slots?from=2030-01-01&to=2030-01-02');
  expect(api.status()).toBe(404);
  expect(await api.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
  const nul = await request.get('/api/public/pages/demo/a%00b/slots?from=2030-01-01&to=2030-01-02');
  expect(nul.status()).toBe(404);

  const shown = await page.goto('/demo/%zz');
  expect(shown?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByTestId('demo-banner')).toBeVisible();
});

test('a wrong or missing manage token is a 404 with the friendly card, not a 200', async ({ page }) => {
  for (const path of ['/booking/no-such-booking?token=wrong', '/booking/no-such-booking']) {
    const shown = await page.goto(path);
    expect(shown?.status(), path).toBe(404);
    await expect(page.getByTestId('manage-invalid')).toBeVisible();
  }
});

test('a server action posted from another origin is refused with 403, not 500', async ({ request, baseURL }) => {
  const action = (origin: string) =>
    request.post('/login', {
      headers: { 'Next-Action': '7f'.padEnd(42, '0'), Origin: origin, 'Content-Type': 'text/plain;charset=UTF-8' },
      data: '[]',
    });
  const foreign = await action('https://evil.example');
  expect(foreign.status()).toBe(403);
  expect(await foreign.json()).toEqual({ error: { code: 'forbidden', message: 'Cross-origin server action refused' } });
  // The same request from our own origin gets past the check (Next then answers the unknown action id).
  const own = await action(new URL(baseURL!).origin);
  expect(own.status()).not.toBe(403);
  expect(own.status()).toBeLessThan(500);
});

test('oversized bodies are refused with 413 by the running server', async ({ request }) => {
  const webhook = await request.post('/api/webhooks/zoom', { headers: { 'Content-Type': 'application/json' }, data: JSON.stringify({ pad: 'x'.repeat(300 * 1024) }) });
  expect(webhook.status()).toBe(413);
  expect((await webhook.json()).error.code).toBe('payload_too_large');
  const booking = await request.post('/api/public/pages/demo/intro/bookings', { headers: { 'Content-Type': 'application/json' }, data: JSON.stringify({ name: 'x'.repeat(70 * 1024) }) });
  expect(booking.status()).toBe(413);
});

test('the demo banner is on public booking pages too, for a guest who is not signed in', async ({ page, request, browser }) => {
  const { handle } = await newHost(page, { prefix: 'banner' });
  const apiToken = await createApiToken(page);
  await createPage(request, apiToken, { slug: 'banner-check', title: 'Banner check' });

  const guest = await browser.newContext();
  const guestPage = await guest.newPage();
  await guestPage.goto(`/${handle}/banner-check`);
  await expect(guestPage.getByRole('heading', { name: 'Banner check' })).toBeVisible();
  await expect(guestPage.getByTestId('demo-banner')).toBeVisible();
  for (const path of ['/login', `/${handle}/no-such-page`]) {
    await guestPage.goto(path);
    await expect(guestPage.getByTestId('demo-banner'), path).toBeVisible();
  }
  await guest.close();
});

test('only the guest booking pages may be framed by another site; every other page refuses (clickjacking)', async ({ request }) => {
  for (const path of ['/login', '/dashboard', '/settings/profile', '/bookings', '/pages/new', '/demo', '/api/health', '/api/v1/bookings', '/mailbox']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.headers()['x-frame-options'], path).toBe('SAMEORIGIN');
    expect(response.headers()['content-security-policy'], path).toContain("frame-ancestors 'self'");
  }
  // The booking page, its confirmation, the manage page and embed.js (e2e/embed.spec.ts embeds them).
  for (const path of ['/demo/intro', '/demo/intro/booked/no-such-uid', '/booking/no-such-uid', '/embed.js']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.headers()['x-frame-options'], path).toBeUndefined();
    expect(response.headers()['content-security-policy'], path).toBe('frame-ancestors *');
  }
});
