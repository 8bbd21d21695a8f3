import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { HostNav } from '@/components/host/host-nav';
import { signOutAction } from '@/lib/auth/actions';
import { getCurrentHost } from '@/lib/auth/session';
import { Brand } from '@/components/ui/brand';

/** Host chrome. Authorisation happens in each page (requireHost), never here. */
export default async function HostLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations('common.nav');
  const host = await getCurrentHost();
  return (
    <>
      <header className="topbar">
        <div className="topbar-inner">
          <Brand href="/dashboard" />
          <HostNav
            items={[
              { href: '/dashboard', label: t('dashboard') },
              { href: '/bookings', label: t('bookings') },
              { href: '/settings', label: t('settings') },
            ]}
          />
          {host ? (
            <form action={signOutAction} className="row">
              <span className="muted small" data-testid="signed-in-as">
                {host.name ?? host.email}
              </span>
              <button type="submit" className="btn ghost small">
                {t('signOut')}
              </button>
            </form>
          ) : null}
        </div>
      </header>
      <main className="container">{children}</main>
    </>
  );
}
