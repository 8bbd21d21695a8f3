import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ConfirmationView } from '@/components/booking/confirmation-view';
import { EmbedBridge } from '@/components/booking/embed-bridge';
import { PublicHeader } from '@/components/ui/public-header';
import { embedHref, isEmbedRequest } from '@/lib/embed/mode';
import { getTeamBookingForConfirmation } from '@/lib/teams/booking';
import { pathSegment } from '@/lib/text-input';

type Params = Promise<{ org: string; page: string; uid: string }>;
type Search = Promise<{ token?: string | string[]; embed?: string | string[] }>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('booking.confirmation');
  return { title: t('metaTitle'), robots: { index: false, follow: false }, referrer: 'no-referrer' };
}

/**
 * /team/{org}/{page}/booked/{uid}?token=…: the personal confirmation page (app/[host]/[page]/booked/[uid])
 * for a team booking, plus who the guest meets (the assigned member; every member of a collective page).
 * Same proof (the manage token) and the same friendly not-found without it.
 */
export default async function TeamBookedPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { org, page, uid } = await params;
  const search = await searchParams;
  const rawToken = search.token;
  const embedded = isEmbedRequest(search.embed);
  const token = typeof rawToken === 'string' && rawToken.length <= 200 ? rawToken : null;
  const bookingUid = pathSegment(uid);
  const found = token && bookingUid !== null ? await getTeamBookingForConfirmation(bookingUid, token) : null;
  if (!found || !token) notFound();
  const { view, hosts } = found;
  const tokenQuery = `?token=${encodeURIComponent(token)}`;
  // The uid identifies the booking; a mismatching page in the URL is corrected rather than trusted.
  if (found.page?.kind === 'personal') {
    if (!view.page) notFound();
    redirect(embedHref(`/${encodeURIComponent(view.page.handle)}/${encodeURIComponent(view.page.slug)}/booked/${encodeURIComponent(view.uid)}${tokenQuery}`, embedded));
  }
  const pagePath = found.page ? `/team/${encodeURIComponent(found.page.team.slug)}/${encodeURIComponent(found.page.slug)}` : null;
  if (found.page && (found.page.team.slug !== pathSegment(org) || found.page.slug !== pathSegment(page))) {
    redirect(embedHref(`${pagePath}/booked/${encodeURIComponent(view.uid)}${tokenQuery}`, embedded));
  }
  return (
    <>
      {embedded ? null : <PublicHeader />}
      <EmbedBridge />
      <main className="container">
        <ConfirmationView view={view} token={token} embedded={embedded} pagePath={pagePath} hosts={hosts} />
      </main>
    </>
  );
}
