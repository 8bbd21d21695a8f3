import { expect, type Page, test } from '@playwright/test';
import { newHost, uniqueEmail } from './fixtures';
import { linkZoom, pickFirstSlot } from './helpers/guest';
import { signInBySession } from './helpers/session';
import { createTeam, everyDayTeamPage, uniqueTeamSlug } from './helpers/team';

/**
 * Issue 15, guest side: an organisation's profile (/team/{org}) lists its team pages; a guest books
 * the round-robin page and sees the one member assigned, then the collective page and sees every
 * member. The organisation and its pages are set up through the test route (the admin screens are
 * not what this spec is about). In English and Japanese, and once on a 390 px phone.
 */

test.describe.configure({ timeout: 180_000 });

const runs = [
  {
    locale: 'en',
    browserLocale: 'en-US',
    acceptLanguage: 'en-US,en;q=0.9',
    hosts: ['Aiko Tanaka', 'Ben Carter'],
    team: 'Sakura Coaching',
    text: {
      heading: 'Select a date & time',
      booked: "You're booked",
      book: 'Choose a time',
      oneOf: 'One of:',
      with: 'With',
      notFound: "This booking page isn't available",
      alternativeHosts: 'Alternative hosts in Zoom',
    },
  },
  {
    locale: 'ja',
    browserLocale: 'ja-JP',
    acceptLanguage: 'ja-JP,ja;q=0.9',
    hosts: ['田中 愛子', '佐藤 健'],
    team: 'さくらコーチング',
    text: {
      heading: '日時を選択',
      booked: '予約が確定しました',
      book: '日時を選ぶ',
      oneOf: 'のいずれか',
      with: '全員',
      notFound: 'この予約ページは表示できません',
      alternativeHosts: 'Zoom の代替ホスト',
    },
  },
] as const;

type Run = (typeof runs)[number];

/** Two hosts (signed in one after the other on `page`) in one organisation with a round-robin page `intro` and a collective page `panel`. */
async function setUpTeam(page: Page, run: Run): Promise<{ slug: string }> {
  const first = await newHost(page, { name: run.hosts[0], timeZone: 'Asia/Tokyo', prefix: `team-a-${run.locale}` });
  const second = await newHost(page, { name: run.hosts[1], timeZone: 'Asia/Tokyo', prefix: `team-b-${run.locale}` });
  const slug = uniqueTeamSlug(`t${run.locale}`);
  await createTeam(page, {
    hostEmails: [first.email, second.email],
    name: `${run.team} ${slug.slice(-4)}`,
    slug,
    pages: [
      { kind: 'round_robin', page: everyDayTeamPage({ slug: 'intro', title: run.locale === 'ja' ? '無料相談' : 'Intro call' }) },
      { kind: 'collective', page: everyDayTeamPage({ slug: 'panel', title: run.locale === 'ja' ? 'パネル面談' : 'Panel interview' }) },
    ],
  });
  return { slug };
}

/** Fills the guest form and confirms; waits for the team confirmation page. */
async function confirmAs(guest: Page, name: string, email: string): Promise<void> {
  await guest.locator('input[name="name"]').fill(name);
  await guest.locator('input[name="email"]').fill(email);
  await guest.getByTestId('confirm').click();
  await guest.waitForURL(/\/team\/[^/]+\/[^/]+\/booked\/[^/?]+\?token=/);
  await expect(guest.getByTestId('confirmation')).toBeVisible();
}

for (const run of runs) {
  test.describe(`team pages (${run.locale})`, () => {
    test.use({ locale: run.browserLocale, timezoneId: 'Asia/Tokyo', extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage } });

    test('a guest finds the team pages on the organisation profile, books the round-robin and the collective page and sees who they meet', async ({
      browser,
      page,
    }, testInfo) => {
      const { slug } = await setUpTeam(page, run);
      const guestContext = await browser.newContext({ locale: run.browserLocale, timezoneId: 'Asia/Tokyo', extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage } });
      const guest = await guestContext.newPage();

      // An unknown organisation: the friendly not-found, as for an unknown host.
      const missing = await guest.goto(`/team/${uniqueTeamSlug('nobody')}`);
      expect(missing?.status()).toBe(404);
      const missingPage = await guest.goto(`/team/${slug}/no-such-page`);
      expect(missingPage?.status()).toBe(404);
      await expect(guest.getByTestId('booking-not-found')).toContainText(run.text.notFound);

      // The profile: both published team pages, each linking to its booking page.
      await guest.goto(`/team/${slug}`);
      await expect(guest.getByTestId('profile-name')).toContainText(run.team);
      const cards = guest.getByTestId('profile-page');
      await expect(cards).toHaveCount(2);
      await expect(cards.nth(0)).toHaveAttribute('data-kind', 'round_robin');
      await expect(cards.nth(1)).toHaveAttribute('data-kind', 'collective');
      await guest.screenshot({ path: testInfo.outputPath(`team-profile-${run.locale}.png`), fullPage: true });

      // Round-robin: "one of" both members; the confirmation names the one assigned.
      await cards.nth(0).getByRole('link', { name: run.text.book }).click();
      await guest.waitForURL(new RegExp(`/team/${slug}/intro$`));
      await expect(guest.getByTestId('host-name')).toContainText(run.team);
      const members = guest.getByTestId('team-members');
      await expect(members).toContainText(run.text.oneOf);
      for (const name of run.hosts) await expect(members).toContainText(name);
      await expect(guest.getByRole('heading', { name: run.text.heading })).toBeVisible();
      await guest.screenshot({ path: testInfo.outputPath(`team-round-robin-${run.locale}.png`), fullPage: true });
      await pickFirstSlot(guest);
      await confirmAs(guest, 'Round Robin Guest', uniqueEmail(`team-guest-${run.locale}`));
      await expect(guest.getByRole('heading', { level: 1 })).toHaveText(run.text.booked);
      const assigned = (await guest.getByTestId('confirmation-hosts').textContent())?.trim();
      expect(run.hosts).toContain(assigned);
      // The calendar file and "book another time" stay on the team's address.
      const ics = await guest.request.get((await guest.getByTestId('download-ics').getAttribute('href'))!);
      expect(ics.status()).toBe(200);
      expect(await ics.text()).toContain('BEGIN:VCALENDAR');
      await expect(guest.locator(`a[href="/team/${slug}/intro"]`)).toBeVisible();
      await guest.screenshot({ path: testInfo.outputPath(`team-round-robin-booked-${run.locale}.png`), fullPage: true });

      // Collective: every member, on the page and on the confirmation.
      await guest.goto(`/team/${slug}/panel`);
      const panelMembers = guest.getByTestId('team-members');
      await expect(panelMembers).toContainText(run.text.with);
      for (const name of run.hosts) await expect(panelMembers).toContainText(name);
      await guest.screenshot({ path: testInfo.outputPath(`team-collective-${run.locale}.png`), fullPage: true });
      await pickFirstSlot(guest);
      await confirmAs(guest, 'Collective Guest', uniqueEmail(`team-guest-${run.locale}`));
      for (const name of run.hosts) await expect(guest.getByTestId('confirmation-hosts')).toContainText(name);
      await guest.screenshot({ path: testInfo.outputPath(`team-collective-booked-${run.locale}.png`), fullPage: true });

      // The uid identifies the booking: a wrong page in the address is corrected.
      const bookedUrl = new URL(guest.url());
      await guest.goto(bookedUrl.pathname.replace('/panel/', '/intro/') + bookedUrl.search);
      await guest.waitForURL(new RegExp(`/team/${slug}/panel/booked/`));
      await guestContext.close();
    });

    test('a collective Zoom page: one meeting, the other member its alternative host, shown to both members', async ({ browser, page, request }, testInfo) => {
      // Both members' Zoom users in one Zoom account (Zoom takes alternative hosts only from the host's account).
      const account = `e2e-${run.locale}-${Date.now().toString(36)}`;
      const first = await newHost(page, { name: run.hosts[0], timeZone: 'Asia/Tokyo', prefix: `alt-a-${run.locale}` });
      await linkZoom(page, request, first.email, { accountId: account });
      const second = await newHost(page, { name: run.hosts[1], timeZone: 'Asia/Tokyo', prefix: `alt-b-${run.locale}` });
      await linkZoom(page, request, second.email, { accountId: account });
      const slug = uniqueTeamSlug(`z${run.locale}`);
      await createTeam(page, {
        hostEmails: [first.email, second.email],
        name: `${run.team} ${slug.slice(-4)}`,
        slug,
        pages: [{ kind: 'collective', page: everyDayTeamPage({ slug: 'panel', title: 'Panel', location: { type: 'zoom' } }) }],
      });
      const guestContext = await browser.newContext({ locale: run.browserLocale, timezoneId: 'America/New_York', extraHTTPHeaders: { 'Accept-Language': run.acceptLanguage } });
      const guest = await guestContext.newPage();
      await guest.goto(`/team/${slug}/panel`);
      await pickFirstSlot(guest);
      await confirmAs(guest, 'Zoom Panel Guest', uniqueEmail(`team-zoom-guest-${run.locale}`));
      await guestContext.close();

      // Each member's own booking page: the meeting's link and the second member as its alternative host.
      for (const member of [first, second]) {
        await signInBySession(page, member.email);
        await page.goto('/bookings');
        await page.goto((await page.getByTestId('host-booking-details').first().getAttribute('href'))!);
        const hosts = page.getByTestId('alternative-hosts');
        // The meeting may still be on its way (the worker makes it when the confirm did not wait for Zoom).
        await expect(async () => {
          await page.reload();
          await expect(hosts).toContainText(run.text.alternativeHosts, { timeout: 1_000 });
        }).toPass({ timeout: 30_000 });
        await expect(hosts).toContainText(`zoom-${second.email}`);
        await expect(hosts).not.toContainText(`zoom-${first.email}`);
        // The hosting member starts and cancels; the other member's share only links to the meeting.
        const isHost = member === first;
        await expect(page.getByTestId('start-meeting')).toHaveCount(isHost ? 1 : 0);
        await expect(page.getByTestId('host-cancel')).toHaveCount(isHost ? 1 : 0);
        await expect(page.getByTestId('member-part')).toHaveCount(isHost ? 0 : 1);
        await page.screenshot({ path: testInfo.outputPath(`team-alternative-hosts-${run.locale}-${member === first ? 'host' : 'member'}.png`), fullPage: true });
      }
    });
  });
}

test.describe('team pages on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, timezoneId: 'Asia/Tokyo', locale: 'ja-JP', extraHTTPHeaders: { 'Accept-Language': 'ja' } });

  test('the profile, the round-robin booking page and its confirmation fit a 390 px screen', async ({ page }, testInfo) => {
    const run = runs[1];
    const { slug } = await setUpTeam(page, run);
    const noOverflow = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.goto(`/team/${slug}`);
    await expect(page.getByTestId('profile-page')).toHaveCount(2);
    await noOverflow();
    await page.screenshot({ path: testInfo.outputPath('team-profile-390.png'), fullPage: true });

    await page.goto(`/team/${slug}/intro`);
    await expect(page.getByTestId('team-members')).toContainText(run.text.oneOf);
    await noOverflow();
    await page.screenshot({ path: testInfo.outputPath('team-round-robin-390.png'), fullPage: true });
    await pickFirstSlot(page);
    await expect(page.getByTestId('booking-form')).toBeVisible();
    await noOverflow();
    await page.screenshot({ path: testInfo.outputPath('team-form-390.png'), fullPage: true });
    await confirmAs(page, 'Phone Guest', uniqueEmail('team-phone'));
    expect(run.hosts).toContain((await page.getByTestId('confirmation-hosts').textContent())?.trim());
    await noOverflow();
    await page.screenshot({ path: testInfo.outputPath('team-booked-390.png'), fullPage: true });
  });
});
