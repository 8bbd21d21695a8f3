import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ScheduleEditor } from '@/components/host/schedule-editor';
import { hostHour12 } from '@/components/host/wall-clock';
import { todayIn } from '@/lib/availability/time-zone';
import { timeZoneChoices } from '@/lib/availability/zone-names';
import { requireHost } from '@/lib/auth/session';
import { defaultWeeklyHours } from '@/lib/booking-pages/utils';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('availability');
  return { title: t('newTitle') };
}

/** A new schedule starts in the host's zone with Mon–Fri 09:00–17:00 and no name. */
export default async function NewSchedulePage() {
  const host = await requireHost();
  const now = new Date();
  return (
    <ScheduleEditor
      scheduleId={null}
      initial={{ name: '', timeZone: host.timeZone, weeklyHours: defaultWeeklyHours(), dateOverrides: [] }}
      pages={[]}
      timeZones={timeZoneChoices(now, host.locale)}
      today={todayIn(host.timeZone, now)}
      hour12={hostHour12(host.hour12, host.locale)}
    />
  );
}
