import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ConfirmationView } from '@/components/booking/confirmation-view';
import { targetOfBookingPage, targetPath } from '@/components/booking/target';
import { EmbedBridge } from '@/components/booking/embed-bridge';
import { PublicHeader } from '@/components/ui/public-header';
import { getBookingForConfirmation } from '@/lib/bookings/service';
import { embedHref, isEmbedRequest } from '@/lib/embed/mode';
import { pathSegment } from '@/lib/text-input';

type Params = Promise<{ host: string; page: string; uid: string }>;
type Search = Promise<{ token?: string | string[]; embed?: string | string[] }>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('booking.confirmation');
  return { title: t('metaTitle'), robots: { index: false, follow: false }, referrer: 'no-referrer' };
}

/**
 * /{host}/{page}/booked/{uid}?token=…: what the guest sees right after confirming (and when coming back
 * to it). The manage token is the proof, as on the manage page; without it, or with a wrong one, the
 * friendly not-found card (no hint whether the booking exists).
 */
export default async function BookedPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { host, page, uid } = await params;
  const search = await searchParams;
  const rawToken = search.token;
  const embedded = isEmbedRequest(search.embed);
  const token = typeof rawToken === 'string' && rawToken.length <= 200 ? rawToken : null;
  const bookingUid = pathSegment(uid);
  const view = token && bookingUid !== null ? await getBookingForConfirmation(bookingUid, token) : null;
  if (!view || !token) notFound();
  // The uid identifies the booking; a mismatching page in the URL is corrected rather than trusted.
  // A team booking lives under its team page.
  if (view.page && (view.page.team !== null || view.page.handle !== pathSegment(host) || view.page.slug !== pathSegment(page))) {
    redirect(embedHref(`/${targetPath(targetOfBookingPage(view.page))}/booked/${encodeURIComponent(view.uid)}?token=${encodeURIComponent(token)}`, embedded));
  }
  return (
    <>
      {embedded ? null : <PublicHeader />}
      <EmbedBridge />
      <main className="container">
        <ConfirmationView view={view} token={token} embedded={embedded} />
      </main>
    </>
  );
}
