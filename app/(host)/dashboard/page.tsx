import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireHost } from '@/lib/auth/session';
import { env } from '@/lib/env';

export default async function DashboardPage() {
  const host = await requireHost();
  const t = await getTranslations('common.dashboard');
  const tn = await getTranslations('common.nav');
  return (
    <div className="stack-lg">
      <div className="row-between">
        <div>
          <h1 className="page-title" style={{ marginBottom: 4 }}>
            {t('welcome', { name: host.name ?? host.handle })}
          </h1>
          <p className="muted small">{t('publicProfile', { url: `${env().appUrl}/${host.handle}` })}</p>
        </div>
        <Link className="btn primary" href="/pages/new">
          {tn('newPage')}
        </Link>
      </div>
      <section className="card stack">
        <h2>{t('pagesTitle')}</h2>
      </section>
      <section className="card stack">
        <div className="row-between">
          <h2>{t('upcomingTitle')}</h2>
          <Link href="/bookings">{t('allBookings')}</Link>
        </div>
      </section>
    </div>
  );
}
