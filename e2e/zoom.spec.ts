import { expect, type Page, test } from '@playwright/test';
import { newHost, uniqueEmail } from './fixtures';

/**
 * Settings → Integrations → Zoom against the in-app Zoom emulator (demo mode): connect → connected
 * → disconnect, and the deny path, in both languages. Each test uses its own emulated Zoom user
 * (one Zoom account links to one host).
 */

async function newZoomUser(page: Page, prefix: string): Promise<string> {
  const email = uniqueEmail(`zoom-${prefix}`).replace('@example.com', '@zoom-demo.example');
  const response = await page.request.post('/api/emulators/zoom/__control/users', { data: { email, firstName: 'E2E', lastName: prefix, timezone: 'Asia/Tokyo' } });
  expect(response.ok()).toBe(true);
  return email;
}

const TEXT = {
  en: {
    connect: 'Connect Zoom',
    connected: 'Zoom is connected.',
    connectedAs: (email: string) => `Connected as ${email}`,
    disconnect: 'Disconnect',
    disconnected: 'Zoom is disconnected',
    denied: 'access was denied',
    notConnected: 'Not connected',
  },
  ja: {
    connect: 'Zoomと連携する',
    connected: 'Zoomと連携しました。',
    connectedAs: (email: string) => `${email} と連携中`,
    disconnect: '連携を解除',
    disconnected: 'Zoomとの連携を解除',
    denied: 'アクセスが拒否された',
    notConnected: '未連携',
  },
} as const;

for (const locale of ['en', 'ja'] as const) {
  const text = TEXT[locale];
  test.describe(`zoom integration (${locale})`, () => {
    test.use({
      locale: locale === 'ja' ? 'ja-JP' : 'en-US',
      extraHTTPHeaders: { 'Accept-Language': locale === 'ja' ? 'ja-JP,ja;q=0.9' : 'en-US,en;q=0.9' },
      timezoneId: 'Asia/Tokyo',
    });

    test('connect → connected → disconnect', async ({ page }, testInfo) => {
      await newHost(page, { prefix: `zoom-${locale}` });
      const zoomEmail = await newZoomUser(page, locale);
      await page.goto('/settings/integrations');
      const card = page.getByTestId('zoom-card');
      await expect(card).toHaveAttribute('data-state', 'none');
      await expect(card.getByText(text.notConnected)).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`zoom-none-${locale}.png`), fullPage: true });

      await card.getByRole('link', { name: text.connect }).click();
      // Zoom's (emulated) consent page
      await expect(page).toHaveURL(/\/api\/emulators\/zoom\/oauth\/authorize\?/);
      const authorizeUrl = new URL(page.url());
      expect(authorizeUrl.searchParams.has('scope')).toBe(false);
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
      await page.getByText(zoomEmail).click();
      await page.screenshot({ path: testInfo.outputPath(`zoom-consent-${locale}.png`), fullPage: true });
      await page.getByRole('button', { name: 'Allow' }).click();

      await expect(page).toHaveURL(/\/settings\/integrations\?zoom=connected/);
      await expect(page.getByTestId('zoom-notice')).toContainText(text.connected);
      await expect(card).toHaveAttribute('data-state', 'active');
      await expect(page.getByTestId('zoom-connected-as')).toHaveText(text.connectedAs(zoomEmail));
      await page.screenshot({ path: testInfo.outputPath(`zoom-connected-${locale}.png`), fullPage: true });
      // the state/PKCE cookie is single use
      expect((await page.context().cookies()).some((c) => c.name === 'aki_zoom_oauth')).toBe(false);

      // Disconnecting asks first; dismissing keeps the link.
      page.once('dialog', (dialog) => void dialog.dismiss());
      await card.getByRole('button', { name: text.disconnect }).click();
      await page.waitForTimeout(500); // a submit would have navigated by now
      await expect(page).not.toHaveURL(/zoom=disconnected/);
      await expect(page.getByTestId('zoom-connected-as')).toBeVisible();
      page.once('dialog', (dialog) => void dialog.accept());
      await card.getByRole('button', { name: text.disconnect }).click();
      await expect(page).toHaveURL(/\/settings\/integrations\?zoom=disconnected/);
      await expect(page.getByTestId('zoom-notice')).toContainText(text.disconnected);
      await expect(card).toHaveAttribute('data-state', 'none');
      await expect(card.getByRole('link', { name: text.connect })).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`zoom-disconnected-${locale}.png`), fullPage: true });

      // Zoom saw the revoke
      const state = (await (await page.request.get('/api/emulators/zoom/__control/state')).json()) as {
        users: { id: string; email: string }[];
        tokenSets: { userId: string; revokedReason: string | null }[];
      };
      const zoomUser = state.users.find((u) => u.email === zoomEmail)!;
      expect(state.tokenSets.filter((s) => s.userId === zoomUser.id).map((s) => s.revokedReason)).toEqual(['revoked']);
    });

    test('deny on Zoom ends on the integrations page with an explanation', async ({ page }, testInfo) => {
      await newHost(page, { prefix: `zoomdeny-${locale}` });
      await page.goto('/settings/integrations');
      const card = page.getByTestId('zoom-card');
      await card.getByRole('link', { name: text.connect }).click();
      await expect(page).toHaveURL(/\/oauth\/authorize\?/);
      await page.getByRole('button', { name: 'Deny' }).click();
      await expect(page).toHaveURL(/\/settings\/integrations\?zoom=denied/);
      await expect(page.getByTestId('zoom-notice')).toContainText(text.denied);
      await expect(card).toHaveAttribute('data-state', 'none');
      await page.screenshot({ path: testInfo.outputPath(`zoom-denied-${locale}.png`), fullPage: true });
    });
  });
}
