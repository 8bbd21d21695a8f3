import 'server-only';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { invalidInput } from '@/lib/http';
import { createPage, deletePage, updatePage } from './mutations';
import { getPageForHost, getPageHostContext, listPagesForHost, type PageHostContext } from './queries';
import { BOOKING_PAGE_FIELDS, bookingPageInputSchema } from './schema';
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

/** Creates a page; `timeZone`, `location` and `weeklyHours` default to the host's zone, Zoom-if-linked-else-phone and Mon–Fri 9–17. */
export async function apiCreatePage(userId: string, body: unknown): Promise<ApiBookingPage> {
  const context = await hostContext(userId);
  const fields = knownFields(asObject(body));
  const input = parsePage({
    timeZone: context.timeZone,
    location: defaultLocation(context.zoomLinked),
    weeklyHours: defaultWeeklyHours(),
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
  const input = parsePage({ ...toPageInput(existing), ...fields });
  const page = await updatePage(userId, pageId, input);
  return toApiPage(page, env().appUrl, context.handle);
}

export async function apiDeletePage(userId: string, pageId: string): Promise<void> {
  await deletePage(userId, pageId);
}
