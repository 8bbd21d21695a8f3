import { expect, type Page, test } from '@playwright/test';
import { newHost } from './fixtures';

/**
 * Shared availability schedules, in both languages, at desktop width and on a phone: the host makes
 * "Evenings" on the Availability page, a booking page uses it, guests are offered evening times, and
 * editing the schedule moves those times. The editor's clock follows the host's language habit
 * (12-hour in English, 24-hour in Japanese) in the pickers, the summaries and the preview alike.
 */

type SlotsBody = { days: { date: string; slots: string[] }[] };

const RUNS = [
  {
    locale: 'en',
    browserLocale: 'en-US',
    viewport: { width: 1280, height: 900 },
    other: { width: 390, height: 844 },
    t: {
      nav: 'Availability',
      newSchedule: 'New schedule',
      create: 'Create schedule',
      save: 'Save schedule',
      monFrom: 'Monday From',
      monTo: 'Monday To',
      copy: 'Copy to all days',
      createPage: 'Create page',
      savePage: 'Save',
      workingHours: 'Working hours',
      nineAm: '9:00 AM',
      sixPm: '6:00 PM',
      evenings: '6:00 PM – 9:00 PM',
      later: '7:00 PM – 10:00 PM',
      appliesTo: 'Changes apply to 1 page',
    },
  },
  {
    locale: 'ja',
    browserLocale: 'ja-JP',
    viewport: { width: 390, height: 844 },
    other: { width: 1280, height: 900 },
    t: {
      nav: '空き時間',
      newSchedule: 'スケジュールを作成',
      create: 'スケジュールを作成',
      save: 'スケジュールを保存',
      monFrom: '月曜日 開始',
      monTo: '月曜日 終了',
      copy: '全曜日にコピー',
      createPage: 'ページを作成',
      savePage: '保存',
      workingHours: '勤務時間',
      nineAm: '09:00',
      sixPm: '18:00',
      evenings: '18:00 – 21:00',
      later: '19:00 – 22:00',
      appliesTo: '変更は1ページに反映されます',
    },
  },
] as const;

/** The next Monday at least two days ahead in Tokyo (clear of the page's minimum notice). */
function nextMondayInTokyo(): string {
  for (let days = 2; ; days++) {
    const at = new Date(Date.now() + days * 86_400_000);
    const weekday = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', weekday: 'short' }).format(at);
    if (weekday === 'Mon') return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  }
}

const tokyo = (date: string, times: string[]) => times.map((time) => new Date(`${date}T${time}:00+09:00`).toISOString());

async function mondaySlots(page: Page, handle: string, slug: string, monday: string): Promise<string[]> {
  const response = await page.request.get(`/api/public/pages/${handle}/${slug}/slots?from=${monday}&to=${monday}&timeZone=Asia/Tokyo`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as SlotsBody).days.flatMap((d) => d.slots);
}

for (const run of RUNS) {
  test.describe(`availability schedules (${run.locale})`, () => {
    test.use({ locale: run.browserLocale, extraHTTPHeaders: { 'Accept-Language': run.browserLocale }, timezoneId: 'Asia/Tokyo', viewport: run.viewport });

    test('a host shares "Evenings" with a page; guests get evening times, and editing the schedule moves them', async ({ page }, testInfo) => {
      test.setTimeout(240_000);
      const { handle } = await newHost(page, { name: 'Schedule Host', timeZone: 'Asia/Tokyo', prefix: `sch${run.locale}` });
      const monday = nextMondayInTokyo();
      const shot = async (name: string) => {
        await page.screenshot({ path: testInfo.outputPath(`${name}-${run.locale}-${run.viewport.width}.png`), fullPage: true });
        await page.setViewportSize(run.other);
        await page.screenshot({ path: testInfo.outputPath(`${name}-${run.locale}-${run.other.width}.png`), fullPage: true });
        await page.setViewportSize(run.viewport);
      };

      // A new page starts on the host's first schedule, made for them: Mon–Fri 9–17 in their zone.
      await page.goto('/pages/new');
      await expect(page.locator('select[name="scheduleId"] option:checked')).toHaveText(run.t.workingHours);
      await expect(page.getByTestId('summary-mon')).toContainText(`${run.t.nineAm} – `);
      // The preview's times read like the pickers (no 24-hour text in an English editor, no "am" in a Japanese one).
      await expect(page.getByTestId('preview-days').getByText(run.t.nineAm, { exact: true }).first()).toBeVisible();
      await page.locator('input[name="title"]').fill('Evening call');
      await page.locator('input[name="slug"]').fill('evening-call');
      await page.getByRole('button', { name: run.t.createPage }).click();
      await page.waitForURL(/\/pages\/[0-9a-f-]{36}\?created=1$/);
      const pageUrl = new URL(page.url()).pathname;
      expect(await mondaySlots(page, handle, 'evening-call', monday)).toContain(tokyo(monday, ['09:00'])[0]);

      // "Evenings" on the Availability page (host menu), Mon–Fri 18–21.
      if (run.viewport.width < 600) await page.getByTestId('host-menu').locator('summary').click();
      await page.getByRole('link', { name: run.t.nav, exact: true }).filter({ visible: true }).click();
      await page.waitForURL(/\/availability$/);
      await page.getByRole('link', { name: run.t.newSchedule }).click();
      await page.locator('input[name="name"]').fill('Evenings');
      const mon = page.getByTestId('day-mon');
      await mon.getByLabel(run.t.monFrom).selectOption('18:00');
      await mon.getByLabel(run.t.monTo).selectOption('21:00');
      await expect(mon.getByLabel(run.t.monFrom).locator('option:checked')).toHaveText(run.t.sixPm);
      await mon.getByRole('button', { name: run.t.copy }).click();
      await page.getByRole('button', { name: run.t.create }).click();
      await page.waitForURL(/\/availability\/[0-9a-f-]{36}$/);
      const scheduleUrl = new URL(page.url()).pathname;

      // The page picks it: its hours show read-only, in the host's clock.
      await page.goto(pageUrl);
      await page.locator('select[name="scheduleId"]').selectOption({ label: 'Evenings' });
      await expect(page.getByTestId('schedule-in-use').getByTestId('summary-mon')).toContainText(run.t.evenings);
      await expect(page.getByTestId('preview-days').getByText(run.t.sixPm, { exact: true }).first()).toBeVisible();
      await page.getByRole('button', { name: run.t.savePage, exact: true }).click();
      await expect(page.getByTestId('save-status')).toContainText('✓');
      await shot('page-editor-schedule');
      expect(await mondaySlots(page, handle, 'evening-call', monday)).toEqual(tokyo(monday, ['18:00', '18:30', '19:00', '19:30', '20:00', '20:30']));

      // Editing the schedule moves the page's times at once.
      await page.goto(scheduleUrl);
      await expect(page.getByTestId('schedule-applies-to')).toContainText(run.t.appliesTo);
      await expect(page.getByTestId('schedule-applies-to')).toContainText('Evening call');
      await page.getByTestId('day-mon').getByLabel(run.t.monTo).selectOption('22:00');
      await page.getByTestId('day-mon').getByLabel(run.t.monFrom).selectOption('19:00');
      await page.getByRole('button', { name: run.t.save }).click();
      await expect(page.getByTestId('save-status')).toContainText('✓');
      await shot('schedule-editor');
      expect(await mondaySlots(page, handle, 'evening-call', monday)).toEqual(tokyo(monday, ['19:00', '19:30', '20:00', '20:30', '21:00', '21:30']));

      // The list shows both schedules, which page uses which, in the host's clock.
      await page.goto('/availability');
      const evenings = page.getByTestId('schedule-item').filter({ hasText: 'Evenings' });
      await expect(evenings).toContainText('Evening call');
      await expect(evenings.getByTestId('summary-mon')).toContainText(run.t.later);
      await expect(page.getByTestId('schedule-item')).toHaveCount(2);
      await shot('availability-list');
    });
  });
}
