import 'server-only';
import { cookies, headers } from 'next/headers';
import { escapeHtml } from '@/lib/html';
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import { sendMail } from '@/lib/mail/transport';

async function requestLocale(): Promise<Locale> {
  try {
    const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
    if (isLocale(chosen)) return chosen;
    return localeFromAcceptLanguage((await headers()).get('accept-language'));
  } catch {
    return 'en';
  }
}

/** The sign-in mail, in the language the visitor is using. */
export async function sendSignInLink(email: string, url: string): Promise<void> {
  const locale = await requestLocale();
  const t = translator(locale, 'auth');
  const subject = t('mail.subject');
  const safeUrl = escapeHtml(url);
  await sendMail({
    to: email,
    subject,
    text: `${t('mail.intro')}\n\n${url}\n\n${t('mail.ignore')}`,
    html: `<p>${escapeHtml(t('mail.intro'))}</p><p><a href="${safeUrl}" style="display:inline-block;padding:10px 18px;background:#0f766e;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(t('mail.button'))}</a></p><p style="color:#666;font-size:13px">${escapeHtml(t('mail.ignore'))}</p>`,
  });
}
