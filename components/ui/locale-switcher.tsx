'use client';

import { useRouter } from 'next/navigation';
import { useLocale } from 'next-intl';
import { useTransition } from 'react';
import { chooseLocaleAction } from '@/lib/hosts/actions';
import { LOCALES, type Locale } from '@/lib/i18n/config';

const LABELS: Record<Locale, string> = { ja: '日本語', en: 'English' };

/** Switches the interface language (cookie, and the profile of a signed-in host: lib/i18n/request.ts). The active one reads as chosen, not as unavailable. */
export function LocaleSwitcher() {
  const current = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const choose = (locale: Locale) => {
    if (locale === current) return;
    startTransition(async () => {
      await chooseLocaleAction(locale);
      router.refresh();
    });
  };
  return (
    <fieldset className="row locale-switcher" aria-label="Language / 言語">
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="button"
          className="btn ghost small"
          aria-pressed={current === locale}
          disabled={pending}
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
