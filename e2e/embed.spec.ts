import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type FrameLocator, type Page, test } from '@playwright/test';
import { newHost, uniqueEmail } from './fixtures';
import { createApiToken, everyDayZoomPage } from './helpers/guest';

/**
 * Embedding: a page served from ANOTHER origin (127.0.0.1 on its own port: another site than the app's
 * localhost) embeds a booking page inline and as a popup with the snippets of the Embed panel. The
 * guest books inside the frame; the frame's height follows its content; a host page framed from that
 * site is refused by its headers.
 */

test.describe.configure({ timeout: 180_000 });

const runs = [
  { locale: 'en', browserLocale: 'en-US', acceptLanguage: 'en-US,en;q=0.9', heading: 'Select a date & time', booked: "You're booked", button: 'Book a time' },
  { locale: 'ja', browserLocale: 'ja-JP', acceptLanguage: 'ja-JP,ja;q=0.9', heading: '日時を選択', booked: '予約が確定しました', button: '日時を予約する' },
] as const;

let embedder: Server;
let embedderOrigin = '';
let html = '';

test.beforeAll(async () => {
  embedder = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolve) => embedder.listen(0, '127.0.0.1', resolve));
  embedderOrigin = `http://127.0.0.1:${(embedder.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  embedder.closeAllConnections();
  await new Promise((resolve) => embedder.close(resolve));
});

/** The frame's content height and the iframe's own height (px). */
async function heights(page: Page) {
  const frameHeight = await page.locator('[data-aki-inline] iframe').evaluate((el) => (el as HTMLIFrameElement).getBoundingClientRect().height);
  const contentHeight = await page
    .frameLocator('[data-aki-inline] iframe')
    .locator('body')
    .evaluate((body) => body.getBoundingClientRect().height);
  return { frameHeight, contentHeight };
}

async function expectFrameFitsContent(page: Page) {
  await expect
    .poll(async () => {
      const { frameHeight, contentHeight } = await heights(page);
      return Math.abs(frameHeight - Math.max(320, Math.ceil(contentHeight)));
    })
    .toBeLessThanOrEqual(1);
}

async function pickFirstSlotIn(frame: FrameLocator): Promise<void> {
  const day = frame.locator('[data-testid="booking-widget"] button[data-available="true"]').first();
  await expect(day).toBeVisible();
  await day.click();
  const slot = frame.getByTestId('slot').first();
  await expect(slot).toBeVisible();
  await slot.click();
}

for (const run of runs) {
  test.describe(`embedding (${run.locale})`, () => {
    test.use({ locale: run.browserLocale, timezoneId: 'Asia/Tokyo', extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage } });

    test('another site embeds a booking page inline and as a popup; the guest books inside the frame', async ({ browser, page, request, baseURL }, testInfo) => {
      const { handle } = await newHost(page, { prefix: `embed-${run.locale}` });
      const apiToken = await createApiToken(page);
      const created = await request.post('/api/v1/booking-pages', {
        headers: { authorization: `Bearer ${apiToken}` },
        data: everyDayZoomPage({ slug: 'chat', title: 'Embedded chat', location: { type: 'phone' } }),
      });
      expect(created.status(), await created.text()).toBe(201);

      // The host copies the snippets from the Embed panel.
      await page.goto('/dashboard');
      const panel = page.getByTestId('embed-panel').first();
      await panel.locator('summary').click();
      const inlineSnippet = (await panel.getByTestId('embed-snippet-inline').textContent()) ?? '';
      const popupSnippet = (await panel.getByTestId('embed-snippet-popup').textContent()) ?? '';
      const pageUrl = `${baseURL}/${handle}/chat`;
      expect(inlineSnippet).toBe(`<div data-aki-inline="${pageUrl}"></div>\n<script src="${baseURL}/embed.js" async></script>`);
      expect(popupSnippet).toContain(`data-aki-popup="${pageUrl}">${run.button}</button>`);
      html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Shop</title></head>
<body style="margin:0;font-family:sans-serif"><header style="padding:12px;background:#234;color:#fff">Someone else's site</header>
${popupSnippet.replace(/\n<script[^>]*><\/script>/, '')}
${inlineSnippet}
<p id="after">Footer of the other site</p></body></html>`;

      // Public booking pages and embed.js may be framed by any site; host pages keep refusing.
      for (const path of [`/${handle}/chat`, '/embed.js']) {
        const response = await request.get(path);
        expect(response.headers()['x-frame-options'], path).toBeUndefined();
        expect(response.headers()['content-security-policy'], path).toBe('frame-ancestors *');
      }

      const guestContext = await browser.newContext({ locale: run.browserLocale, timezoneId: 'Asia/Tokyo', extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage } });
      const guest = await guestContext.newPage();
      await guest.goto(embedderOrigin);
      const frame = guest.frameLocator('[data-aki-inline] iframe');
      await expect(frame.getByRole('heading', { name: run.heading })).toBeVisible();
      // No Aki chrome inside the frame (header, language switcher).
      await expect(frame.locator('header.topbar')).toHaveCount(0);
      await expectFrameFitsContent(guest);

      await pickFirstSlotIn(frame);
      await expect(frame.locator('input[name="name"]')).toBeVisible();
      await expectFrameFitsContent(guest);
      await frame.locator('input[name="name"]').fill('Embedded Guest');
      await frame.locator('input[name="email"]').fill(uniqueEmail(`embed-guest-${run.locale}`));
      await frame.getByTestId('confirm').click();
      await expect(frame.getByTestId('confirmation')).toBeVisible();
      await expect(frame.getByRole('heading', { level: 1 })).toHaveText(run.booked);
      await expect(frame.locator('header.topbar')).toHaveCount(0);
      await expect(frame.getByTestId('manage-link')).toHaveAttribute('href', /embed=1/);
      await expectFrameFitsContent(guest);
      // Viewport captures: a full-page capture leaves cross-origin frames blank.
      await guest.locator('[data-aki-inline] iframe').scrollIntoViewIfNeeded();
      await guest.screenshot({ path: testInfo.outputPath(`embed-inline-${run.locale}.png`) });

      // Popup: opens over the page, focus goes in, Esc closes and gives focus back to the button.
      const button = guest.getByRole('button', { name: run.button });
      await button.click();
      const dialog = guest.getByRole('dialog');
      await expect(dialog).toBeVisible();
      await expect(guest.locator('[data-aki-close]')).toBeFocused();
      await expect(guest.frameLocator('[data-aki-overlay] iframe').getByRole('heading', { name: run.heading })).toBeVisible();
      await guest.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);
      await expect(button).toBeFocused();
      // Esc pressed inside the framed page closes it too; so does ×.
      await button.click();
      const popupFrame = guest.frameLocator('[data-aki-overlay] iframe');
      await expect(popupFrame.getByRole('heading', { name: run.heading })).toBeVisible();
      await popupFrame.getByRole('heading', { name: run.heading }).click();
      await guest.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);
      await button.click();
      await guest.locator('[data-aki-close]').click();
      await expect(dialog).toHaveCount(0);

      // A phone: the inline frame and the popup at 390 px.
      await guest.setViewportSize({ width: 390, height: 844 });
      await guest.reload();
      await expect(frame.getByRole('heading', { name: run.heading })).toBeVisible();
      await expectFrameFitsContent(guest);
      await guest.screenshot({ path: testInfo.outputPath(`embed-390-${run.locale}.png`) });
      await button.click();
      await expect(guest.frameLocator('[data-aki-overlay] iframe').getByRole('heading', { name: run.heading })).toBeVisible();
      await guest.screenshot({ path: testInfo.outputPath(`embed-popup-390-${run.locale}.png`) });
      await guestContext.close();
    });

    test('a host page framed by another site is refused by its headers and not shown', async ({ page }) => {
      const base = test.info().project.use.baseURL!;
      html = `<!doctype html><html><body><iframe id="host" src="${base}/dashboard" style="width:600px;height:400px"></iframe></body></html>`;
      const responses: { url: string; headers: Record<string, string> }[] = [];
      page.on('response', (response) => {
        if (response.url().startsWith(base)) responses.push({ url: response.url(), headers: response.headers() });
      });
      await page.goto(embedderOrigin);
      await expect.poll(() => responses.length).toBeGreaterThan(0);
      // /dashboard (signed out: a redirect to /login) and /login both refuse other sites.
      for (const response of responses) {
        expect(response.headers['x-frame-options'], response.url).toBe('SAMEORIGIN');
        expect(response.headers['content-security-policy'], response.url).toContain("frame-ancestors 'self'");
      }
      await expect(page.frameLocator('#host').locator('input[name="email"]')).toHaveCount(0);
    });
  });
}
