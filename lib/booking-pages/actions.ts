'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { requireHost } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { createPage, deletePage, duplicatePage, setPagePublished, updatePage } from './mutations';
import { isSlugTaken } from './queries';
import { bookingPageInputSchema, type FieldIssues, fieldIssues, slugSchema } from './schema';
import { loadPreviewSlots } from './slots';

/**
 * Server actions of the booking page editor and list. Each one authorises the signed-in host and
 * calls one mutation scoped by that host; failures come back as codes the UI translates.
 */

export type SavePageResult =
  | { ok: true; pageId: string; slug: string; updatedAt: string }
  | { ok: false; code: 'invalid_input'; issues: FieldIssues }
  | { ok: false; code: 'not_found' };

export type PageActionResult = { ok: true } | { ok: false; code: 'not_found' };

const notFound = (error: unknown): error is { code: 'not_found' } => isAppError(error) && error.code === 'not_found';

/** Creates (pageId null) or replaces the host's page with the editor's values. */
export async function savePageAction(pageId: string | null, values: unknown): Promise<SavePageResult> {
  const host = await requireHost();
  const parsed = bookingPageInputSchema.safeParse(values);
  if (!parsed.success) return { ok: false, code: 'invalid_input', issues: fieldIssues(parsed.error) };
  try {
    const page = pageId ? await updatePage(host.id, String(pageId), parsed.data) : await createPage(host.id, parsed.data);
    revalidatePath('/dashboard');
    revalidatePath(`/pages/${page.id}`);
    return { ok: true, pageId: page.id, slug: page.slug, updatedAt: page.updatedAt.toISOString() };
  } catch (error) {
    if (notFound(error)) return { ok: false, code: 'not_found' };
    if (isAppError(error) && error.code === 'invalid_input' && error.details.fields) {
      const issues: FieldIssues = {};
      for (const [path, code] of Object.entries(error.details.fields)) issues[path] = { code };
      return { ok: false, code: 'invalid_input', issues };
    }
    throw error;
  }
}

/** Live check while the host types a slug: `taken` only for a well-formed slug another page of theirs uses. */
export async function checkSlugAction(slug: string, pageId: string | null): Promise<{ taken: boolean }> {
  const host = await requireHost();
  const parsed = slugSchema.safeParse(slug);
  if (!parsed.success) return { taken: false };
  return { taken: await isSlugTaken(host.id, parsed.data, pageId ?? undefined) };
}

export async function duplicatePageAction(pageId: string): Promise<{ ok: true; pageId: string } | { ok: false; code: 'not_found' }> {
  const host = await requireHost();
  const t = await getTranslations('pages.editor');
  try {
    const copy = await duplicatePage(host.id, String(pageId), { titleSuffix: t('copySuffix') });
    revalidatePath('/dashboard');
    return { ok: true, pageId: copy.id };
  } catch (error) {
    if (notFound(error)) return { ok: false, code: 'not_found' };
    throw error;
  }
}

export async function setPublishedAction(pageId: string, published: boolean): Promise<PageActionResult> {
  const host = await requireHost();
  try {
    await setPagePublished(host.id, String(pageId), Boolean(published));
  } catch (error) {
    if (notFound(error)) return { ok: false, code: 'not_found' };
    throw error;
  }
  revalidatePath('/dashboard');
  revalidatePath(`/pages/${pageId}`);
  return { ok: true };
}

export async function deletePageAction(pageId: string): Promise<PageActionResult> {
  const host = await requireHost();
  try {
    await deletePage(host.id, String(pageId));
  } catch (error) {
    if (notFound(error)) return { ok: false, code: 'not_found' };
    throw error;
  }
  revalidatePath('/dashboard');
  return { ok: true };
}

export type PreviewDay = { date: string; slots: string[] };
export type PreviewResult =
  | { ok: true; timeZone: string; days: PreviewDay[]; calendarDegraded: boolean }
  | { ok: false; code: 'invalid_input' };

/** How many days with free times the editor's preview shows, looking at most this many days ahead. */
const PREVIEW_SHOWN_DAYS = 4;
const PREVIEW_LOOKAHEAD_DAYS = 31;

/**
 * The editor's live preview: the next days with free slots for the (unsaved) values, in the page's
 * zone, against the host's real bookings and calendar busy times.
 */
export async function previewPageAction(pageId: string | null, values: unknown): Promise<PreviewResult> {
  const host = await requireHost();
  const parsed = bookingPageInputSchema.safeParse(values);
  if (!parsed.success) return { ok: false, code: 'invalid_input' };
  const { body, calendarDegraded } = await loadPreviewSlots(host.id, pageId ? String(pageId) : null, parsed.data, new Date(), {
    days: PREVIEW_LOOKAHEAD_DAYS,
  });
  return {
    ok: true,
    timeZone: body.timeZone,
    days: body.days.filter((d) => d.slots.length > 0).slice(0, PREVIEW_SHOWN_DAYS),
    calendarDegraded,
  };
}
