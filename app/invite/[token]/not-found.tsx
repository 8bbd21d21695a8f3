import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { PublicHeader } from '@/components/ui/public-header';

/** An unknown, used, withdrawn or expired invitation: one friendly answer (no hint which one). */
export default async function InviteNotFound() {
  const t = await getTranslations('organisation.invite.accept');
  return (
    <>
      <PublicHeader />
      <main className="container">
        <section className="card narrow stack" style={{ textAlign: 'center', marginTop: 32 }} data-testid="invite-not-found">
          <h1 className="page-title" style={{ marginBottom: 0 }}>
            {t('notFoundTitle')}
          </h1>
          <p className="muted">{t('notFoundBody')}</p>
          <div>
            <Link className="btn" href="/">
              {t('home')}
            </Link>
          </div>
        </section>
      </main>
    </>
  );
}
