import { describe, expect, it } from 'vitest';
import { renderSignInMail } from './sign-in';

describe('sign-in mail', () => {
  it.each(['en', 'ja'] as const)('the plain-text part (%s) has the link and speaks of no button it does not have', (locale) => {
    const mail = renderSignInMail({ locale, url: 'https://aki.example/api/auth/callback/email?token=t' });
    expect(mail.text).toContain('https://aki.example/api/auth/callback/email?token=t');
    expect(mail.text).not.toMatch(/button|ボタン/i);
    // The HTML part has the button, and says so.
    expect(mail.html).toMatch(/button|ボタン/i);
    expect(mail.html).toContain('href="https://aki.example/api/auth/callback/email?token=t"');
  });
});
