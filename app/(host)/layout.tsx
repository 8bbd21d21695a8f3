import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { HostMenu } from '@/components/host/host-menu';
import { HostNav } from '@/components/host/host-nav';
import { signOutAction } from '@/lib/auth/actions';
import { getCurrentHost } from '@/lib/auth/session';
import { Brand } from '@/components/ui/brand';

/** Host chrome. Authorisation happens in each page (requireHost), never here. */
export default async function HostLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations('common.nav');
  const host = await getCurrentHost();
  const items = [
    { href: '/dashboard', label: t('dashboard') },
    { href: '/bookings', label: t('bookings') },
    { href: '/availability', label: t('availability') },
    { href: '/organisation', label: t('organisation') },
    { href: '/settings', label: t('settings') },
  ];
  return (
    <>
      <header className="topbar">
        <div className="topbar-inner host-topbar">
          <Brand href="/dashboard" />
          <HostNav items={items} className="nav wide-only" />
          {host ? (
            <HostMenu
              label={t('menu')}
              summary={
                <>
                  <span className="wide-only host-menu-name" data-testid="signed-in-as">
                    {host.name ?? host.email}
                  </span>
                  <span className="narrow-only host-menu-icon" aria-hidden="true">
                    <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
                      <path d="M4 7h16M4 12h16M4 17h16" />
                    </svg>
                  </span>
                </>
              }
            >
              <HostNav items={items} className="menu-nav narrow-only" />
              <p className="muted small host-menu-account">
                {t('signedInAs')}
                <br />
                <strong>{host.email}</strong>
              </p>
              <form action={signOutAction}>
                <button type="submit" className="btn ghost small">
                  {t('signOut')}
                </button>
              </form>
            </HostMenu>
          ) : null}
        </div>
      </header>
      <main className="container">{children}</main>
    </>
  );
}
