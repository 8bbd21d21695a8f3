import 'server-only';
import { computeSlots, type SlotsResult } from '@/lib/availability/engine';
import { combineMemberSlots } from '@/lib/availability/team';
import { localDateRangeUtc } from '@/lib/availability/time-zone';
import { hostSlotsGeneration } from '@/lib/booking-pages/queries';
import { type Flight, processCache, sharedLoad } from '@/lib/cache';
import { getCalendarBusy } from '@/lib/calendar/host-calendar';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { manageTokenMatches } from '@/lib/bookings/manage-token';
import { busyOfHosts, getBookingByUid, memberHoldIds } from '@/lib/bookings/queries';
import { type PublicSlotsAnswer, parseSlotsParams } from '@/lib/bookings/slots';
import type { TeamMember } from '@/lib/booking-pages/team-members';
import { cachedPublicTeamPage, type TeamPage } from './queries';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Answers cached for a second like personal pages', tagged with the members' slot generations. */
const cachedAnswers = processCache<Flight<PublicSlotsAnswer>>('teams:public-slots', { max: 2000, ttlMs: 1000 });

export function forgetCachedTeamSlots(): void {
  cachedAnswers.clear();
}

/**
 * `GET /api/public/teams/{org}/{page}/slots`: the personal endpoint's parameters and answer. Each member's
 * slots come from the one engine with their own hours, bookings (every page, one query for all members)
 * and calendar; a round-robin page offers their union, a collective page their intersection.
 */
export async function loadTeamSlots(args: {
  orgSlug: string;
  slug: string;
  from: string | null;
  to: string | null;
  timeZone: string | null;
  now: Date;
  /** A guest moving their booking (manage token): the times it can move to, as if it were not there. */
  reschedule?: { uid: string; token: string } | null;
}): Promise<PublicSlotsAnswer> {
  const params = parseSlotsParams(args);
  const found = await cachedPublicTeamPage(args.orgSlug, args.slug);
  if (!found) throw new AppError('not_found', 'Booking page not found');
  const timeZone = params.timeZone ?? found.page.timeZone;
  if (args.reschedule) {
    const moving = await getBookingByUid(args.reschedule.uid);
    // Wrong token, another page's booking, a member's hold and an unknown uid look the same.
    if (!moving || !manageTokenMatches(args.reschedule.token, moving.manageTokenHash) || moving.pageId !== found.page.id || moving.teamLeadId || moving.status !== 'confirmed') {
      throw new AppError('not_found', 'Booking not found');
    }
    // A round-robin booking stays with its member; a collective one needs everyone, its holds not counting.
    const holds = await memberHoldIds(moving.id);
    const members = found.page.teamKind === 'round_robin' ? found.members.filter((m) => m.id === moving.userId) : found.members;
    const computed = await computeTeamSlots({ page: found.page, members }, params.from, params.to, timeZone, args.now, [moving.id, ...holds]);
    return { ...computed, json: JSON.stringify(computed.body) };
  }
  // A sum of per-member counters that only grow: it changes whenever any member's bookings or pages do.
  const generation = found.members.reduce((sum, m) => sum + hostSlotsGeneration(m.id), 0);
  return sharedLoad(
    cachedAnswers,
    `${found.page.id}|${params.from}|${params.to}|${timeZone}`,
    async () => {
      const computed = await computeTeamSlots(found, params.from, params.to, timeZone, args.now);
      return { ...computed, json: JSON.stringify(computed.body) };
    },
    { generation, keep: (value) => !value.calendarDegraded },
  );
}

export async function computeTeamSlots(
  found: Pick<TeamPage, 'page' | 'members'>,
  from: string,
  to: string,
  timeZone: string,
  now: Date,
  ignoreBookingIds: readonly string[] = [],
): Promise<{ body: SlotsResult; calendarDegraded: boolean }> {
  const { page, members } = found;
  const range = localDateRangeUtc(from, to, timeZone);
  const earliest = Math.max(range.start.getTime(), now.getTime());
  const empty = computeSlots({ rules: page, busy: [], pageBookingStarts: [], now, from, to, timeZone });
  if (earliest >= range.end.getTime()) return { body: { ...empty, days: empty.days.map((d) => ({ date: d.date, slots: [] })) }, calendarDegraded: false };
  // As for a personal page: whole page-local days around the range (the daily cap), which covers every buffer.
  const bookingsFrom = new Date(earliest - 2 * DAY);
  const bookingsTo = new Date(range.end.getTime() + 2 * DAY);
  const busyFrom = new Date(range.start.getTime() - page.bufferBeforeMinutes * MINUTE);
  const busyTo = new Date(range.end.getTime() + (page.durationMinutes + page.bufferAfterMinutes) * MINUTE);
  const db = await getDb();
  const [booked, calendars] = await Promise.all([
    busyOfHosts(
      db,
      members.map((m) => m.id),
      page.id,
      bookingsFrom,
      bookingsTo,
      ignoreBookingIds,
    ),
    Promise.all(members.map((m) => getCalendarBusy(m.id, busyFrom, busyTo))),
  ]);
  const perMember = members.map((member: TeamMember, i) => {
    const own = booked.get(member.id)!;
    const busy = [...own.busy, ...calendars[i]!.busy];
    return computeSlots({ rules: member.page, busy, pageBookingStarts: own.pageBookingStarts, now, from, to, timeZone });
  });
  return { body: combineMemberSlots(page.teamKind, perMember, empty), calendarDegraded: calendars.some((c) => c.degraded) };
}
