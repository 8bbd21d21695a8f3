import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { PublicHeader } from '@/components/ui/public-header';
import { signInWithGoogle } from '@/lib/auth/actions';
import { getCurrentHost } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { EmailSignInForm } from './login-form';

const KNOWN_ERRORS = ['Verification', 'OAuthAccountNotLinked', 'Configuration', 'AccessDenied'];

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await getCurrentHost()) redirect('/dashboard');
  const { error } = await searchParams;
  const t = await getTranslations('auth.login');
  const config = env();
  return (
    <>
      <PublicHeader />
      <main className="container">
        <div className="narrow card stack" style={{ marginTop: 32 }}>
          <h1>{t('title')}</h1>
          <p className="muted">{t('intro')}</p>
          {error ? (
            <div className="notice error" role="alert">
              {t(`errors.${KNOWN_ERRORS.includes(error) ? error : 'Default'}`)}
            </div>
          ) : null}
          <EmailSignInForm />
          {config.google.signInEnabled ? (
            <form action={signInWithGoogle}>
              <p className="muted small" style={{ textAlign: 'center' }}>
                {t('or')}
              </p>
              <button className="btn block" type="submit">
                {t('google')}
              </button>
            </form>
          ) : null}
          {config.demo ? (
            <p className="notice info small">
              {t('demoHint')} <a href="/mailbox">{t('openMailbox')}</a>
            </p>
          ) : null}
        </div>
      </main>
    </>
  );
}
