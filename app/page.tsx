import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { PublicHeader } from '@/components/ui/public-header';
import { getCurrentHost } from '@/lib/auth/session';

export default async function LandingPage() {
  const host = await getCurrentHost();
  if (host) redirect(host.handle ? '/dashboard' : '/onboarding');
  const t = await getTranslations('common.landing');
  return (
    <>
      <PublicHeader />
      <main className="container">
        <section className="narrow stack-lg" style={{ paddingTop: 40 }}>
          <h1 style={{ fontSize: '2rem' }}>{t('headline')}</h1>
          <p className="muted">{t('body')}</p>
          <ul className="stack" style={{ paddingLeft: 20, margin: 0 }}>
            {(t.raw('points') as string[]).map((point) => (
              <li key={point}>{point}</li>
            ))}
          </ul>
          <div>
            <Link className="btn primary" href="/login">
              {t('cta')}
            </Link>
          </div>
        </section>
      </main>
    </>
  );
}
