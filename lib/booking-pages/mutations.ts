import 'server-only';
import { and, eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { AppError } from '@/lib/errors';
import { type BookingPage, getPageForHost, invalidateHostPages, isPersonalPage, listSlugsForHost } from './queries';
import { assertScheduleOfHost, type Schedule, scheduleValues } from './schedules';
import type { BookingPageInput, ScheduleInput } from './schema';
import { freeSlug, toPageInput, toPageValues } from './utils';

/**
 * Writes for booking pages. Every function takes the owner's id and scopes by it (invariant 6):
 * another host's page id is simply not found. Inputs are already validated (bookingPageInputSchema).
 */

const isUniqueViolation = (error: unknown): boolean => {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return (error as { code?: unknown } | null)?.code === '23505' || cause?.code === '23505';
};

const slugTaken = (slug: string) => new AppError('invalid_input', `The slug "${slug}" is already used by another of your pages`, { fields: { slug: 'slug_taken' } });
const pageNotFound = (pageId: string) => new AppError('not_found', `Booking page ${pageId} not found`);
/** A foreign key violation: the schedule named by the page was deleted in the meantime. */
const isForeignKeyViolation = (error: unknown): boolean => {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return (error as { code?: unknown } | null)?.code === '23503' || cause?.code === '23503';
};
const scheduleNotFound = (id: string) => new AppError('not_found', `Schedule ${id} not found`);
const scheduleGone = () => new AppError('invalid_input', 'Unknown schedule', { fields: { scheduleId: 'schedule_not_found' } });

export async function createPage(userId: string, input: BookingPageInput, db?: DbOrTx): Promise<BookingPage> {
  const client = db ?? (await getDb());
  if (input.scheduleId) await assertScheduleOfHost(userId, input.scheduleId, client);
  try {
    const [page] = await client
      .insert(bookingPages)
      .values({ userId, ...toPageValues(input) })
      .returning();
    // A "no such page" answer cached for its URL must not outlive the page's creation.
    invalidateHostPages(userId);
    return page!;
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(input.slug);
    if (isForeignKeyViolation(error)) throw scheduleGone();
    throw error;
  }
}

/** Replaces every editable field of the host's page. */
export async function updatePage(userId: string, pageId: string, input: BookingPageInput, db?: DbOrTx): Promise<BookingPage> {
  const client = db ?? (await getDb());
  if (input.scheduleId) await assertScheduleOfHost(userId, input.scheduleId, client);
  try {
    const [page] = await client
      .update(bookingPages)
      .set({ ...toPageValues(input), updatedAt: new Date() })
      .where(and(eq(bookingPages.userId, userId), eq(bookingPages.id, pageId), isPersonalPage))
      .returning();
    if (!page) throw pageNotFound(pageId);
    // Guests see edited hours at once instead of after the slots cache expires.
    invalidateHostPages(userId);
    return page;
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(input.slug);
    if (isForeignKeyViolation(error)) throw scheduleGone();
    throw error;
  }
}

export async function setPagePublished(userId: string, pageId: string, published: boolean, db?: DbOrTx): Promise<BookingPage> {
  const client = db ?? (await getDb());
  const [page] = await client
    .update(bookingPages)
    .set({ published, updatedAt: new Date() })
    .where(and(eq(bookingPages.userId, userId), eq(bookingPages.id, pageId), isPersonalPage))
    .returning();
  if (!page) throw pageNotFound(pageId);
  invalidateHostPages(userId);
  return page;
}

/** Deletes the host's page. Existing bookings keep their snapshot (their page id becomes null). */
export async function deletePage(userId: string, pageId: string, db?: DbOrTx): Promise<void> {
  const client = db ?? (await getDb());
  const deleted = await client
    .delete(bookingPages)
    .where(and(eq(bookingPages.userId, userId), eq(bookingPages.id, pageId), isPersonalPage))
    .returning({ id: bookingPages.id });
  if (deleted.length === 0) throw pageNotFound(pageId);
  invalidateHostPages(userId);
}

/**
 * Copies the host's page under a free slug (`<slug>-copy`, `<slug>-copy-2`…). The copy starts
 * unpublished so the host can adjust it before guests see it.
 */
export async function duplicatePage(userId: string, pageId: string, options: { titleSuffix?: string } = {}, db?: DbOrTx): Promise<BookingPage> {
  const client = db ?? (await getDb());
  const source = await getPageForHost(userId, pageId, client);
  if (!source) throw pageNotFound(pageId);
  const input = toPageInput(source);
  const title = `${input.title}${options.titleSuffix ?? ' (copy)'}`.slice(0, 120);
  // A concurrent create can take the slug between the read and the insert: try again with a fresh list.
  for (let attempt = 0; ; attempt++) {
    const slug = freeSlug(`${source.slug}-copy`, await listSlugsForHost(userId, client));
    try {
      return await createPage(userId, { ...input, slug, title, published: false }, client);
    } catch (error) {
      if (attempt < 3 && error instanceof AppError && error.details.fields?.slug === 'slug_taken') continue;
      throw error;
    }
  }
}

/** Replaces the schedule; every page using it offers the new hours at once (this process's slot caches are dropped). */
export async function updateSchedule(userId: string, scheduleId: string, input: ScheduleInput, db?: DbOrTx): Promise<Schedule> {
  const client = db ?? (await getDb());
  const [schedule] = await client
    .update(availabilitySchedules)
    .set({ ...scheduleValues(input), updatedAt: new Date() })
    .where(and(eq(availabilitySchedules.userId, userId), eq(availabilitySchedules.id, scheduleId)))
    .returning();
  if (!schedule) throw scheduleNotFound(scheduleId);
  invalidateHostPages(userId);
  return schedule;
}

/**
 * Deletes the schedule. The pages using it first get its hours, overrides and zone as their own, so
 * they keep offering exactly the same slots (now as "custom hours"). Returns how many pages that was.
 */
export async function deleteSchedule(userId: string, scheduleId: string, db?: DbOrTx): Promise<{ pagesKept: number }> {
  const client = db ?? (await getDb());
  const pagesKept = await client.transaction(async (tx) => {
    const [schedule] = await tx
      .select()
      .from(availabilitySchedules)
      .where(and(eq(availabilitySchedules.userId, userId), eq(availabilitySchedules.id, scheduleId)))
      .for('update');
    if (!schedule) throw scheduleNotFound(scheduleId);
    const moved = await tx
      .update(bookingPages)
      .set({ timeZone: schedule.timeZone, weeklyHours: schedule.weeklyHours, dateOverrides: schedule.dateOverrides, scheduleId: null, updatedAt: new Date() })
      .where(and(eq(bookingPages.userId, userId), eq(bookingPages.scheduleId, scheduleId)))
      .returning({ id: bookingPages.id });
    await tx.delete(availabilitySchedules).where(eq(availabilitySchedules.id, scheduleId));
    return moved.length;
  });
  invalidateHostPages(userId);
  return { pagesKept };
}
