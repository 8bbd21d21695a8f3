import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

export default async function NotFound() {
  const t = await getTranslations('common.errors');
  return (
    <main className="container">
      <div className="narrow card stack" style={{ marginTop: 48, textAlign: 'center' }}>
        <h1>{t('notFoundTitle')}</h1>
        <p className="muted">{t('notFoundBody')}</p>
        <div>
          <Link className="btn" href="/">
            {t('home')}
          </Link>
        </div>
      </div>
    </main>
  );
}
