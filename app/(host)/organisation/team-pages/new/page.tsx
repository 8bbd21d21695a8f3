import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { BookingPageEditor } from '@/components/host/booking-page-editor';
import { hostHour12 } from '@/components/host/wall-clock';
import { todayIn } from '@/lib/availability/time-zone';
import { timeZoneChoices } from '@/lib/availability/zone-names';
import { requireHost } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { env } from '@/lib/env';
import { membershipOf } from '@/lib/organisations/queries';
import { canManage } from '@/lib/organisations/schema';
import { editorMeetingDefaults } from '@/lib/organisations/zoom';
import { newTeamPageDefaults, organisationSlug, teamMemberChoices } from '@/lib/teams/editor';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('organisation.teams.editor');
  return { title: t('newTitle') };
}

/** A new team page of the host's organisation (owners and admins; anyone else: not found). */
export default async function NewTeamPage() {
  const host = await requireHost();
  const membership = await membershipOf(host.id);
  if (!membership || !canManage(membership.role)) notFound();
  const t = await getTranslations('organisation.teams.defaults');
  const [initial, slug, members, organisationMeetingDefaults] = await Promise.all([
    newTeamPageDefaults(host.id, membership.organisationId, { title: t('title'), slugBase: t('slug') }),
    organisationSlug(membership.organisationId),
    teamMemberChoices(membership.organisationId),
    editorMeetingDefaults(await getDb(), host.id),
  ]);
  const now = new Date();
  return (
    <BookingPageEditor
      pageId={null}
      initial={initial}
      appUrl={env().appUrl}
      handle={host.handle}
      timeZones={timeZoneChoices(now, host.locale)}
      zoomLinked
      organisationMeetingDefaults={organisationMeetingDefaults}
      schedules={[]}
      hour12={hostHour12(host.hour12, host.locale)}
      today={todayIn(host.timeZone, now)}
      team={{ orgSlug: slug, members, initial: { kind: 'round_robin', members: [] } }}
    />
  );
}
