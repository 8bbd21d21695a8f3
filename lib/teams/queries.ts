import 'server-only';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { type BookingPage, scheduleOfPage, scheduleRules } from '@/lib/booking-pages/queries';
import { withEffectiveRules } from '@/lib/booking-pages/rules';
import { type TeamMember, teamMembersOf } from '@/lib/booking-pages/team-members';
import { type Flight, processCache, sharedLoad } from '@/lib/cache';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages, type TeamKind, teamPageMembers } from '@/lib/db/schema/booking-pages';
import type { BookingRow } from '@/lib/bookings/types';
import { bookings } from '@/lib/db/schema/bookings';
import { users } from '@/lib/db/schema/hosts';
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

/** Where a booking was made: a team page (its public address), a personal page, or a page since deleted (null). */
export type PageOfBooking = { kind: 'team'; team: PublicTeam; slug: string; teamKind: TeamKind } | { kind: 'personal' };

/** The page of a booking as a guest's team confirmation needs it; null when the page is gone or its organisation has no public slug. */
export async function pageOfBooking(db: DbOrTx, pageId: string | null): Promise<PageOfBooking | null> {
  if (!pageId) return null;
  const [row] = await db
    .select({ slug: bookingPages.slug, organisationId: bookingPages.organisationId, teamKind: bookingPages.teamKind, team: { id: organisations.id, name: organisations.name, slug: organisations.slug } })
    .from(bookingPages)
    .leftJoin(organisations, eq(organisations.id, bookingPages.organisationId))
    .where(eq(bookingPages.id, pageId))
    .limit(1);
  if (!row) return null;
  if (!row.organisationId) return { kind: 'personal' };
  if (!row.teamKind || !row.team?.slug) return null;
  return { kind: 'team', team: { id: row.team.id, name: row.team.name, slug: row.team.slug }, slug: row.slug, teamKind: row.teamKind };
}

/**
 * Who the guest meets in a booking: its host and, for a collective booking, every member whose time it
 * holds (the rows led by it), in the page's member order. Read from the booking, not from the page's
 * current members, so a later change of the team does not rewrite who was booked.
 */
export async function bookedHostsOf(db: DbOrTx, booking: Pick<BookingRow, 'id' | 'pageId'>): Promise<{ handle: string | null; name: string | null }[]> {
  return db
    .select({ handle: users.handle, name: users.name })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.userId))
    .leftJoin(teamPageMembers, and(booking.pageId ? eq(teamPageMembers.pageId, booking.pageId) : sql`false`, eq(teamPageMembers.userId, bookings.userId)))
    .where(or(eq(bookings.id, booking.id), eq(bookings.teamLeadId, booking.id)))
    .orderBy(sql`${teamPageMembers.position} asc nulls last`, sql`${bookings.teamLeadId} is not null`, asc(users.name));
}
