import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { BookingPageShell } from '@/components/booking/booking-page-shell';
import { isEmbedRequest } from '@/lib/embed/mode';
import { getPublicTeamPage } from '@/lib/teams/queries';
import { pathSegment } from '@/lib/text-input';

type Params = Promise<{ org: string; page: string }>;
type Search = Promise<{ embed?: string | string[] }>;

// One query per request for both the metadata and the page.
const findPage = cache((org: string, page: string) => getPublicTeamPage(org, page));
const load = async (params: Params) => {
  const { org, page } = await params;
  const orgSlug = pathSegment(org);
  const slug = pathSegment(page);
  return orgSlug === null || slug === null ? null : findPage(orgSlug, slug);
};

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const found = await load(params);
  if (!found) return { title: (await getTranslations('booking.notFound'))('title'), robots: { index: false } };
  const title = `${found.page.title} · ${found.team.name}`;
  const description = found.page.description.slice(0, 200) || undefined;
  return { title, description, openGraph: { title, description } };
}

/**
 * A team page's public booking page (/team/{org}/{page}): the organisation and who the guest may meet
 * (round-robin: one of the members; collective: all of them), around the same booking widget as a
 * personal page. `?embed=1` as there.
 */
export default async function TeamBookingPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const found = await load(params);
  if (!found) notFound();
  const { page, team, members } = found;
  const embedded = isEmbedRequest((await searchParams).embed);
  const t = await getTranslations('booking.team');
  const locale = await getLocale();
  const names = members.map((m) => m.name ?? m.handle ?? '').filter(Boolean);
  const hostsLine =
    page.teamKind === 'collective'
      ? t('collective', { names: new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' }).format(names) })
      : t('roundRobin', { names: new Intl.ListFormat(locale, { type: 'conjunction', style: 'narrow' }).format(names) });
  return <BookingPageShell target={{ kind: 'team', org: team.slug, slug: page.slug }} hostName={team.name} hostsLine={hostsLine} page={page} embedded={embedded} />;
}
