import 'server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { type BookingPage, scheduleOfPage, scheduleRules } from '@/lib/booking-pages/queries';
import { withEffectiveRules } from '@/lib/booking-pages/rules';
import { type TeamMember, teamMembersOf } from '@/lib/booking-pages/team-members';
import { type Flight, processCache, sharedLoad } from '@/lib/cache';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages, type TeamKind, teamPageMembers } from '@/lib/db/schema/booking-pages';
import { organisations } from '@/lib/db/schema/organisations';

/** The organisation as its public pages show it. */
export type PublicTeam = { id: string; name: string; slug: string };

export type TeamPage = { page: BookingPage & { teamKind: TeamKind }; team: PublicTeam; members: TeamMember[] };

/** A published team page by its public URL (/team/{org}/{slug}) with its members; null when unknown, unpublished or without members. */
export async function getPublicTeamPage(orgSlug: string, slug: string, db?: DbOrTx): Promise<TeamPage | null> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select({ page: bookingPages, schedule: scheduleRules, team: { id: organisations.id, name: organisations.name, slug: organisations.slug } })
    .from(bookingPages)
    .innerJoin(organisations, eq(organisations.id, bookingPages.organisationId))
    .leftJoin(availabilitySchedules, scheduleOfPage)
    .where(and(eq(organisations.slug, orgSlug.toLowerCase()), eq(bookingPages.slug, slug.toLowerCase()), eq(bookingPages.published, true)))
    .limit(1);
  if (!row?.page.teamKind || !row.team.slug) return null;
  const page = { ...withEffectiveRules(row.page, row.schedule), teamKind: row.page.teamKind };
  const members = await teamMembersOf(client, page);
  if (members.length === 0) return null;
  return { page, team: { ...row.team, slug: row.team.slug }, members };
}

/** One second of caching, like personal pages (the slots endpoint asks on every request); the booking reads the live rows. */
const cachedTeamPages = processCache<Flight<TeamPage | null>>('teams:public-pages', { max: 2000, ttlMs: 1000 });

export function cachedPublicTeamPage(orgSlug: string, slug: string): Promise<TeamPage | null> {
  return sharedLoad(cachedTeamPages, `${orgSlug.toLowerCase()}/${slug.toLowerCase()}`, () => getPublicTeamPage(orgSlug, slug));
}

export function forgetCachedTeamPages(): void {
  cachedTeamPages.clear();
}

/** An organisation's public profile (/team/{slug}): its published team pages. Null for an unknown slug. */
export async function getPublicTeamProfile(
  orgSlug: string,
  db?: DbOrTx,
): Promise<{ team: PublicTeam; pages: (Pick<BookingPage, 'slug' | 'title' | 'description' | 'durationMinutes' | 'location'> & { teamKind: TeamKind })[] } | null> {
  const client = db ?? (await getDb());
  const [team] = await client
    .select({ id: organisations.id, name: organisations.name, slug: organisations.slug })
    .from(organisations)
    .where(eq(organisations.slug, orgSlug.toLowerCase()))
    .limit(1);
  if (!team?.slug) return null;
  const rows = await client
    .select({
      slug: bookingPages.slug,
      title: bookingPages.title,
      description: bookingPages.description,
      durationMinutes: bookingPages.durationMinutes,
      location: bookingPages.location,
      teamKind: bookingPages.teamKind,
    })
    .from(bookingPages)
    .where(and(eq(bookingPages.organisationId, team.id), eq(bookingPages.published, true)))
    .orderBy(asc(bookingPages.createdAt));
  return { team: { ...team, slug: team.slug }, pages: rows.flatMap((p) => (p.teamKind ? [{ ...p, teamKind: p.teamKind }] : [])) };
}

/** An organisation's team pages for its admins (published or not), each with its members' ids in order. */
export async function teamPagesOfOrganisation(organisationId: string, db?: DbOrTx): Promise<(BookingPage & { memberIds: string[] })[]> {
  const client = db ?? (await getDb());
  const pages = await client.select().from(bookingPages).where(eq(bookingPages.organisationId, organisationId)).orderBy(asc(bookingPages.createdAt));
  if (pages.length === 0) return [];
  const members = await client
    .select({ pageId: teamPageMembers.pageId, userId: teamPageMembers.userId })
    .from(teamPageMembers)
    .where(
      inArray(
        teamPageMembers.pageId,
        pages.map((p) => p.id),
      ),
    )
    .orderBy(asc(teamPageMembers.position));
  return pages.map((p) => ({ ...p, memberIds: members.filter((m) => m.pageId === p.id).map((m) => m.userId) }));
}
