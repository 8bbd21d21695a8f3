import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { Location } from '@/lib/booking-pages/schema';
import { PublicHeader } from '@/components/ui/public-header';
import { PageFacts } from './page-facts';

/** One booking page on a profile, with where its Book link goes. */
export type ProfileEntry = {
  slug: string;
  href: string;
  title: string;
  durationMinutes: number;
  location: Location;
  description?: string;
  /** A team page: its kind ("Round-robin: one member", …), under the organisation's name. */
  hostsLine?: string;
  /** A team page's kind, for `data-kind`. */
  kind?: string;
};

/** A public profile (a host's /{handle}, an organisation's /team/{slug}): the name, a line about it, and every published page with a Book link. */
export function PublicProfile({ name, intro, pages }: { name: string; intro: string; pages: ProfileEntry[] }) {
  const t = useTranslations('booking.profile');
  return (
    <>
      <PublicHeader />
      <main className="container">
        <div className="narrow stack-lg" style={{ marginTop: 24 }}>
          <header className="stack" style={{ gap: 4 }}>
            <h1 className="page-title" style={{ margin: 0 }} data-testid="profile-name">
              {name}
            </h1>
            <p className="muted" style={{ margin: 0 }}>
              {intro}
            </p>
          </header>
          {pages.length === 0 ? (
            <p className="card empty" data-testid="profile-empty">
              {t('empty')}
            </p>
          ) : (
            <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {pages.map((page) => (
                <li key={page.slug} className="card stack" data-testid="profile-page" data-kind={page.kind}>
                  <PageFacts
                    hostName={name}
                    hostsLine={page.hostsLine}
                    title={page.title}
                    durationMinutes={page.durationMinutes}
                    location={page.location}
                    description={page.description}
                    as="h2"
                  />
                  <Link className="btn primary" style={{ alignSelf: 'flex-start' }} href={page.href}>
                    {t('book')}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      </main>
    </>
  );
}
