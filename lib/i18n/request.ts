import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { getCurrentHost } from '@/lib/auth/session';
import { isLocale, LOCALE_COOKIE, type Locale, localeFromAcceptLanguage } from './config';
import { messagesFor } from './messages';

/**
 * Language of a request: the signed-in host's saved setting (so a cookie left by another session
 * cannot override it; the language switcher saves to the profile for a signed-in host) → an explicit
 * choice (cookie) → the browser.
 */
export async function resolveLocale(): Promise<Locale> {
  try {
    const host = await getCurrentHost();
    // Before onboarding the host has not chosen a language yet: the cookie or the browser decides.
    if (host?.handle && isLocale(host.locale)) return host.locale;
  } catch {
    // the database being down must not take the language choice (and error pages) with it
  }
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  return localeFromAcceptLanguage((await headers()).get('accept-language'));
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return { locale, messages: messagesFor(locale), timeZone: 'UTC' };
});
