import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { uniqueEmail } from './fixtures';
import { createTokyoHostWithZoomPage, pickFirstSlot } from './helpers/guest';

/**
 * Outgoing webhooks end to end: a host adds a webhook pointing at a receiver this test runs (the e2e
 * server allows private targets: AKI_WEBHOOK_ALLOW_PRIVATE=1), sees the secret once, a guest books,
 * the booking.created delivery shows in the log, Redeliver sends the same event again, and every
 * request verifies with the Standard Webhooks library and the secret the page showed.
 */

test.describe.configure({ timeout: 240_000 });

type Received = { headers: IncomingHttpHeaders; body: string };

/** An HTTP receiver on 127.0.0.1 that records every request and answers 200. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/aki`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const verify = (secret: string, request: Received) =>
  new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  }) as { type: string; data: Record<string, unknown> };

const runs = [
  { locale: 'en', browserLocale: 'en-US', acceptLanguage: 'en-US,en;q=0.9', text: { tab: 'Webhooks', delivered: 'Delivered', redelivered: 'Queued again.' } },
  { locale: 'ja', browserLocale: 'ja-JP', acceptLanguage: 'ja-JP,ja;q=0.9', text: { tab: 'Webhook', delivered: '配信済み', redelivered: 'もう一度送信待ちにしました。' } },
] as const;

for (const run of runs) {
  test.describe(`webhooks (${run.locale})`, () => {
    test.use({ locale: run.browserLocale, timezoneId: 'Asia/Tokyo', extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage } });

    test('a host adds a webhook, a booking is delivered and redelivered, both signed', async ({ browser, page, request }, testInfo) => {
      const receiver = await startReceiver();
      try {
        const host = await createTokyoHostWithZoomPage(page, request, { name: `Webhook host ${run.locale}` });

        // Settings → Webhooks, reached through the tab.
        await page.goto('/settings/profile');
        await page.getByRole('link', { name: run.text.tab, exact: true }).click();
        await page.waitForURL(/\/settings\/webhooks$/);

        // Bad input is explained next to the field, nothing is created.
        const form = page.getByTestId('webhook-add-form');
        await form.locator('input[name="url"]').fill('ftp://example.com/x');
        await form.locator('button[type="submit"]').click();
        await expect(form.getByTestId('webhook-error-url')).toBeVisible();
        await expect(form.getByTestId('webhook-error-events')).toBeVisible();

        await form.locator('input[name="url"]').fill(receiver.url);
        await form.locator('input[name="description"]').fill('e2e receiver');
        // "All events" ticks every type; then keep only booking.created.
        await form.locator('input[name="allEvents"]').check();
        await expect(form.locator('input[name="events"]:checked')).toHaveCount(8);
        await form.locator('input[name="allEvents"]').uncheck();
        await form.locator('input[name="events"][value="booking.created"]').check();
        await form.locator('button[type="submit"]').click();

        // The secret, once.
        const secretInput = page.getByTestId('webhook-secret-value');
        await expect(secretInput).toBeVisible();
        const secret = (await secretInput.inputValue()).trim();
        expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
        expect(() => new Webhook(secret)).not.toThrow();
        const item = page.getByTestId('webhook-item');
        await expect(item).toHaveCount(1);
        await expect(item).toContainText(receiver.url);
        await expect(item).toHaveAttribute('data-status', 'active');

        if (run.locale === 'en') {
          await page.screenshot({ path: testInfo.outputPath('webhooks-desktop.png'), fullPage: true });
          await page.setViewportSize({ width: 390, height: 844 });
          await page.screenshot({ path: testInfo.outputPath('webhooks-390.png'), fullPage: true });
          await page.setViewportSize({ width: 1280, height: 720 });
        }
        await page.reload();
        await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
        expect(await page.content()).not.toContain(secret);

        // A guest books the host's page.
        const guestContext = await browser.newContext({ locale: run.browserLocale, timezoneId: 'Asia/Tokyo', extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage } });
        const guest = await guestContext.newPage();
        await guest.goto(`/${host.handle}/${host.slug}`);
        await pickFirstSlot(guest);
        await guest.locator('input[name="name"]').fill('Webhook Guest');
        await guest.locator('input[name="email"]').fill(uniqueEmail(`wh-guest-${run.locale}`));
        await guest.locator('[name="answers.company"]').fill('ACME');
        await guest.getByTestId('confirm').click();
        await guest.waitForURL(/\/booked\//);
        const bookingUid = guest.url().split('/booked/')[1]!.split(/[?#]/)[0]!;
        await guestContext.close();

        // The subscription's page.
        await page.locator(`a[href^="/settings/webhooks/"]`).first().click();
        await page.waitForURL(/\/settings\/webhooks\/[0-9a-f-]+$/);
        await expect(page.getByTestId('webhook-detail')).toHaveAttribute('data-status', 'active');
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: testInfo.outputPath(`webhook-page-390-${run.locale}.png`), fullPage: true });
        await page.setViewportSize({ width: 1280, height: 720 });

        // The receiver gets booking.created, signed.
        await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBe(1);
        const first = receiver.received[0]!;
        const event = verify(secret, first);
        expect(event.type).toBe('booking.created');
        expect(JSON.stringify(event.data)).toContain(bookingUid);

        // The log shows it delivered with the receiver's 200.
        const delivery = page.getByTestId('webhook-delivery').filter({ has: page.locator('code', { hasText: 'booking.created' }) });
        await expect(async () => {
          await page.reload();
          await expect(delivery.first()).toHaveAttribute('data-status', 'delivered', { timeout: 2000 });
        }).toPass({ timeout: 60_000 });
        await expect(delivery).toHaveCount(1);
        await expect(delivery.getByTestId('webhook-delivery-status')).toHaveText(run.text.delivered);
        await expect(delivery.getByTestId('webhook-delivery-code')).toHaveText('200');
        await expect(delivery).toHaveAttribute('data-message-id', String(first.headers['webhook-id']));

        // Expand it: the payload as sent; then Redeliver.
        await delivery.locator('summary').click();
        await expect(delivery.getByTestId('webhook-delivery-payload')).toContainText('booking.created');
        await delivery.getByTestId('webhook-redeliver').click();
        await expect(page.getByText(run.text.redelivered)).toBeVisible();

        await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBe(2);
        const second = receiver.received[1]!;
        expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
        expect(verify(secret, second)).toEqual(event);

        // The redelivery is its own row in the log, delivered too.
        await expect(async () => {
          await page.reload();
          await expect(page.locator('[data-testid="webhook-delivery"][data-event="booking.created"][data-status="delivered"]')).toHaveCount(2, { timeout: 2000 });
        }).toPass({ timeout: 60_000 });

        // "Send test event": a webhook.test delivery, signed the same way, with its own webhook-id.
        await page.getByTestId('webhook-send-test').click();
        await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBe(3);
        const test = receiver.received[2]!;
        expect(verify(secret, test).type).toBe('webhook.test');
        expect(test.headers['webhook-id']).not.toBe(first.headers['webhook-id']);
        await expect(async () => {
          await page.reload();
          await expect(page.locator('[data-testid="webhook-delivery"][data-event="webhook.test"][data-status="delivered"]')).toHaveCount(1, { timeout: 2000 });
        }).toPass({ timeout: 60_000 });
        await page.screenshot({ path: testInfo.outputPath(`webhook-log-${run.locale}.png`), fullPage: true });
      } finally {
        await receiver.close();
      }
    });
  });
}
