import 'server-only';
import { and, asc, desc, eq, isNull, ne } from 'drizzle-orm';
import { type Flight, processCache, processGenerations, sharedLoad } from '@/lib/cache';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { users } from '@/lib/db/schema/hosts';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { AppError } from '@/lib/errors';
import { membershipOf } from '@/lib/organisations/queries';
import { withEffectiveRules } from './rules';
import { ensureDefaultSchedule } from './schedules';
import type { BookingPageInput } from './schema';
import { freeSlug, newPageInput } from './utils';

export type BookingPage = typeof bookingPages.$inferSelect;
export type PublicHost = { id: string; name: string | null; handle: string; timeZone: string; locale: 'ja' | 'en' };

/**
 * The page's shared schedule's rules, for selecting beside the page with
 * `.leftJoin(availabilitySchedules, scheduleOfPage)` (null when the page has none); `withEffectiveRules`
 * then applies them. One query serves the slot path, not one more round trip.
 */
export const scheduleRules = {
  timeZone: availabilitySchedules.timeZone,
  weeklyHours: availabilitySchedules.weeklyHours,
  dateOverrides: availabilitySchedules.dateOverrides,
};
export const scheduleOfPage = eq(availabilitySchedules.id, bookingPages.scheduleId);

/** A host's own page (/{handle}/{slug}), not a team page they made for their organisation (lib/teams). */
export const isPersonalPage = isNull(bookingPages.organisationId);

/**
 * A published page by its public URL (/{handle}/{slug}), with the host's public fields. Null when unknown or unpublished.
 * The page carries its effective hours (its schedule's when it uses one).
 */
export async function getPublicPage(handle: string, slug: string, db?: DbOrTx): Promise<{ page: BookingPage; host: PublicHost } | null> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select({
      page: bookingPages,
      schedule: scheduleRules,
      host: { id: users.id, name: users.name, handle: users.handle, timeZone: users.timeZone, locale: users.locale },
    })
    .from(bookingPages)
    .innerJoin(users, eq(users.id, bookingPages.userId))
    .leftJoin(availabilitySchedules, scheduleOfPage)
    .where(and(eq(users.handle, handle.toLowerCase()), eq(bookingPages.slug, slug.toLowerCase()), eq(bookingPages.published, true), isPersonalPage))
    .limit(1);
  if (!row) return null;
  return { page: withEffectiveRules(row.page, row.schedule), host: { ...row.host, handle: row.host.handle! } };
}

/** A host's public profile (/{handle}): their published pages, in the order they were made. Null for an unknown handle. */
export async function getPublicProfile(
  handle: string,
  db?: DbOrTx,
): Promise<{ host: PublicHost; pages: Pick<BookingPage, 'slug' | 'title' | 'description' | 'durationMinutes' | 'location'>[] } | null> {
  const client = db ?? (await getDb());
  const [host] = await client
    .select({ id: users.id, name: users.name, handle: users.handle, timeZone: users.timeZone, locale: users.locale })
    .from(users)
    .where(eq(users.handle, handle.toLowerCase()))
    .limit(1);
  if (!host?.handle) return null;
  const pages = await client
    .select({ slug: bookingPages.slug, title: bookingPages.title, description: bookingPages.description, durationMinutes: bookingPages.durationMinutes, location: bookingPages.location })
    .from(bookingPages)
    .where(and(eq(bookingPages.userId, host.id), eq(bookingPages.published, true), isPersonalPage))
    .orderBy(asc(bookingPages.createdAt));
  return { host: { ...host, handle: host.handle }, pages };
}

/**
 * Public page lookups cached for one second: the slots endpoint and the confirm ask on every request.
 * In this process a page or schedule edit drops them at once (invalidateHostPages); another app
 * server on the same database sees an edit at most a second later — the booking transaction locks
 * and re-reads the page (published, hours, buffers, cap), so a confirm never books by a stale copy.
 */
const cachedPages = processCache<Flight<{ page: BookingPage; host: PublicHost } | null>>('booking-pages:public-pages', { max: 5000, ttlMs: 1000 });
/** Per host: bumped whenever the host's bookings or pages change, so cached slot answers computed before are not served. */
const hostSlotGenerations = processGenerations('booking-pages:host-slots');

export function cachedPublicPage(handle: string, slug: string): Promise<{ page: BookingPage; host: PublicHost } | null> {
  return sharedLoad(cachedPages, `${handle.toLowerCase()}/${slug.toLowerCase()}`, () => getPublicPage(handle, slug));
}

export const hostSlotsGeneration = (userId: string): number => hostSlotGenerations.current(userId);

/**
 * Call after any change to a host's bookings (book, cancel, reschedule), so this process stops
 * serving cached slots computed before it. Pages are unchanged by a booking: their lookups stay.
 */
export function invalidateHostSlots(userId: string): void {
  hostSlotGenerations.bump(userId);
}

/**
 * Call after any change to a host's pages or schedules: slots as above, and every cached page lookup
 * (edits are rare; a lookup still loading is dropped too, so it is not served either).
 */
export function invalidateHostPages(userId: string): void {
  hostSlotGenerations.bump(userId);
  cachedPages.clear();
}

/** Drops every cached page lookup (tests). */
export function forgetCachedPages(): void {
  cachedPages.clear();
}

/** A page owned by the host (invariant 6: another host's page is simply not found). */
export async function getPageForHost(userId: string, pageId: string, db?: DbOrTx): Promise<BookingPage | null> {
  const client = db ?? (await getDb());
  const [page] = await client
    .select()
    .from(bookingPages)
    .where(and(eq(bookingPages.userId, userId), eq(bookingPages.id, pageId), isPersonalPage))
    .limit(1);
  return page ?? null;
}

/** The host's pages, newest first. */
export async function listPagesForHost(userId: string, db?: DbOrTx): Promise<BookingPage[]> {
  const client = db ?? (await getDb());
  return client.select().from(bookingPages).where(and(eq(bookingPages.userId, userId), isPersonalPage)).orderBy(desc(bookingPages.createdAt), asc(bookingPages.slug));
}

/** The host's slugs (for suggesting a free one). */
export async function listSlugsForHost(userId: string, db?: DbOrTx): Promise<string[]> {
  const client = db ?? (await getDb());
  const rows = await client.select({ slug: bookingPages.slug }).from(bookingPages).where(and(eq(bookingPages.userId, userId), isPersonalPage));
  return rows.map((r) => r.slug);
}

/** True when another page of the host already uses the slug. */
export async function isSlugTaken(userId: string, slug: string, exceptPageId?: string, db?: DbOrTx): Promise<boolean> {
  const client = db ?? (await getDb());
  const conditions = [eq(bookingPages.userId, userId), eq(bookingPages.slug, slug.trim().toLowerCase()), isPersonalPage];
  if (exceptPageId) conditions.push(ne(bookingPages.id, exceptPageId));
  const [row] = await client
    .select({ id: bookingPages.id })
    .from(bookingPages)
    .where(and(...conditions))
    .limit(1);
  return Boolean(row);
}

/** Whether the host has a working Zoom link or an organisation with Zoom (decides the default location and the editor's warning). */
export async function hasActiveZoom(userId: string, db?: DbOrTx): Promise<boolean> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select({ userId: zoomConnections.userId })
    .from(zoomConnections)
    .where(and(eq(zoomConnections.userId, userId), eq(zoomConnections.status, 'active')))
    .limit(1);
  // The organisation's Zoom account counts too (issue 12: its hosts need no link of their own).
  return Boolean(row) || (await membershipOf(userId, client))?.hasZoom === true;
}

export type PageHostContext = { handle: string | null; timeZone: string; zoomLinked: boolean };

/** What page defaults and public URLs need to know about the host. Null for an unknown user. */
export async function getPageHostContext(userId: string, db?: DbOrTx): Promise<PageHostContext | null> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select({ handle: users.handle, timeZone: users.timeZone, zoomUserId: zoomConnections.userId })
    .from(users)
    .leftJoin(zoomConnections, and(eq(zoomConnections.userId, users.id), eq(zoomConnections.status, 'active')))
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) return null;
  // A host whose organisation has a Zoom account gets meetings from it without a link of their own.
  const zoomLinked = row.zoomUserId !== null || (await membershipOf(userId, client))?.hasZoom === true;
  return { handle: row.handle, timeZone: row.timeZone, zoomLinked };
}

/**
 * A new page's starting values for the editor: the host's first schedule (made now, "Working hours",
 * when they have none) — its hours also start the page's own, for "custom hours" — Zoom when linked,
 * a free slug.
 */
export async function getNewPageDefaults(userId: string, options: { title: string; slugBase: string }, db?: DbOrTx): Promise<BookingPageInput> {
  const client = db ?? (await getDb());
  const [context, slugs] = await Promise.all([getPageHostContext(userId, client), listSlugsForHost(userId, client)]);
  if (!context) throw new AppError('not_found', `Host ${userId} not found`);
  const schedule = await ensureDefaultSchedule(userId, client);
  const input = newPageInput({ title: options.title, slug: freeSlug(options.slugBase, slugs), timeZone: context.timeZone, zoomLinked: context.zoomLinked });
  return { ...withEffectiveRules(input, schedule), scheduleId: schedule.id };
}
