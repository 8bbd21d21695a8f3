import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { PageFacts } from '@/components/booking/page-facts';
import { PublicHeader } from '@/components/ui/public-header';
import { getPublicTeamProfile } from '@/lib/teams/queries';
import { pathSegment } from '@/lib/text-input';

type Params = Promise<{ org: string }>;

const findProfile = cache((slug: string) => getPublicTeamProfile(slug));
const load = async (params: Params) => {
  const slug = pathSegment((await params).org);
  return slug === null ? null : findProfile(slug);
};

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const found = await load(params);
  const t = await getTranslations('booking.profile');
  if (!found) return { title: (await getTranslations('booking.notFound'))('title'), robots: { index: false } };
  return { title: t('title', { name: found.team.name }) };
}

/** An organisation's public profile (/team/{slug}): every published team page, each a link to book it. */
export default async function TeamProfilePage({ params }: { params: Params }) {
  const found = await load(params);
  if (!found) notFound();
  const t = await getTranslations('booking');
  const { team, pages } = found;
  return (
    <>
      <PublicHeader />
      <main className="container">
        <div className="narrow stack-lg" style={{ marginTop: 24 }}>
          <header className="stack" style={{ gap: 4 }}>
            <h1 className="page-title" style={{ margin: 0 }} data-testid="profile-name">
              {team.name}
            </h1>
            <p className="muted" style={{ margin: 0 }}>
              {t('team.intro')}
            </p>
          </header>
          {pages.length === 0 ? (
            <p className="card empty" data-testid="profile-empty">
              {t('profile.empty')}
            </p>
          ) : (
            <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {pages.map((page) => (
                <li key={page.slug} className="card stack" data-testid="profile-page" data-kind={page.teamKind}>
                  <PageFacts
                    hostName={team.name}
                    hostsLine={t(`team.kind.${page.teamKind}`)}
                    title={page.title}
                    durationMinutes={page.durationMinutes}
                    location={page.location}
                    description={page.description}
                    as="h2"
                  />
                  <Link className="btn primary" style={{ alignSelf: 'flex-start' }} href={`/team/${encodeURIComponent(team.slug)}/${encodeURIComponent(page.slug)}`}>
                    {t('profile.book')}
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
