import { expect, test } from '@playwright/test';
import { completeOnboarding, newHost, openMail, uniqueEmail, uniqueHandle } from './fixtures';
import { signInBySession } from './helpers/session';

/**
 * Organisations, the people side (issue 12): a host creates an organisation and invites a second
 * host by e-mail; the second opens the mailed link, signs in through the mailbox (the sign-in link
 * brings them back to the invitation), joins, finishes onboarding and sees the organisation. In
 * English and Japanese, with a 390 px screenshot of the organisation page.
 */

const TEXT = {
  en: {
    nav: 'Organisation',
    create: 'Create organisation',
    send: 'Send invitation',
    inviteSubject: /invited you to/,
    signInSubject: /sign-in link/,
    sendLink: 'Email me a sign-in link',
    members: 'Members',
    member: 'Member',
    owner: 'Owner',
  },
  ja: {
    nav: '組織',
    create: '組織を作成',
    send: '招待を送信',
    inviteSubject: /招待しました/,
    signInSubject: /ログインリンク/,
    sendLink: 'サインインリンクをメールで受け取る',
    members: 'メンバー',
    member: 'メンバー',
    owner: 'オーナー',
  },
} as const;

for (const locale of ['en', 'ja'] as const) {
  test(`(${locale}) a host creates an organisation, invites a second host who signs in through the mailed link and joins`, async ({ browser, baseURL }) => {
    const text = TEXT[locale];
    const ownerContext = await browser.newContext({ locale: locale === 'ja' ? 'ja-JP' : 'en-US' });
    await ownerContext.addCookies([{ name: 'aki_locale', value: locale, url: baseURL! }]);
    const owner = await ownerContext.newPage();
    await newHost(owner, { prefix: `org-owner-${locale}`, name: locale === 'ja' ? '田中 愛子' : 'Aiko Owner' });

    // The nav leads to the organisation page; no organisation yet: the explanation and the create form.
    await owner.goto('/dashboard');
    await owner.locator('header nav').getByRole('link', { name: text.nav }).first().click();
    await owner.waitForURL(/\/organisation$/);
    const orgName = `Sakura ${locale} ${Date.now().toString(36)}`;
    // A blank name is a field error, not a failure.
    await owner.getByRole('button', { name: text.create }).click();
    await expect(owner.getByTestId('create-organisation').locator('.field-error')).toBeVisible();
    await owner.getByTestId('create-organisation').locator('input[name="name"]').fill(orgName);
    await owner.getByRole('button', { name: text.create }).click();
    await expect(owner.getByTestId('organisation-name')).toHaveText(orgName);
    await expect(owner.getByTestId('my-role')).toContainText(text.owner);
    await expect(owner.getByTestId('organisation-zoom-link')).toHaveAttribute('href', '/organisation/zoom');

    // Invite the second host by e-mail (a bad address first: a field error).
    const inviteeEmail = uniqueEmail(`org-invitee-${locale}`);
    const invite = owner.getByTestId('invite-form');
    await invite.locator('input[name="email"]').fill('not-an-address');
    await invite.getByRole('button', { name: text.send }).click();
    await expect(invite.locator('.field-error')).toBeVisible();
    await invite.locator('input[name="email"]').fill(inviteeEmail);
    await invite.getByRole('button', { name: text.send }).click();
    await expect(owner.getByTestId('invite-sent')).toContainText(inviteeEmail);
    await expect(owner.getByTestId('pending-invite').filter({ hasText: inviteeEmail })).toBeVisible();

    // The second host: the mail, the invitation page, a sign-in link for the invited address.
    const inviteeContext = await browser.newContext({ locale: locale === 'ja' ? 'ja-JP' : 'en-US' });
    await inviteeContext.addCookies([{ name: 'aki_locale', value: locale, url: baseURL! }]);
    const invitee = await inviteeContext.newPage();
    await openMail(invitee, inviteeEmail, text.inviteSubject);
    await expect(invitee.getByTestId('mail-title')).toContainText(orgName);
    const inviteHref = await invitee.getByTestId('mail-link').filter({ hasText: '/invite/' }).first().getAttribute('href');
    expect(inviteHref).toMatch(new RegExp(`^${baseURL}/invite/[A-Za-z0-9_-]{43}$`));
    await invitee.goto(inviteHref!);
    await expect(invitee.getByTestId('invite-page')).toHaveAttribute('data-state', 'signed_out');
    await expect(invitee.getByTestId('invite-page')).toContainText(orgName);
    await invitee.getByRole('button', { name: text.sendLink }).click();
    await invitee.waitForURL(/\/login\/check-email/);

    await openMail(invitee, inviteeEmail, text.signInSubject);
    const signInHref = await invitee.getByTestId('mail-link').filter({ hasText: '/api/auth/callback/nodemailer' }).first().getAttribute('href');
    await invitee.goto(signInHref!);
    // Back on the invitation, signed in as the invited address: Join.
    await invitee.waitForURL(/\/invite\//);
    await expect(invitee.getByTestId('invite-page')).toHaveAttribute('data-state', 'ready');
    await invitee.getByTestId('invite-join').click();
    // A brand-new host finishes the profile first, then sees the organisation.
    await completeOnboarding(invitee, { name: locale === 'ja' ? '佐藤 健' : 'Ken Member', handle: uniqueHandle(`org-m-${locale}`) });
    await invitee.goto('/organisation');
    await expect(invitee.getByTestId('organisation-name')).toHaveText(orgName);
    await expect(invitee.getByTestId('my-role')).toContainText(text.member);
    // Members see the list but no management controls and no Zoom link.
    await expect(invitee.getByTestId('member-item')).toHaveCount(2);
    await expect(invitee.getByTestId('invite-form')).toHaveCount(0);
    await expect(invitee.getByTestId('organisation-zoom-link')).toHaveCount(0);
    // The used link now answers the friendly not-found page.
    await invitee.goto(inviteHref!);
    await expect(invitee.getByTestId('invite-not-found')).toBeVisible();

    // The owner sees the new member; the invitation is no longer pending.
    await owner.reload();
    await expect(owner.getByTestId('member-item').filter({ hasText: inviteeEmail })).toBeVisible();
    await expect(owner.getByTestId('pending-invite')).toHaveCount(0);
    await expect(owner.locator('main')).toContainText(text.members);

    // A phone: no sideways scrolling.
    await owner.setViewportSize({ width: 390, height: 844 });
    await owner.reload();
    await expect(owner.getByTestId('member-list')).toBeVisible();
    const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await owner.screenshot({ path: `test-results/organisation-390-${locale}.png`, fullPage: true });

    await ownerContext.close();
    await inviteeContext.close();
  });
}

test('the invitation page tells the wrong address and a host of another organisation; owners change roles and remove', async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await newHost(owner, { prefix: 'org-roles-owner', name: 'Olga Owner' });
  await owner.goto('/organisation');
  const orgName = `Roles ${Date.now().toString(36)}`;
  await owner.getByTestId('create-organisation').locator('input[name="name"]').fill(orgName);
  await owner.getByRole('button', { name: 'Create organisation' }).click();
  await expect(owner.getByTestId('organisation-name')).toHaveText(orgName);
  // The only owner, alone: may leave (ends it); with others: told to make someone else owner first (below).

  const invite = async (email: string) => {
    const form = owner.getByTestId('invite-form');
    await form.locator('input[name="email"]').fill(email);
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expect(owner.getByTestId('invite-sent')).toContainText(email);
  };
  const inviteLink = async (page: import('@playwright/test').Page, email: string) => {
    await openMail(page, email, /invited you to/);
    return (await page.getByTestId('mail-link').filter({ hasText: '/invite/' }).first().getAttribute('href'))!;
  };

  // Signed in as someone else: told, with a way to switch.
  const invitedEmail = uniqueEmail('org-roles-invited');
  await invite(invitedEmail);
  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await newHost(stranger, { prefix: 'org-roles-stranger' });
  const link = await inviteLink(stranger, invitedEmail);
  await stranger.goto(link);
  await expect(stranger.getByTestId('invite-page')).toHaveAttribute('data-state', 'wrong_email');
  await expect(stranger.getByTestId('invite-switch-account')).toContainText(invitedEmail);
  await expect(stranger.getByTestId('invite-join')).toHaveCount(0);

  // A host of another organisation: told, not moved.
  const busyEmail = uniqueEmail('org-roles-busy');
  const busyContext = await browser.newContext();
  const busy = await busyContext.newPage();
  await signInBySession(busy, busyEmail);
  await busy.goto('/onboarding');
  await completeOnboarding(busy, { name: 'Busy Host', handle: uniqueHandle('org-busy') });
  await busy.goto('/organisation');
  await busy.getByTestId('create-organisation').locator('input[name="name"]').fill('Busy Org');
  await busy.getByRole('button', { name: 'Create organisation' }).click();
  await expect(busy.getByTestId('organisation-name')).toHaveText('Busy Org');
  await invite(busyEmail);
  await busy.goto(await inviteLink(busy, busyEmail));
  await expect(busy.getByTestId('invite-other-organisation')).toContainText('Busy Org');

  // The invited host joins (signed in directly); the owner makes them admin, then removes them.
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await signInBySession(member, invitedEmail);
  await member.goto(link);
  await member.getByTestId('invite-join').click();
  await completeOnboarding(member, { name: 'Mina Member', handle: uniqueHandle('org-mina') });

  await owner.reload();
  await expect(owner.getByTestId('last-owner-hint')).toBeVisible();
  await expect(owner.getByTestId('leave-organisation')).toBeDisabled();
  const row = owner.getByTestId('member-item').filter({ hasText: invitedEmail });
  await row.getByTestId('member-role').selectOption('admin');
  await expect(async () => {
    await owner.reload();
    await expect(owner.getByTestId('member-item').filter({ hasText: invitedEmail }).getByTestId('member-role')).toHaveValue('admin', { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await member.goto('/organisation');
  await expect(member.getByTestId('my-role')).toContainText('Admin');
  await expect(member.getByTestId('organisation-zoom-link')).toBeVisible();
  // An admin cannot touch the owner's role (no control on the owner's row).
  await expect(member.getByTestId('member-item').filter({ hasText: 'Olga Owner' }).getByTestId('member-role')).toHaveCount(0);

  owner.once('dialog', (dialog) => dialog.accept());
  await owner.getByTestId('member-item').filter({ hasText: invitedEmail }).getByRole('button', { name: 'Remove' }).click();
  await expect(owner.getByTestId('member-item').filter({ hasText: invitedEmail })).toHaveCount(0);
  await member.goto('/organisation');
  await expect(member.getByTestId('create-organisation')).toBeVisible();

  for (const context of [ownerContext, strangerContext, busyContext, memberContext]) await context.close();
});
