import { getTranslations } from 'next-intl/server';
import { PublicHeader } from '@/components/ui/public-header';
import { env } from '@/lib/env';

export default async function CheckEmailPage() {
  const t = await getTranslations('auth.checkEmail');
  const tc = await getTranslations('common');
  return (
    <>
      <PublicHeader />
      <main className="container">
        <div className="narrow card stack" style={{ marginTop: 32 }}>
          <h1>{t('title')}</h1>
          <p>{t('body')}</p>
          {env().demo ? (
            <p className="notice info">
              {t('demo')}{' '}
              <a href="/mailbox" data-testid="open-mailbox">
                {tc('nav.mailbox')}
              </a>
            </p>
          ) : null}
        </div>
      </main>
    </>
  );
}
