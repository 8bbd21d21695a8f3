import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { BookingPageEditor } from '@/components/host/booking-page-editor';
import { TeamPageBookings } from '@/components/organisation/team-page-bookings';
import { hostHour12 } from '@/components/host/wall-clock';
import { todayIn } from '@/lib/availability/time-zone';
import { timeZoneChoices } from '@/lib/availability/zone-names';
import { requireHost } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { env } from '@/lib/env';
import { membershipOf } from '@/lib/organisations/queries';
import { canManage } from '@/lib/organisations/schema';
import { editorMeetingDefaults } from '@/lib/organisations/zoom';
import { organisationSlug, teamMemberChoices, teamPageForEditor, upcomingTeamPageBookings } from '@/lib/teams/editor';
import { unusablePathSegment } from '@/lib/text-input';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('organisation.teams.editor');
  return { title: t('editTitle') };
}

/** A team page of the host's organisation (owners and admins; anyone else, or another organisation's page: not found). */
export default async function EditTeamPage({ params, searchParams }: Props) {
  const host = await requireHost();
  const [{ id }, { created }] = await Promise.all([params, searchParams]);
  if (unusablePathSegment(id)) notFound();
  const membership = await membershipOf(host.id);
  if (!membership || !canManage(membership.role)) notFound();
  const now = new Date();
  const [page, slug, members, organisationMeetingDefaults, bookings] = await Promise.all([
    teamPageForEditor(membership.organisationId, id),
    organisationSlug(membership.organisationId),
    teamMemberChoices(membership.organisationId),
    editorMeetingDefaults(await getDb(), host.id),
    upcomingTeamPageBookings(membership.organisationId, id, now),
  ]);
  if (!page) notFound();
  const pageMembers = page.team.members.flatMap((m) => {
    const member = members.find((c) => c.id === m.userId);
    return member ? [{ id: member.id, name: member.name ?? member.email }] : [];
  });
  return (
    <div className="stack-lg">
      <BookingPageEditor
        key={page.id}
        pageId={page.id}
        initial={page.input}
        appUrl={env().appUrl}
        handle={host.handle}
        timeZones={timeZoneChoices(now, host.locale)}
        zoomLinked
        organisationMeetingDefaults={organisationMeetingDefaults}
        schedules={[]}
        hour12={hostHour12(host.hour12, host.locale)}
        today={todayIn(page.input.timeZone, now)}
        justCreated={created === '1'}
        team={{ orgSlug: slug, members: [...members, ...page.formerMembers.map((m) => ({ ...m, former: true }))], initial: page.team }}
      />
      {/* In the layout's column, as wide as the editor above it. */}
      <TeamPageBookings
        bookings={bookings ?? []}
        members={pageMembers}
        roundRobin={page.team.kind === 'round_robin'}
        timeZone={host.timeZone}
        locale={host.locale}
        hour12={hostHour12(host.hour12, host.locale)}
      />
    </div>
  );
}
