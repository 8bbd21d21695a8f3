import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { BookingDetail } from '@/components/host/booking-detail';
import { requireHost } from '@/lib/auth/session';
import { getPageForHost } from '@/lib/booking-pages/queries';
import { manageUrlFor } from '@/lib/bookings/manage-token';
import { getBookingByUid } from '@/lib/bookings/queries';
import { getHostBookingView, type HostBookingView } from '@/lib/bookings/service';
import { getDb } from '@/lib/db/client';
import { isAppError } from '@/lib/errors';
import { getBookingMeetingDetail, type MeetingDetailPage } from '@/lib/meetings/queries';
import { unusablePathSegment } from '@/lib/text-input';

type Props = { params: Promise<{ uid: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('booking.host');
  return { title: t('title') };
}

/** One booking's whole story for its host; another host's or an unknown booking is the not-found page. */
export default async function BookingDetailPage({ params }: Props) {
  const host = await requireHost();
  const { uid } = await params;
  if (unusablePathSegment(uid)) notFound();
  const now = new Date();
  let view: HostBookingView;
  let meeting: MeetingDetailPage;
  try {
    [view, meeting] = await Promise.all([getHostBookingView(host.id, uid, now), getBookingMeetingDetail(await getDb(), host.id, uid)]);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
  // The guest's manage page is where a time is changed; the host may hand it on (or use it).
  let manageUrl: string | null = null;
  // (A member's share of a collective booking has no manage link of its own: it moves with the hosting booking.)
  if (view.status === 'confirmed' && new Date(view.start) > now && view.page && view.team?.part !== 'member') {
    const row = await getBookingByUid(uid);
    if (row) manageUrl = manageUrlFor(row.uid, row.id);
  }
  // The host's Reschedule: the slots of the booking's page while it is published (as the guest's).
  const page = view.page && manageUrl ? await getPageForHost(host.id, view.page.id) : null;
  const reschedule = page?.published && host.handle ? { handle: host.handle, slug: page.slug, bookingWindowDays: page.bookingWindowDays } : null;
  return (
    <BookingDetail view={view} meeting={meeting} timeZone={host.timeZone} hour12={host.hour12} manageUrl={manageUrl} now={now} reschedule={reschedule} />
  );
}
