import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { PublicProfile } from '@/components/booking/public-profile';
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
  return (
    <PublicProfile
      name={host.name ?? host.handle}
      intro={t('intro')}
      pages={pages.map((page) => ({ ...page, href: `/${encodeURIComponent(host.handle)}/${encodeURIComponent(page.slug)}` }))}
    />
  );
}
