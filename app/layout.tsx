import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { env } from '@/lib/env';
import './globals.css';
import { Providers } from './providers';

export const metadata: Metadata = { title: { default: 'Aki', template: '%s · Aki' }, description: 'Booking pages with Zoom' };
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations('common');
  return (
    <html lang={locale}>
      <body>
        {env().demo ? (
          <div className="demo-banner" data-testid="demo-banner">
            {t('demoNotice')} <a href="/mailbox">{t('nav.mailbox')}</a>
          </div>
        ) : null}
        <NextIntlClientProvider>
          <Providers>{children}</Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
