import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { cache } from 'react';
import { BookingPageShell } from '@/components/booking/booking-page-shell';
import { getPublicPage } from '@/lib/booking-pages/queries';
import { isEmbedRequest } from '@/lib/embed/mode';
import { pathSegment } from '@/lib/text-input';

type Params = Promise<{ host: string; page: string }>;
type Search = Promise<{ embed?: string | string[] }>;

// One query per request for both the metadata and the page.
const findPage = cache((host: string, page: string) => getPublicPage(host, page));
const load = async (params: Params) => {
  const { host, page } = await params;
  const handle = pathSegment(host);
  const slug = pathSegment(page);
  return handle === null || slug === null ? null : findPage(handle, slug);
};

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const found = await load(params);
  if (!found) return { title: (await getTranslations('booking.notFound'))('title'), robots: { index: false } };
  const hostName = found.host.name ?? found.host.handle;
  return {
    title: `${found.page.title} · ${hostName}`,
    description: found.page.description.slice(0, 200) || undefined,
    openGraph: { title: `${found.page.title} · ${hostName}`, description: found.page.description.slice(0, 200) || undefined },
  };
}

/**
 * The public booking page: a server-rendered shell (host, page details) around the client booking widget.
 * `?embed=1` (public/embed.js): no header, and the flag travels on to the confirmation.
 */
export default async function BookingPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const found = await load(params);
  if (!found) notFound();
  const { page, host } = found;
  const embedded = isEmbedRequest((await searchParams).embed);
  return <BookingPageShell target={{ kind: 'host', handle: host.handle, slug: page.slug }} hostName={host.name ?? host.handle} page={page} embedded={embedded} />;
}
