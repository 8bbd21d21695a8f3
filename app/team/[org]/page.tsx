import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { PublicProfile } from '@/components/booking/public-profile';
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
  const t = await getTranslations('booking.team');
  const { team, pages } = found;
  return (
    <PublicProfile
      name={team.name}
      intro={t('intro')}
      pages={pages.map((page) => ({
        ...page,
        href: `/team/${encodeURIComponent(team.slug)}/${encodeURIComponent(page.slug)}`,
        hostsLine: t(`kind.${page.teamKind}`),
        kind: page.teamKind,
      }))}
    />
  );
}
