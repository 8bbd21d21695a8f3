import { expect, type Page, test } from '@playwright/test';
import { completeOnboarding, newHost, openMail, uniqueEmail, uniqueHandle } from './fixtures';
import { dateInZone } from './helpers/guest';
import { signInBySession } from './helpers/session';

/**
 * Team pages, the admin side (issue 15): an organisation owner sets the organisation's public
 * address, creates a round-robin team page with two members in the editor's Team section (field
 * errors first), sees it listed with its public link, and the page's public slots endpoint answers.
 * A member (role member) sees the list read-only. In English and Japanese, desktop and 390 px.
 */

const TEXT = {
  en: {
    create: 'Create organisation',
    send: 'Send invitation',
    inviteSubject: /invited you to/,
    save: 'Save',
    slugReserved: 'This address is reserved',
    newPage: 'New team page',
    newTitle: 'New team page',
    createPage: 'Create page',
    membersRequired: 'Choose at least one member.',
    roundRobin: 'Round-robin',
    edit: 'Edit',
    twoMembers: '2 members',
    saved: 'Saved',
    collective: 'Collective',
    delete: 'Delete',
  },
  ja: {
    create: '組織を作成',
    send: '招待を送信',
    inviteSubject: /招待しました/,
    save: '保存',
    slugReserved: 'このアドレスは予約されています',
    newPage: 'チームページを作成',
    newTitle: 'チームページを作成',
    createPage: 'ページを作成',
    membersRequired: 'メンバーを 1 人以上選んでください。',
    roundRobin: 'ラウンドロビン',
    edit: '編集',
    twoMembers: 'メンバー 2 人',
    saved: '保存しました',
    collective: 'コレクティブ',
    delete: '削除',
  },
} as const;

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

for (const locale of ['en', 'ja'] as const) {
  test(`(${locale}) an admin sets the address, creates a round-robin team page with two members and sees its public link`, async ({ browser, baseURL }, testInfo) => {
    test.setTimeout(300_000);
    const text = TEXT[locale];
    const contextOptions = { locale: locale === 'ja' ? 'ja-JP' : 'en-US', timezoneId: 'Asia/Tokyo' };
    const ownerContext = await browser.newContext(contextOptions);
    await ownerContext.addCookies([{ name: 'aki_locale', value: locale, url: baseURL! }]);
    const owner = await ownerContext.newPage();
    const ownerName = locale === 'ja' ? '田中 愛子' : 'Aiko Admin';
    await newHost(owner, { prefix: `team-owner-${locale}`, name: ownerName, timeZone: 'Asia/Tokyo' });

    // The organisation, and a second host who joins it as a member (role member).
    await owner.goto('/organisation');
    await owner.getByTestId('create-organisation').locator('input[name="name"]').fill(`Team ${locale} ${Date.now().toString(36)}`);
    await owner.getByRole('button', { name: text.create }).click();
    await expect(owner.getByTestId('organisation-name')).toBeVisible();
    // No address yet, no team pages yet.
    await expect(owner.getByTestId('team-slug-unset')).toBeVisible();
    await expect(owner.getByTestId('team-pages-empty')).toBeVisible();

    const memberEmail = uniqueEmail(`team-member-${locale}`);
    const invite = owner.getByTestId('invite-form');
    await invite.locator('input[name="email"]').fill(memberEmail);
    await invite.getByRole('button', { name: text.send }).click();
    await expect(owner.getByTestId('invite-sent')).toContainText(memberEmail);

    const memberContext = await browser.newContext(contextOptions);
    await memberContext.addCookies([{ name: 'aki_locale', value: locale, url: baseURL! }]);
    const member = await memberContext.newPage();
    await openMail(member, memberEmail, text.inviteSubject);
    const inviteHref = await member.getByTestId('mail-link').filter({ hasText: '/invite/' }).first().getAttribute('href');
    await signInBySession(member, memberEmail);
    await member.goto(inviteHref!);
    await member.getByTestId('invite-join').click();
    const memberName = locale === 'ja' ? '佐藤 健' : 'Ken Member';
    await completeOnboarding(member, { name: memberName, handle: uniqueHandle(`team-m-${locale}`), timeZone: 'Asia/Tokyo' });

    // The address: a reserved word is a translated field error; then a free one shows the public URL.
    await owner.goto('/organisation');
    const slugForm = owner.getByTestId('team-slug-form');
    await slugForm.locator('input[name="slug"]').fill('dashboard');
    await slugForm.getByRole('button', { name: text.save }).click();
    await expect(slugForm.getByTestId('team-slug-error')).toContainText(text.slugReserved);
    const orgSlug = uniqueHandle(`t${locale}`).slice(0, 32);
    await slugForm.locator('input[name="slug"]').fill(orgSlug);
    await slugForm.getByRole('button', { name: text.save }).click();
    await expect(slugForm.getByTestId('team-public-url')).toHaveText(`${baseURL}/team/${orgSlug}`);
    await owner.screenshot({ path: testInfo.outputPath(`team-admin-organisation-empty-${locale}.png`), fullPage: true });

    // New team page: the editor with its Team section; no member chosen is a field error.
    await owner.getByTestId('new-team-page').click();
    await owner.waitForURL(/\/organisation\/team-pages\/new$/);
    await expect(owner.getByRole('heading', { level: 1 })).toHaveText(text.newTitle);
    await expect(owner.getByTestId('team-section')).toBeVisible();
    await expect(owner.getByTestId('public-url')).toContainText(`${baseURL}/team/${orgSlug}/`);
    await owner.locator('input[name="title"]').fill(locale === 'ja' ? 'コーチとの初回相談' : 'Intro with a coach');
    await owner.locator('input[name="slug"]').fill('intro');
    await expect(owner.getByTestId('public-url')).toHaveText(`${baseURL}/team/${orgSlug}/intro`);
    await owner.getByRole('button', { name: text.createPage }).click();
    await expect(owner.getByTestId('team-section').locator('.field-error')).toHaveText(text.membersRequired);

    // Round-robin (the default), both members, the member with weight 2.
    await expect(owner.getByTestId('team-kind-round_robin').locator('input')).toBeChecked();
    const picker = owner.getByTestId('team-member-picker');
    await picker.getByTestId('team-member-choice').filter({ hasText: ownerName }).locator('input[type="checkbox"]').check();
    const memberChoice = picker.getByTestId('team-member-choice').filter({ hasText: memberName });
    await memberChoice.locator('input[type="checkbox"]').check();
    await memberChoice.locator('select[name^="weight-"]').selectOption('2');
    await expect(owner.getByTestId('team-section').locator('.field-error')).toHaveCount(0);
    await owner.screenshot({ path: testInfo.outputPath(`team-admin-editor-${locale}.png`), fullPage: true });
    await owner.getByTestId('team-section').screenshot({ path: testInfo.outputPath(`team-admin-team-section-${locale}.png`) });
    await owner.getByRole('button', { name: text.createPage }).click();
    await owner.waitForURL(/\/organisation\/team-pages\/[^/?]+\?created=1$/);
    await expect(owner.getByTestId('view-page')).toHaveAttribute('href', `${baseURL}/team/${orgSlug}/intro`);
    // Opened again, the editor shows what was saved.
    await owner.reload();
    await expect(owner.getByTestId('team-member-choice').filter({ hasText: memberName }).locator('select[name^="weight-"]')).toHaveValue('2');
    await expect(owner.getByTestId('team-member-choice').filter({ hasText: ownerName }).locator('input[type="checkbox"]')).toBeChecked();

    // Listed on the organisation page with its kind, members and public link.
    await owner.goto('/organisation');
    const item = owner.getByTestId('team-page-item');
    await expect(item).toHaveCount(1);
    await expect(item.getByTestId('team-page-kind')).toHaveText(text.roundRobin);
    await expect(item.getByTestId('team-page-members')).toContainText(text.twoMembers);
    await expect(item.getByTestId('team-page-members')).toContainText(memberName);
    const link = item.getByTestId('team-page-link');
    await expect(link).toHaveAttribute('href', `${baseURL}/team/${orgSlug}/intro`);
    await expect(item.getByRole('link', { name: text.edit })).toBeVisible();
    await owner.screenshot({ path: testInfo.outputPath(`team-admin-organisation-${locale}.png`), fullPage: true });

    // The link's page answers on the public API (the guest page itself is built separately).
    const slots = await owner.request.get(`/api/public/teams/${orgSlug}/intro/slots?from=${dateInZone('Asia/Tokyo', 1)}&to=${dateInZone('Asia/Tokyo', 8)}&timeZone=Asia/Tokyo`);
    expect(slots.status(), await slots.text()).toBe(200);
    const body = (await slots.json()) as { days: { date: string; slots: string[] }[] };
    expect(Array.isArray(body.days)).toBe(true);

    // A member sees the list, read-only; the editor is not theirs.
    await member.goto('/organisation');
    await expect(member.getByTestId('team-page-item')).toHaveCount(1);
    await expect(member.getByTestId('team-page-link')).toHaveAttribute('href', `${baseURL}/team/${orgSlug}/intro`);
    await expect(member.getByTestId('new-team-page')).toHaveCount(0);
    await expect(member.getByTestId('edit-team-page')).toHaveCount(0);
    await expect(member.getByTestId('team-slug-form')).toHaveCount(0);
    const refused = await member.goto('/organisation/team-pages/new');
    expect(refused?.status()).toBe(404);

    // A phone: no sideways scrolling on the organisation page or the editor.
    await owner.setViewportSize({ width: 390, height: 844 });
    await owner.reload();
    await expect(owner.getByTestId('team-page-item')).toBeVisible();
    await noSidewaysScroll(owner);
    await owner.screenshot({ path: testInfo.outputPath(`team-admin-organisation-390-${locale}.png`), fullPage: true });
    await owner.getByTestId('edit-team-page').click();
    await expect(owner.getByTestId('team-section')).toBeVisible();
    await noSidewaysScroll(owner);
    await owner.screenshot({ path: testInfo.outputPath(`team-admin-editor-390-${locale}.png`), fullPage: true });
    await owner.getByTestId('team-section').screenshot({ path: testInfo.outputPath(`team-admin-team-section-390-${locale}.png`) });

    // Collective, then deleted: back on the organisation page, the list is empty again.
    await owner.getByTestId('team-kind-collective').locator('input').check();
    await expect(owner.getByTestId('team-member-picker').locator('select[name^="weight-"]')).toHaveCount(0);
    await owner.getByRole('button', { name: text.save, exact: true }).click();
    await expect(owner.getByTestId('save-status')).toContainText(text.saved);
    await owner.goto('/organisation');
    await expect(owner.getByTestId('team-page-kind')).toHaveText(text.collective);
    await owner.getByTestId('edit-team-page').click();
    await expect(owner.getByTestId('team-kind-collective').locator('input')).toBeChecked();
    owner.once('dialog', (dialog) => dialog.accept());
    await expect(owner.getByTestId('delete-page')).toHaveText(text.delete);
    await owner.getByTestId('delete-page').click();
    await owner.waitForURL(/\/organisation$/);
    await expect(owner.getByTestId('team-pages-empty')).toBeVisible();

    await ownerContext.close();
    await memberContext.close();
  });
}
