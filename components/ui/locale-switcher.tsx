'use client';

import { useRouter } from 'next/navigation';
import { useLocale } from 'next-intl';
import { useTransition } from 'react';
import { LOCALE_COOKIE, LOCALES, type Locale } from '@/lib/i18n/config';

const LABELS: Record<Locale, string> = { ja: '日本語', en: 'English' };

/** Switches the interface language by setting the locale cookie (read by lib/i18n/request.ts). */
export function LocaleSwitcher() {
  const current = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const choose = (locale: Locale) => {
    // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie read by the server
    document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
    startTransition(() => router.refresh());
  };
  return (
    <fieldset className="row locale-switcher" aria-label="Language / 言語">
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="button"
          className="btn ghost small"
          aria-pressed={current === locale}
          disabled={pending || current === locale}
          onClick={() => choose(locale)}
          lang={locale}
          data-testid={`locale-${locale}`}
        >
          {LABELS[locale]}
        </button>
      ))}
    </fieldset>
  );
}
