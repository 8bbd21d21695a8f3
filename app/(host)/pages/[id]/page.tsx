import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { BookingPageEditor } from '@/components/host/booking-page-editor';
import { ZoomWarning } from '@/components/host/zoom-warning';
import { todayIn } from '@/lib/availability/time-zone';
import { timeZoneChoices } from '@/lib/availability/zone-names';
import { requireHost } from '@/lib/auth/session';
import { getPageForHost } from '@/lib/booking-pages/queries';
import { toPageInput } from '@/lib/booking-pages/utils';
import { scheduleChoices } from '@/lib/booking-pages/schedules';
import { hostHour12 } from '@/components/host/wall-clock';
import { env } from '@/lib/env';
import { hostHasMeetingZoom } from '@/lib/meetings/zoom-choice';
import { getZoomConnectionStatus } from '@/lib/zoom/queries';
import { getDb } from '@/lib/db/client';
import { editorMeetingDefaults } from '@/lib/organisations/zoom';
import { unusablePathSegment } from '@/lib/text-input';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('pages.editor');
  return { title: t('editTitle') };
}

export default async function EditBookingPage({ params, searchParams }: Props) {
  const host = await requireHost();
  const [{ id }, { created }] = await Promise.all([params, searchParams]);
  if (unusablePathSegment(id)) notFound();
  const [page, zoom] = await Promise.all([getPageForHost(host.id, id), getZoomConnectionStatus(host.id)]);
  if (!page) notFound();
  // The organisation's Zoom counts as linked for a host who uses it.
  const zoomLinked = await hostHasMeetingZoom(host.id, zoom.state === 'active');
  const [organisationMeetingDefaults, schedules] = await Promise.all([editorMeetingDefaults(await getDb(), host.id), scheduleChoices(host.id)]);
  const now = new Date();
  return (
    <BookingPageEditor
      key={page.id}
      pageId={page.id}
      initial={toPageInput(page)}
      appUrl={env().appUrl}
      handle={host.handle}
      timeZones={timeZoneChoices(now, host.locale)}
      zoomLinked={zoomLinked}
      zoomBasic={zoom.basic === true}
      zoomWarning={<ZoomWarning hostId={host.id} />}
      organisationMeetingDefaults={organisationMeetingDefaults}
      schedules={schedules}
      hour12={hostHour12(host.hour12, host.locale)}
      today={todayIn(page.timeZone, now)}
      justCreated={created === '1'}
    />
  );
}
