'use client';

import { useTranslations } from 'next-intl';

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('common.errors');
  return (
    <main className="container">
      <div className="narrow card stack" style={{ marginTop: 48, textAlign: 'center' }}>
        <h1>{t('errorTitle')}</h1>
        <p className="muted">{t('errorBody')}</p>
        <div className="row" style={{ justifyContent: 'center' }}>
          <button type="button" className="btn primary" onClick={reset}>
            {t('retry')}
          </button>
          <a className="btn" href="/">
            {t('home')}
          </a>
        </div>
      </div>
    </main>
  );
}
