import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ScheduleEditor } from '@/components/host/schedule-editor';
import { hostHour12 } from '@/components/host/wall-clock';
import { todayIn } from '@/lib/availability/time-zone';
import { timeZoneChoices } from '@/lib/availability/zone-names';
import { requireHost } from '@/lib/auth/session';
import { getSchedule } from '@/lib/booking-pages/schedules';
import { unusablePathSegment } from '@/lib/text-input';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('availability');
  return { title: t('editTitle') };
}

export default async function EditSchedulePage({ params }: Props) {
  const host = await requireHost();
  const { id } = await params;
  if (unusablePathSegment(id)) notFound();
  const schedule = await getSchedule(host.id, id);
  if (!schedule) notFound();
  const now = new Date();
  return (
    <ScheduleEditor
      key={schedule.id}
      scheduleId={schedule.id}
      initial={{ name: schedule.name, timeZone: schedule.timeZone, weeklyHours: schedule.weeklyHours, dateOverrides: schedule.dateOverrides }}
      pages={schedule.pages}
      timeZones={timeZoneChoices(now, host.locale)}
      today={todayIn(schedule.timeZone, now)}
      hour12={hostHour12(host.hour12, host.locale)}
    />
  );
}
