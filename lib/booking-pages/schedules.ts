import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { users } from '@/lib/db/schema/hosts';
import { AppError } from '@/lib/errors';
import { type AvailabilityRules, withEffectiveRules } from './rules';
import type { ScheduleInput } from './schema';
import { defaultWeeklyHours } from './utils';

/**
 * Shared availability schedules: a host's named weekly hours with a zone and date overrides, which
 * any of their pages can use instead of hours of its own (booking_pages.schedule_id). Every function
 * takes the owner's id and scopes by it: another host's schedule is simply not found.
 */

export type Schedule = typeof availabilitySchedules.$inferSelect;
/** A schedule with the pages that use it (for the list, the editor's picker and the delete warning). */
export type ScheduleWithUsage = Schedule & { pages: { id: string; title: string }[] };

/** The first schedule's name in the host's language (what the 0011 migration named them too). */
export const defaultScheduleName = (locale: 'ja' | 'en') => (locale === 'ja' ? '勤務時間' : 'Working hours');

/** A page body naming a schedule that is not the host's: a field error, whoever owns the id. */
const unknownSchedule = () => new AppError('invalid_input', 'Unknown schedule', { fields: { scheduleId: 'schedule_not_found' } });

export const scheduleValues = (input: ScheduleInput) => ({
  name: input.name,
  timeZone: input.timeZone,
  weeklyHours: input.weeklyHours,
  dateOverrides: [...input.dateOverrides].sort((a, b) => a.date.localeCompare(b.date)),
});

/** The host's schedules, oldest first (the first is the default for new pages), with the pages using each. */
export async function listSchedules(userId: string, db?: DbOrTx): Promise<ScheduleWithUsage[]> {
  const client = db ?? (await getDb());
  const [schedules, pages] = await Promise.all([
    client.select().from(availabilitySchedules).where(eq(availabilitySchedules.userId, userId)).orderBy(asc(availabilitySchedules.createdAt), asc(availabilitySchedules.name)),
    client
      .select({ id: bookingPages.id, title: bookingPages.title, scheduleId: bookingPages.scheduleId })
      .from(bookingPages)
      .where(eq(bookingPages.userId, userId))
      .orderBy(asc(bookingPages.createdAt)),
  ]);
  return schedules.map((s) => ({ ...s, pages: pages.filter((p) => p.scheduleId === s.id).map(({ id, title }) => ({ id, title })) }));
}

export async function getSchedule(userId: string, scheduleId: string, db?: DbOrTx): Promise<ScheduleWithUsage | null> {
  const client = db ?? (await getDb());
  const [schedule] = await client
    .select()
    .from(availabilitySchedules)
    .where(and(eq(availabilitySchedules.userId, userId), eq(availabilitySchedules.id, scheduleId)))
    .limit(1);
  if (!schedule) return null;
  const pages = await client
    .select({ id: bookingPages.id, title: bookingPages.title })
    .from(bookingPages)
    .where(and(eq(bookingPages.userId, userId), eq(bookingPages.scheduleId, scheduleId)))
    .orderBy(asc(bookingPages.createdAt));
  return { ...schedule, pages };
}

export async function createSchedule(userId: string, input: ScheduleInput, db?: DbOrTx): Promise<Schedule> {
  const client = db ?? (await getDb());
  const [schedule] = await client
    .insert(availabilitySchedules)
    .values({ userId, ...scheduleValues(input) })
    .returning();
  return schedule!;
}

/** 422 unless `scheduleId` is one of the host's schedules (another host's id looks unknown). */
export async function assertScheduleOfHost(userId: string, scheduleId: string, db?: DbOrTx): Promise<Schedule> {
  const client = db ?? (await getDb());
  const [schedule] = await client
    .select()
    .from(availabilitySchedules)
    .where(and(eq(availabilitySchedules.userId, userId), eq(availabilitySchedules.id, scheduleId)))
    .limit(1);
  if (!schedule) throw unknownSchedule();
  return schedule;
}

/**
 * The host's first schedule, made now when they have none: "Working hours" in their language and
 * zone, Mon–Fri 09:00–17:00 (what a new page started with before schedules). New pages use it.
 */
export async function ensureDefaultSchedule(userId: string, db?: DbOrTx): Promise<Schedule> {
  const client = db ?? (await getDb());
  const [first] = await client
    .select()
    .from(availabilitySchedules)
    .where(eq(availabilitySchedules.userId, userId))
    .orderBy(asc(availabilitySchedules.createdAt), asc(availabilitySchedules.name))
    .limit(1);
  if (first) return first;
  const [host] = await client.select({ timeZone: users.timeZone, locale: users.locale }).from(users).where(eq(users.id, userId)).limit(1);
  if (!host) throw new AppError('not_found', `Host ${userId} not found`);
  return createSchedule(userId, { name: defaultScheduleName(host.locale), timeZone: host.timeZone, weeklyHours: defaultWeeklyHours(), dateOverrides: [] }, client);
}

/**
 * A page body's effective hours for the editor preview: the named schedule's (422 when it is not the
 * host's) or the body's own.
 */
export async function effectiveRulesOf<P extends AvailabilityRules & { scheduleId?: string | null }>(userId: string, page: P, db?: DbOrTx): Promise<P> {
  if (!page.scheduleId) return page;
  return withEffectiveRules(page, await assertScheduleOfHost(userId, page.scheduleId, db));
}

/** The host's schedules as the page editor's picker shows them (plain data for a client component). */
export async function scheduleChoices(userId: string, db?: DbOrTx) {
  return (await listSchedules(userId, db)).map((s) => ({
    id: s.id,
    name: s.name,
    timeZone: s.timeZone,
    weeklyHours: s.weeklyHours,
    dateOverrides: s.dateOverrides,
    pageIds: s.pages.map((p) => p.id),
  }));
}
