import { escapeHtml } from '@/lib/html';
import type { Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import type { RenderedMail } from './booking';

/** The sign-in (magic link) mail, in the language the visitor is using. */
export function renderSignInMail(data: { locale: Locale; url: string }): RenderedMail {
  const t = translator(data.locale, 'auth');
  const { url } = data;
  const safeUrl = escapeHtml(url);
  return {
    subject: t('mail.subject'),
    text: `${t('mail.introText')}\n\n${url}\n\n${t('mail.ignore')}`,
    html: `<p>${escapeHtml(t('mail.intro'))}</p><p><a href="${safeUrl}" style="display:inline-block;padding:10px 18px;background:#0f766e;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(t('mail.button'))}</a></p><p style="color:#666;font-size:13px">${escapeHtml(t('mail.ignore'))}</p>`,
  };
}
