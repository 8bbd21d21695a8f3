import { type APIRequestContext, expect, test } from '@playwright/test';
import { newHost, uniqueEmail } from './fixtures';
import { createApiToken, dateInZone, everyDayZoomPage, readMail } from './helpers/guest';

/**
 * The host moves a booking from the bookings list (desktop) and from the booking's page (390 px): the
 * guest's slot picker in the host's zone, a note, Confirm; a slot taken meanwhile is a clear message;
 * the guest's mail says the host moved it and carries the note.
 */

test.describe.configure({ timeout: 180_000 });

const runs = [
  {
    locale: 'en',
    browserLocale: 'en-US',
    acceptLanguage: 'en-US,en;q=0.9',
    open: 'Reschedule',
    done: 'Rescheduled. The guest gets an email with the new time.',
    taken: 'That time was just taken. Please pick another one.',
    subject: /^Rescheduled:/,
    movedByHost: 'moved your booking to a new time.',
  },
  {
    locale: 'ja',
    browserLocale: 'ja-JP',
    acceptLanguage: 'ja-JP,ja;q=0.9',
    open: '日時を変更',
    done: '日時を変更しました。ゲストに新しい日時のメールが届きます。',
    taken: 'その日時はたった今埋まりました。別の日時を選んでください。',
    subject: /^日時変更/,
    movedByHost: 'がご予約の日時を変更しました。',
  },
] as const;

async function book(request: APIRequestContext, handle: string, start: string, email: string, locale: string) {
  const response = await request.post(`/api/public/pages/${handle}/talk/bookings`, {
    data: { start, name: 'Moved Guest', email, timeZone: 'Asia/Tokyo', locale },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { booking: { uid: string } }).booking.uid;
}

for (const run of runs) {
  test.describe(`host reschedule (${run.locale})`, () => {
    test.use({ locale: run.browserLocale, timezoneId: 'Asia/Tokyo', extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage } });

    test('the host moves a booking from the list and from its page; a taken slot is explained; the guest gets the note', async ({ page, request }, testInfo) => {
      const { handle } = await newHost(page, { prefix: `move-${run.locale}`, timeZone: 'Asia/Tokyo', name: `Mover ${run.locale}` });
      const apiToken = await createApiToken(page);
      const created = await request.post('/api/v1/booking-pages', {
        headers: { authorization: `Bearer ${apiToken}` },
        data: everyDayZoomPage({ slug: 'talk', title: 'Talk', location: { type: 'phone' } }),
      });
      expect(created.status(), await created.text()).toBe(201);
      const slots = await request.get(`/api/public/pages/${handle}/talk/slots?from=${dateInZone('Asia/Tokyo', 1)}&to=${dateInZone('Asia/Tokyo', 8)}&timeZone=Asia/Tokyo`);
      const first = ((await slots.json()) as { days: { slots: string[] }[] }).days.flatMap((d) => d.slots)[0]!;
      const guestEmail = uniqueEmail(`moved-${run.locale}`);
      const uid = await book(request, handle, first, guestEmail, run.locale);

      // From the list.
      await page.goto('/bookings');
      const card = page.locator(`[data-testid="host-booking"][data-uid="${uid}"]`);
      await card.getByRole('button', { name: run.open }).click();
      const picker = card.getByTestId('host-reschedule');
      await picker.locator('button[data-available="true"]').first().click();
      const slot = picker.getByTestId('slot').first();
      const newStart = (await slot.getAttribute('data-start'))!;
      expect(newStart).not.toBe(first);
      await page.screenshot({ path: testInfo.outputPath(`host-reschedule-picker-${run.locale}.png`), fullPage: true });
      await slot.click();
      await picker.getByTestId('host-reschedule-note').fill('Sorry — a clash came up. <b>See you then</b>');
      await page.screenshot({ path: testInfo.outputPath(`host-reschedule-confirm-${run.locale}.png`), fullPage: true });
      await picker.getByTestId('host-reschedule-confirm').click();
      await expect(card.getByText(run.done)).toBeVisible();
      const detail = await request.get(`/api/v1/bookings/${uid}`, { headers: { authorization: `Bearer ${apiToken}` } });
      expect(((await detail.json()) as { booking: { start: string } }).booking.start).toBe(newStart);

      const mail = await readMail(page, guestEmail, run.subject);
      expect(mail).toContain(`Mover ${run.locale} ${run.movedByHost}`);
      expect(mail).toContain('Sorry — a clash came up. <b>See you then</b>');

      // From the booking's page on a phone: another guest takes the chosen slot before the host confirms.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`/bookings/${uid}`);
      await page.getByRole('button', { name: run.open }).click();
      const phonePicker = page.getByTestId('host-reschedule');
      await phonePicker.locator('button[data-available="true"]').first().click();
      const phoneSlot = phonePicker.getByTestId('slot').first();
      const wanted = (await phoneSlot.getAttribute('data-start'))!;
      await phoneSlot.click();
      await book(request, handle, wanted, uniqueEmail('other'), run.locale);
      await page.screenshot({ path: testInfo.outputPath(`host-reschedule-390-${run.locale}.png`), fullPage: true });
      await phonePicker.getByTestId('host-reschedule-confirm').click();
      await expect(page.getByTestId('host-reschedule-taken')).toHaveText(run.taken);
      // The picker is back, without the taken slot.
      await expect(phonePicker.locator(`[data-testid="slot"][data-start="${wanted}"]`)).toHaveCount(0);
      await page.screenshot({ path: testInfo.outputPath(`host-reschedule-taken-390-${run.locale}.png`), fullPage: true });
    });
  });
}
