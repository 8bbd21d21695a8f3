import { expect, test } from '@playwright/test';
import { mailSubjects, newHost, uniqueEmail } from './fixtures';
import { pickFirstSlot } from './helpers/guest';
import { signInBySession } from './helpers/session';
import { createTeam, everyDayTeamPage, uniqueTeamSlug } from './helpers/team';

/**
 * Issue 15: the organisation's owner gives a round-robin booking to the other member from the team
 * page's "Upcoming bookings"; the list then names the new member, and the guest and both members are mailed.
 */

test.describe.configure({ timeout: 180_000 });

for (const run of [
  { locale: 'en', browserLocale: 'en-US', text: { guestSubject: /^Now with/, formerSubject: /^Given to/ } },
  { locale: 'ja', browserLocale: 'ja-JP', text: { guestSubject: /^担当者変更/, formerSubject: /^担当変更/ } },
] as const) {
  test.describe(`reassigning a team booking (${run.locale})`, () => {
    test.use({ locale: run.browserLocale, timezoneId: 'Asia/Tokyo', extraHTTPHeaders: { 'Accept-Language': run.locale } });

    test('the owner gives the booking to the other member; the list and the mails follow', async ({ browser, page }, testInfo) => {
      const owner = await newHost(page, { name: 'Owner Oda', timeZone: 'Asia/Tokyo', prefix: `reassign-a-${run.locale}` });
      const member = await newHost(page, { name: 'Member Mori', timeZone: 'Asia/Tokyo', prefix: `reassign-b-${run.locale}` });
      const slug = uniqueTeamSlug(`r${run.locale}`);
      await createTeam(page, {
        hostEmails: [owner.email, member.email],
        name: `Reassign ${slug.slice(-4)}`,
        slug,
        pages: [{ kind: 'round_robin', page: everyDayTeamPage({ slug: 'intro', title: 'Intro call' }) }],
      });

      const guestContext = await browser.newContext({ locale: run.browserLocale, timezoneId: 'Asia/Tokyo' });
      const guest = await guestContext.newPage();
      const guestEmail = uniqueEmail(`reassign-guest-${run.locale}`);
      await guest.goto(`/team/${slug}/intro`);
      await pickFirstSlot(guest);
      await guest.locator('input[name="name"]').fill('Guest Goto');
      await guest.locator('input[name="email"]').fill(guestEmail);
      await guest.getByTestId('confirm').click();
      await expect(guest.getByTestId('confirmation')).toBeVisible();
      const assigned = (await guest.getByTestId('confirmation-hosts').textContent()) ?? '';
      const [from, to] = assigned.includes('Owner Oda') ? [owner, member] : [member, owner];
      const toName = to === owner ? 'Owner Oda' : 'Member Mori';
      await guestContext.close();

      // The owner opens the team page: the booking is listed with its member, and goes to the other one.
      await signInBySession(page, owner.email);
      await page.goto('/organisation');
      await page.getByTestId('edit-team-page').first().click();
      const booking = page.getByTestId('team-booking').first();
      await expect(booking).toContainText('Guest Goto');
      // The only other member is the one offered.
      await expect(page.getByTestId('reassign-to').locator('option')).toHaveText([toName]);
      await page.getByTestId('reassign').click();
      await expect(page.getByTestId('team-booking-host').first()).toContainText(toName);
      await page.screenshot({ path: testInfo.outputPath(`team-reassign-${run.locale}.png`), fullPage: true });

      await expect.poll(() => mailSubjects(page, guestEmail).then((s) => s.some((x) => run.text.guestSubject.test(x))), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => mailSubjects(page, from.email).then((s) => s.some((x) => run.text.formerSubject.test(x))), { timeout: 20_000 }).toBe(true);
    });
  });
}
