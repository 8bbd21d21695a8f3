import 'server-only';
import { cookies, headers } from 'next/headers';
import { sha256Hex } from '@/lib/crypto';
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from '@/lib/i18n/config';
import { sendMailDurably } from '@/lib/mail/outbox';
import { renderSignInMail } from '@/lib/mail/templates/sign-in';

async function requestLocale(): Promise<Locale> {
  try {
    const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
    if (isLocale(chosen)) return chosen;
    return localeFromAcceptLanguage((await headers()).get('accept-language'));
  } catch {
    return 'en';
  }
}

/**
 * The sign-in mail, in the language the visitor is using, through the outbox: sent now in the common
 * case; when the transport fails the visitor still sees "check your email" and the worker retries.
 * The link is one-time, so its hash is the idempotency key.
 */
export async function sendSignInLink(email: string, url: string): Promise<void> {
  const locale = await requestLocale();
  await sendMailDurably({ ...renderSignInMail({ locale, url }), kind: 'auth.sign_in', to: email, idempotencyKey: `sign-in:${sha256Hex(url)}` });
}
