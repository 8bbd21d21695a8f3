'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { type ActionResult, runAction } from '@/lib/actions';
import { requireHost } from '@/lib/auth/session';
import { createPage, deletePage, duplicatePage, setPagePublished, updatePage } from './mutations';
import { isSlugTaken } from './queries';
import { bookingPageInputSchema, slugSchema } from './schema';

/**
 * Server actions of the booking page editor and list. Each one authorises the signed-in host and
 * calls one mutation scoped by that host; failures come back as an ActionResult (lib/actions.ts):
 * `invalid_input` with `fields` (path → code, e.g. {"slug": "slug_taken"}), `not_found` for a page
 * that is not the host's (or gone).
 */

/** Creates (pageId null) or replaces the host's page with the editor's values. */
export async function savePageAction(pageId: string | null, values: unknown): Promise<ActionResult<{ pageId: string; slug: string; updatedAt: string }>> {
  return runAction('savePageAction', async () => {
    const host = await requireHost();
    const input = bookingPageInputSchema.parse(values);
    const page = pageId ? await updatePage(host.id, String(pageId), input) : await createPage(host.id, input);
    revalidatePath('/dashboard');
    revalidatePath(`/pages/${page.id}`);
    return { pageId: page.id, slug: page.slug, updatedAt: page.updatedAt.toISOString() };
  });
}

/** Live check while the host types a slug: `taken` only for a well-formed slug another page of theirs uses. */
export async function checkSlugAction(slug: string, pageId: string | null): Promise<ActionResult<{ taken: boolean }>> {
  return runAction('checkSlugAction', async () => {
    const host = await requireHost();
    const parsed = slugSchema.safeParse(slug);
    if (!parsed.success) return { taken: false };
    return { taken: await isSlugTaken(host.id, parsed.data, pageId ?? undefined) };
  });
}

export async function duplicatePageAction(pageId: string): Promise<ActionResult<{ pageId: string }>> {
  return runAction('duplicatePageAction', async () => {
    const host = await requireHost();
    const t = await getTranslations('pages.editor');
    const copy = await duplicatePage(host.id, String(pageId), { titleSuffix: t('copySuffix') });
    revalidatePath('/dashboard');
    return { pageId: copy.id };
  });
}

export async function setPublishedAction(pageId: string, published: boolean): Promise<ActionResult> {
  return runAction('setPublishedAction', async () => {
    const host = await requireHost();
    await setPagePublished(host.id, String(pageId), Boolean(published));
    revalidatePath('/dashboard');
    revalidatePath(`/pages/${pageId}`);
    return null;
  });
}

export async function deletePageAction(pageId: string): Promise<ActionResult> {
  return runAction('deletePageAction', async () => {
    const host = await requireHost();
    await deletePage(host.id, String(pageId));
    revalidatePath('/dashboard');
    return null;
  });
}
