import 'server-only';
import { and, asc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type AssignmentRecord, FAIRNESS_WINDOW_DAYS } from '@/lib/availability/team';
import type { DbOrTx } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { teamPageMembers } from '@/lib/db/schema/booking-pages';
import { bookings } from '@/lib/db/schema/bookings';
import { users } from '@/lib/db/schema/hosts';
import type { BookingPage } from './queries';
import { withEffectiveRules } from './rules';

/**
 * Who a team page books (lib/teams is the product around it): read by the booking transaction, the
 * team's slots and the admin screens, so it lives with the pages, below lib/bookings.
 */

/** A member of a team page: who they are, and the page as it applies to them (their own schedule's hours when they have one). */
export type TeamMember = {
  id: string;
  name: string | null;
  email: string;
  handle: string | null;
  timeZone: string;
  locale: 'ja' | 'en';
  hour12: boolean | null;
  weight: number;
  position: number;
  /** The team page with this member's effective hours (and `userId` = the member): what the engine and the re-check read. */
  page: BookingPage;
};

const memberSchedules = alias(availabilitySchedules, 'member_schedule');

/** The members of a team page, in display order, each with the page's rules as they apply to them. */
export async function teamMembersOf(db: DbOrTx, page: BookingPage): Promise<TeamMember[]> {
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      handle: users.handle,
      timeZone: users.timeZone,
      locale: users.locale,
      hour12: users.hour12,
      weight: teamPageMembers.weight,
      position: teamPageMembers.position,
      schedule: { timeZone: memberSchedules.timeZone, weeklyHours: memberSchedules.weeklyHours, dateOverrides: memberSchedules.dateOverrides },
    })
    .from(teamPageMembers)
    .innerJoin(users, eq(users.id, teamPageMembers.userId))
    // Only a schedule of the member's own counts (a stale id from another host is ignored).
    .leftJoin(memberSchedules, and(eq(memberSchedules.id, teamPageMembers.scheduleId), eq(memberSchedules.userId, teamPageMembers.userId)))
    .where(eq(teamPageMembers.pageId, page.id))
    .orderBy(asc(teamPageMembers.position), asc(teamPageMembers.createdAt));
  return rows.map(({ schedule, ...member }) => ({
    ...member,
    page: { ...withEffectiveRules(page, schedule?.timeZone ? schedule : null), userId: member.id },
  }));
}

/** Each member's round-robin record on the page over the fairness window (members without bookings included). */
export async function assignmentRecords(db: DbOrTx, pageId: string, members: readonly Pick<TeamMember, 'id' | 'weight' | 'position'>[], now: Date): Promise<AssignmentRecord[]> {
  const since = new Date(now.getTime() - FAIRNESS_WINDOW_DAYS * 86_400_000);
  const rows = await db
    .select({ userId: bookings.userId, count: sql<number>`count(*)::int`, lastAssignedAt: sql<string | null>`max(${bookings.createdAt})` })
    .from(bookings)
    .where(
      and(
        eq(bookings.pageId, pageId),
        sql`${bookings.status} = 'confirmed'`,
        isNull(bookings.teamLeadId),
        gte(bookings.createdAt, since),
        inArray(
          bookings.userId,
          members.map((m) => m.id),
        ),
      ),
    )
    .groupBy(bookings.userId);
  const byUser = new Map(rows.map((r) => [r.userId, r]));
  return members.map((m) => {
    const row = byUser.get(m.id);
    return {
      userId: m.id,
      count: row?.count ?? 0,
      lastAssignedAt: row?.lastAssignedAt ? new Date(row.lastAssignedAt) : null,
      weight: m.weight,
      position: m.position,
    };
  });
}
