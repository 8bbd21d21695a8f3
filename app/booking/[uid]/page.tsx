import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { EmbedBridge } from '@/components/booking/embed-bridge';
import { ManageBooking } from '@/components/booking/manage-booking';
import { PublicHeader } from '@/components/ui/public-header';
import { getPublicPage } from '@/lib/booking-pages/queries';
import { getPublicTeamPage } from '@/lib/teams/queries';
import { isEmbedRequest } from '@/lib/embed/mode';
import { isAppError } from '@/lib/errors';
import { getManagedBooking } from '@/lib/bookings/service';
import type { ManagedBookingView } from '@/lib/bookings/types';
import { pathSegment } from '@/lib/text-input';

type Params = Promise<{ uid: string }>;
type Search = Promise<{ token?: string | string[]; embed?: string | string[] }>;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('booking.manage');
  return { title: t('metaTitle'), robots: { index: false, follow: false }, referrer: 'no-referrer' };
}

async function load(uid: string, token: string | null): Promise<ManagedBookingView | null> {
  if (!token || token.length > 200) return null;
  try {
    return await getManagedBooking(uid, token);
  } catch (error) {
    // A bad token and an unknown uid look the same (no hint which bookings exist).
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'unauthorized' || error.code === 'invalid_input')) return null;
    throw error;
  }
}

/** /booking/{uid}?token=…: the guest's manage page (cancel, reschedule). */
export default async function ManageBookingPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { uid } = await params;
  const search = await searchParams;
  const raw = search.token;
  const embedded = isEmbedRequest(search.embed);
  const token = typeof raw === 'string' ? raw : null;
  const bookingUid = pathSegment(uid);
  const view = bookingUid === null ? null : await load(bookingUid, token);
  // A bad token and an unknown booking answer 404 with the friendly card (not-found.tsx).
  if (!view || !token) notFound();
  // The page it was booked on (a team page for a team booking): its booking window bounds a move.
  const page = !view.page ? null : view.page.team ? await getPublicTeamPage(view.page.team, view.page.slug) : await getPublicPage(view.page.handle, view.page.slug);
  return (
    <>
      {embedded ? null : <PublicHeader />}
      <EmbedBridge />
      <main className="container">
        <ManageBooking
          view={view}
          token={token}
          bookingWindowDays={page?.page.bookingWindowDays ?? null}
          durationMinutes={view.durationMinutes}
          embedded={embedded}
        />
      </main>
    </>
  );
}
