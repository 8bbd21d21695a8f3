import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { PageFacts } from '@/components/booking/page-facts';
import { PublicHeader } from '@/components/ui/public-header';
import { getPublicProfile } from '@/lib/booking-pages/queries';
import { pathSegment } from '@/lib/text-input';

type Params = Promise<{ host: string }>;

const findProfile = cache((handle: string) => getPublicProfile(handle));
const load = async (params: Params) => {
  const handle = pathSegment((await params).host);
  return handle === null ? null : findProfile(handle);
};

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const found = await load(params);
  const t = await getTranslations('booking.profile');
  if (!found) return { title: (await getTranslations('booking.notFound'))('title'), robots: { index: false } };
  return { title: t('title', { name: found.host.name ?? found.host.handle }) };
}

/** A host's public profile (/{handle}): every published booking page, each a link to book it. */
export default async function HostProfilePage({ params }: { params: Params }) {
  const found = await load(params);
  if (!found) notFound();
  const t = await getTranslations('booking.profile');
  const { host, pages } = found;
  const name = host.name ?? host.handle;
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
              {t('intro')}
            </p>
          </header>
          {pages.length === 0 ? (
            <p className="card empty" data-testid="profile-empty">
              {t('empty')}
            </p>
          ) : (
            <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {pages.map((page) => (
                <li key={page.slug} className="card stack" data-testid="profile-page">
                  <PageFacts hostName={name} title={page.title} durationMinutes={page.durationMinutes} location={page.location} description={page.description} as="h2" />
                  <Link className="btn primary" style={{ alignSelf: 'flex-start' }} href={`/${encodeURIComponent(host.handle)}/${encodeURIComponent(page.slug)}`}>
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
