import { escapeHtml } from '@/lib/html';
import type { Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import type { RenderedMail } from './booking';

/** The invitation to an organisation: who invites, to which organisation and role, the link (7 days). */
export function renderOrganisationInviteMail(data: { locale: Locale; url: string; organisationName: string; inviterName: string; role: 'admin' | 'member' }): RenderedMail {
  const t = translator(data.locale, 'organisation');
  const values = { organisation: data.organisationName, inviter: data.inviterName, role: t(`members.roles.${data.role}`) };
  const safeUrl = escapeHtml(data.url);
  return {
    subject: t('invite.mail.subject', values),
    text: `${t('invite.mail.intro', values)}\n\n${t('invite.mail.linkText')}\n${data.url}\n\n${t('invite.mail.expires')}\n${t('invite.mail.ignore')}`,
    html:
      `<p>${escapeHtml(t('invite.mail.intro', values))}</p>` +
      `<p><a href="${safeUrl}" style="display:inline-block;padding:10px 18px;background:#0f766e;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(t('invite.mail.button'))}</a></p>` +
      `<p style="color:#666;font-size:13px">${escapeHtml(t('invite.mail.expires'))} ${escapeHtml(t('invite.mail.ignore'))}</p>`,
  };
}
