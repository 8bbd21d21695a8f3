import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { getCurrentHost } from '@/lib/auth/session';
import { isLocale, LOCALE_COOKIE, type Locale, localeFromAcceptLanguage } from './config';
import { messagesFor } from './messages';

/** Language of a request: an explicit choice (cookie) → the signed-in host's setting → the browser. */
export async function resolveLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  try {
    const host = await getCurrentHost();
    // Before onboarding the host has not chosen a language yet: the browser's wins.
    if (host?.handle && isLocale(host.locale)) return host.locale;
  } catch {
    // the database being down must not take the language choice (and error pages) with it
  }
  return localeFromAcceptLanguage((await headers()).get('accept-language'));
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return { locale, messages: messagesFor(locale), timeZone: 'UTC' };
});
