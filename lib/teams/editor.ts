import 'server-only';
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { getPageHostContext } from '@/lib/booking-pages/queries';
import type { BookingPageInput } from '@/lib/booking-pages/schema';
import { freeSlug, newPageInput, toPageInput } from '@/lib/booking-pages/utils';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages, type TeamKind, teamPageMembers } from '@/lib/db/schema/booking-pages';
import { bookings } from '@/lib/db/schema/bookings';
import { users } from '@/lib/db/schema/hosts';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { AppError } from '@/lib/errors';
import type { TeamSettings } from './mutations';

/**
 * What the organisation page and the team page editor read (owners/admins edit; the page decides who
 * sees what from the caller's role). Every read is scoped by the caller's organisation id.
 */

/** The organisation's public slug (/team/{slug}); null until an admin sets it. */
export async function organisationSlug(organisationId: string, db?: DbOrTx): Promise<string | null> {
  const client = db ?? (await getDb());
  const [row] = await client.select({ slug: organisations.slug }).from(organisations).where(eq(organisations.id, organisationId)).limit(1);
  return row?.slug ?? null;
}

/** A member the picker offers, with their own schedules (a member may book a team page from one of them). */
export type TeamMemberChoice = { id: string; name: string | null; email: string; schedules: { id: string; name: string }[] };

/** The organisation's members as the member picker lists them (their schedules included, oldest first). */
export async function teamMemberChoices(organisationId: string, db?: DbOrTx): Promise<TeamMemberChoice[]> {
  const client = db ?? (await getDb());
  const members = await client
    .select({ id: users.id, name: users.name, email: users.email })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(asc(organisationMembers.createdAt), asc(users.email));
  if (members.length === 0) return [];
  const schedules = await client
    .select({ id: availabilitySchedules.id, userId: availabilitySchedules.userId, name: availabilitySchedules.name })
    .from(availabilitySchedules)
    .where(
      inArray(
        availabilitySchedules.userId,
        members.map((m) => m.id),
      ),
    )
    .orderBy(asc(availabilitySchedules.createdAt));
  return members.map((m) => ({ ...m, schedules: schedules.filter((s) => s.userId === m.id).map(({ id, name }) => ({ id, name })) }));
}

/** A team page as its editor opens it: the page's fields, and its kind and members. Null: not this organisation's. */
export async function teamPageForEditor(
  organisationId: string,
  pageId: string,
  db?: DbOrTx,
): Promise<{ id: string; input: BookingPageInput; team: TeamSettings; formerMembers: TeamMemberChoice[]; updatedAt: Date } | null> {
  const client = db ?? (await getDb());
  const [page] = await client
    .select()
    .from(bookingPages)
    .where(and(eq(bookingPages.id, pageId), eq(bookingPages.organisationId, organisationId)))
    .limit(1);
  if (!page?.teamKind) return null;
  const rows = await client
    .select({
      userId: teamPageMembers.userId,
      weight: teamPageMembers.weight,
      scheduleId: teamPageMembers.scheduleId,
      name: users.name,
      email: users.email,
      inOrganisation: organisationMembers.userId,
    })
    .from(teamPageMembers)
    .innerJoin(users, eq(users.id, teamPageMembers.userId))
    .leftJoin(organisationMembers, and(eq(organisationMembers.userId, teamPageMembers.userId), eq(organisationMembers.organisationId, organisationId)))
    .where(eq(teamPageMembers.pageId, page.id))
    .orderBy(asc(teamPageMembers.position), asc(teamPageMembers.createdAt));
  const kind: TeamKind = page.teamKind;
  const members = rows.map(({ userId, weight, scheduleId }) => ({ userId, weight, scheduleId }));
  // Members who left the organisation since: still on the page until an admin unticks them (the server refuses to save them).
  const formerMembers = rows.filter((r) => r.inOrganisation === null).map((r) => ({ id: r.userId, name: r.name, email: r.email, schedules: [] }));
  return { id: page.id, input: { ...toPageInput(page), scheduleId: null }, team: { kind, members }, formerMembers, updatedAt: page.updatedAt };
}

/** A new team page's starting values: the personal defaults (hours Mon–Fri 9–17 in the admin's zone) with a slug free in the organisation. */
export async function newTeamPageDefaults(userId: string, organisationId: string, options: { title: string; slugBase: string }, db?: DbOrTx): Promise<BookingPageInput> {
  const client = db ?? (await getDb());
  const [context, slugs] = await Promise.all([
    getPageHostContext(userId, client),
    client.select({ slug: bookingPages.slug }).from(bookingPages).where(eq(bookingPages.organisationId, organisationId)),
  ]);
  if (!context) throw new AppError('not_found', `Host ${userId} not found`);
  const input = newPageInput({
    title: options.title,
    slug: freeSlug(
      options.slugBase,
      slugs.map((s) => s.slug),
    ),
    timeZone: context.timeZone,
    zoomLinked: context.zoomLinked,
  });
  return { ...input, scheduleId: null };
}

/** An upcoming booking of a team page, for its admins (the lead row of a collective booking; its members are listed). */
export type TeamPageBooking = { uid: string; start: string; end: string; guestName: string; hostId: string; hostName: string };

/** The next upcoming bookings of one of the organisation's team pages (null: not this organisation's page). */
export async function upcomingTeamPageBookings(organisationId: string, pageId: string, now: Date, db?: DbOrTx): Promise<TeamPageBooking[] | null> {
  const client = db ?? (await getDb());
  const [page] = await client
    .select({ id: bookingPages.id })
    .from(bookingPages)
    .where(and(eq(bookingPages.id, pageId), eq(bookingPages.organisationId, organisationId)))
    .limit(1);
  if (!page) return null;
  const rows = await client
    .select({ uid: bookings.uid, startAt: bookings.startAt, endAt: bookings.endAt, guestName: bookings.guestName, hostId: users.id, hostName: users.name, hostEmail: users.email })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(and(eq(bookings.pageId, page.id), eq(bookings.status, 'confirmed'), isNull(bookings.teamLeadId), gt(bookings.startAt, now)))
    .orderBy(asc(bookings.startAt))
    .limit(50);
  return rows.map((r) => ({
    uid: r.uid,
    start: r.startAt.toISOString(),
    end: r.endAt.toISOString(),
    guestName: r.guestName,
    hostId: r.hostId,
    hostName: r.hostName ?? r.hostEmail,
  }));
}
