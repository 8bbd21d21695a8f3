import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { BookingPageEditor } from '@/components/host/booking-page-editor';
import { ZoomWarning } from '@/components/host/zoom-warning';
import { todayIn } from '@/lib/availability/time-zone';
import { timeZoneChoices } from '@/lib/availability/zone-names';
import { requireHost } from '@/lib/auth/session';
import { getNewPageDefaults } from '@/lib/booking-pages/queries';
import { scheduleChoices } from '@/lib/booking-pages/schedules';
import { hostHour12 } from '@/components/host/wall-clock';
import { env } from '@/lib/env';
import { hostHasMeetingZoom } from '@/lib/meetings/zoom-choice';
import { getZoomConnectionStatus } from '@/lib/zoom/queries';
import { getDb } from '@/lib/db/client';
import { editorMeetingDefaults } from '@/lib/organisations/zoom';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('pages.editor');
  return { title: t('newTitle') };
}

export default async function NewBookingPage() {
  const host = await requireHost();
  const t = await getTranslations('pages.defaults');
  const [initial, zoom] = await Promise.all([getNewPageDefaults(host.id, { title: t('title'), slugBase: t('slug') }), getZoomConnectionStatus(host.id)]);
  // The organisation's Zoom counts as linked for a host who uses it.
  const zoomLinked = await hostHasMeetingZoom(host.id, zoom.state === 'active');
  // After the defaults: they make the host's first schedule when there is none.
  const [organisationMeetingDefaults, schedules] = await Promise.all([editorMeetingDefaults(await getDb(), host.id), scheduleChoices(host.id)]);
  const now = new Date();
  return (
    <BookingPageEditor
      pageId={null}
      initial={initial}
      appUrl={env().appUrl}
      handle={host.handle}
      timeZones={timeZoneChoices(now, host.locale)}
      zoomLinked={zoomLinked}
      zoomBasic={zoom.basic === true}
      zoomWarning={<ZoomWarning hostId={host.id} />}
      organisationMeetingDefaults={organisationMeetingDefaults}
      schedules={schedules}
      hour12={hostHour12(host.hour12, host.locale)}
      today={todayIn(host.timeZone, now)}
    />
  );
}
