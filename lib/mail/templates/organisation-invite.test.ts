import { describe, expect, it } from 'vitest';
import { renderOrganisationInviteMail } from './organisation-invite';

describe('organisation invitation mail', () => {
  it.each([
    ['en', 'Admin', 'Aiko Tanaka invited you to Sakura <Coaching> on Aki'],
    ['ja', '管理者', 'Aiko Tanaka さんが Aki の Sakura <Coaching> にあなたを招待しました'],
  ] as const)('(%s) names the inviter, the organisation and the role, carries the link, and escapes HTML', (locale, role, subject) => {
    const url = 'https://aki.example/invite/abcDEF123_-';
    const mail = renderOrganisationInviteMail({ locale, url, organisationName: 'Sakura <Coaching>', inviterName: 'Aiko Tanaka', role: 'admin' });
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(url);
    expect(mail.text).toContain(role);
    expect(mail.text).toMatch(/7/);
    expect(mail.html).toContain(`href="${url}"`);
    expect(mail.html).toContain('Sakura &lt;Coaching&gt;');
    expect(mail.html).not.toContain('<Coaching>');
  });
});
