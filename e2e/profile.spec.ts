import { expect, test } from '@playwright/test';
import { createPage, createTokyoHostWithZoomPage } from './helpers/guest';

/** Issue 14: a host's public profile at /{handle} lists their published pages (it was a bare 404). */

for (const run of [
  { locale: 'en', browserLocale: 'en-US', book: 'Choose a time', title: /Book a time with/ },
  { locale: 'ja', browserLocale: 'ja-JP', book: '日時を選ぶ', title: /さんの予約ページ/ },
] as const) {
  test.describe(`host profile (${run.locale})`, () => {
    test.use({ locale: run.browserLocale, extraHTTPHeaders: { 'Accept-Language': run.browserLocale } });

    test('lists the published pages only, each linking to its booking page; an unknown handle is the friendly 404', async ({ browser, page, request }, testInfo) => {
      const host = await createTokyoHostWithZoomPage(page, request, { name: 'Profile Host', title: 'Consultation <b>' });
      await createPage(request, host.apiToken, { slug: 'phone', title: 'Phone chat', location: { type: 'phone' } });
      await createPage(request, host.apiToken, { slug: 'hidden', title: 'Not yet', published: false });

      // As a guest (not signed in), on a phone.
      const guest = await browser.newContext({ locale: run.browserLocale, viewport: { width: 390, height: 844 } });
      const visitor = await guest.newPage();
      const response = await visitor.goto(`/${host.handle}`);
      expect(response?.status()).toBe(200);
      await expect(visitor).toHaveTitle(run.title);
      await expect(visitor.getByTestId('profile-name')).toHaveText('Profile Host');
      const cards = visitor.getByTestId('profile-page');
      await expect(cards).toHaveCount(2);
      await expect(cards.first()).toContainText('Consultation <b>');
      await expect(visitor.getByText('Not yet')).toHaveCount(0);
      await visitor.screenshot({ path: testInfo.outputPath(`profile-${run.locale}.png`), fullPage: true });

      await cards.nth(1).getByRole('link', { name: run.book }).click();
      await expect(visitor).toHaveURL(new RegExp(`/${host.handle}/phone$`));
      await expect(visitor.getByTestId('page-title')).toHaveText('Phone chat');

      expect((await visitor.goto('/no-such-host-zz9'))?.status()).toBe(404);
      await guest.close();
    });
  });
}
