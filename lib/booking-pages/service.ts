import 'server-only';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { invalidInput } from '@/lib/http';
import { createPage, deletePage, deleteSchedule, updatePage, updateSchedule } from './mutations';
import { getPageForHost, getPageHostContext, listPagesForHost, type PageHostContext } from './queries';
import { createSchedule, ensureDefaultSchedule, getSchedule, listSchedules, type Schedule, type ScheduleWithUsage } from './schedules';
import { BOOKING_PAGE_FIELDS, bookingPageInputSchema, SCHEDULE_FIELDS, scheduleInputSchema } from './schema';
import { type ApiBookingPage, defaultLocation, defaultWeeklyHours, toApiPage, toPageInput } from './utils';

/**
 * The host API v1 for booking pages (docs/api.md): bodies in, JSON-ready pages out. Callers pass the
 * authenticated host's id; every read and write is scoped by it.
 */

async function hostContext(userId: string): Promise<PageHostContext> {
  const context = await getPageHostContext(userId);
  if (!context) throw new AppError('unauthorized', 'Unknown host');
  return context;
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('invalid_input', 'Body must be a JSON object', { fields: { _: 'expected_object' } });
  }
  return body as Record<string, unknown>;
}

/** Only the known top-level fields of a body (ids, URLs and timestamps echoed back from GET are ignored). */
function knownFields(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of BOOKING_PAGE_FIELDS) if (key in body) out[key] = body[key];
  return out;
}

function parsePage(candidate: Record<string, unknown>) {
  const parsed = bookingPageInputSchema.safeParse(candidate);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

export async function apiListPages(userId: string): Promise<{ bookingPages: ApiBookingPage[] }> {
  const [context, pages] = await Promise.all([hostContext(userId), listPagesForHost(userId)]);
  return { bookingPages: pages.map((page) => toApiPage(page, env().appUrl, context.handle)) };
}

export async function apiGetPage(userId: string, pageId: string): Promise<ApiBookingPage> {
  const [context, page] = await Promise.all([hostContext(userId), getPageForHost(userId, pageId)]);
  if (!page) throw new AppError('not_found', `Booking page ${pageId} not found`);
  return toApiPage(page, env().appUrl, context.handle);
}

/** A body that sets hours of its own (zone, weekly hours or overrides) but says nothing about a schedule. */
const setsOwnHours = (fields: Record<string, unknown>) => !('scheduleId' in fields) && ('timeZone' in fields || 'weeklyHours' in fields || 'dateOverrides' in fields);

/**
 * Creates a page; `location` defaults to Zoom-if-linked-else-phone. Hours: a body with `scheduleId`
 * uses that schedule (null: its own hours); a body with hours of its own (`timeZone`, `weeklyHours`,
 * `dateOverrides`) uses them (the zone defaulting to the host's, the week to Mon–Fri 9–17); a body
 * with neither uses the host's first schedule (made when they have none).
 */
export async function apiCreatePage(userId: string, body: unknown): Promise<ApiBookingPage> {
  const context = await hostContext(userId);
  const fields = knownFields(asObject(body));
  const own = { timeZone: context.timeZone, weeklyHours: defaultWeeklyHours(), dateOverrides: [] };
  const hours = 'scheduleId' in fields || setsOwnHours(fields) ? own : await defaultScheduleHours(userId);
  const input = parsePage({
    location: defaultLocation(context.zoomLinked),
    ...hours,
    ...fields,
  });
  const page = await createPage(userId, input);
  return toApiPage(page, env().appUrl, context.handle);
}

/**
 * Partial update: the given top-level fields replace the stored ones; the result is validated as a
 * whole. The body is read only once the page is known to be the host's, so another host's id is a 404
 * whatever the body.
 */
export async function apiPatchPage(userId: string, pageId: string, readBody: () => Promise<unknown>): Promise<ApiBookingPage> {
  const [context, existing] = await Promise.all([hostContext(userId), getPageForHost(userId, pageId)]);
  if (!existing) throw new AppError('not_found', `Booking page ${pageId} not found`);
  const fields = knownFields(asObject(await readBody()));
  // Hours sent without a schedule are meant to apply: the page switches to its own hours.
  const input = parsePage({ ...toPageInput(existing), ...(setsOwnHours(fields) ? { scheduleId: null } : {}), ...fields });
  const page = await updatePage(userId, pageId, input);
  return toApiPage(page, env().appUrl, context.handle);
}

export async function apiDeletePage(userId: string, pageId: string): Promise<void> {
  await deletePage(userId, pageId);
}

/** The host's first schedule for a new page (its hours also become the page's own, for switching to custom later). */
async function defaultScheduleHours(userId: string) {
  const schedule = await ensureDefaultSchedule(userId);
  return { timeZone: schedule.timeZone, weeklyHours: schedule.weeklyHours, dateOverrides: schedule.dateOverrides, scheduleId: schedule.id };
}

// ── Schedules (GET|POST /api/v1/schedules, GET|PATCH|DELETE /api/v1/schedules/{id}) ──────────────

/** The JSON of a schedule in the host API v1: the body fields plus id, the ids of the pages using it and timestamps. */
export type ApiSchedule = {
  id: string;
  name: string;
  timeZone: string;
  weeklyHours: Schedule['weeklyHours'];
  dateOverrides: Schedule['dateOverrides'];
  bookingPageIds: string[];
  createdAt: string;
  updatedAt: string;
};

function toApiSchedule(schedule: Schedule, pageIds: string[]): ApiSchedule {
  return {
    id: schedule.id,
    name: schedule.name,
    timeZone: schedule.timeZone,
    weeklyHours: schedule.weeklyHours,
    dateOverrides: schedule.dateOverrides,
    bookingPageIds: pageIds,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
  };
}

const withUsage = (schedule: ScheduleWithUsage) => toApiSchedule(schedule, schedule.pages.map((p) => p.id));

function parseSchedule(candidate: Record<string, unknown>) {
  const parsed = scheduleInputSchema.safeParse(candidate);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

function knownScheduleFields(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SCHEDULE_FIELDS) if (key in body) out[key] = body[key];
  return out;
}

const scheduleNotFound = (id: string) => new AppError('not_found', `Schedule ${id} not found`);

export async function apiListSchedules(userId: string): Promise<{ schedules: ApiSchedule[] }> {
  return { schedules: (await listSchedules(userId)).map(withUsage) };
}

export async function apiGetSchedule(userId: string, scheduleId: string): Promise<ApiSchedule> {
  const schedule = await getSchedule(userId, scheduleId);
  if (!schedule) throw scheduleNotFound(scheduleId);
  return withUsage(schedule);
}

/** Creates a schedule; `timeZone` and `weeklyHours` default to the host's zone and Mon–Fri 9–17. */
export async function apiCreateSchedule(userId: string, body: unknown): Promise<ApiSchedule> {
  const context = await hostContext(userId);
  const input = parseSchedule({ timeZone: context.timeZone, weeklyHours: defaultWeeklyHours(), ...knownScheduleFields(asObject(body)) });
  return toApiSchedule(await createSchedule(userId, input), []);
}

/** Partial update, validated as a whole; every page using the schedule offers the new hours at once. Another host's id is a 404 whatever the body. */
export async function apiPatchSchedule(userId: string, scheduleId: string, readBody: () => Promise<unknown>): Promise<ApiSchedule> {
  const existing = await getSchedule(userId, scheduleId);
  if (!existing) throw scheduleNotFound(scheduleId);
  const fields = knownScheduleFields(asObject(await readBody()));
  const input = parseSchedule({ name: existing.name, timeZone: existing.timeZone, weeklyHours: existing.weeklyHours, dateOverrides: existing.dateOverrides, ...fields });
  return toApiSchedule(await updateSchedule(userId, scheduleId, input), existing.pages.map((p) => p.id));
}

/** Deletes a schedule; the pages using it keep its hours as their own. */
export async function apiDeleteSchedule(userId: string, scheduleId: string): Promise<void> {
  await deleteSchedule(userId, scheduleId);
}
