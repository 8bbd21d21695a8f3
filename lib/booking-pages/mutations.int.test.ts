import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { createPage, deletePage, duplicatePage, setPagePublished, updatePage } from './mutations';
import { getNewPageDefaults, getPageForHost, getPublicPage, isSlugTaken, listPagesForHost } from './queries';
import { bookingPageInputSchema } from './schema';
import { newPageInput, toPageInput } from './utils';

async function makeHost(handle: string, timeZone = 'Asia/Tokyo') {
  const db = await getDb();
  const [host] = await db.insert(users).values({ email: `${handle}@example.com`, handle, timeZone }).returning();
  return host!;
}

const input = (slug: string) => newPageInput({ title: `Page ${slug}`, slug, timeZone: 'Asia/Tokyo', zoomLinked: false });

describe('booking page mutations', () => {
  it('new-page defaults follow the host: zone, Zoom when actively linked, a free slug', async () => {
    const host = await makeHost('defaults', 'Australia/Lord_Howe');
    const first = await getNewPageDefaults(host.id, { title: 'Meeting', slugBase: 'meeting' });
    expect(first).toMatchObject({ slug: 'meeting', title: 'Meeting', timeZone: 'Australia/Lord_Howe', location: { type: 'phone' } });
    expect(bookingPageInputSchema.parse(first)).toEqual(first);
    await createPage(host.id, first);

    const db = await getDb();
    await db.insert(zoomConnections).values({
      userId: host.id,
      zoomUserId: 'z-defaults',
      accessTokenEnc: 'x',
      refreshTokenEnc: 'x',
      accessTokenExpiresAt: new Date(),
      status: 'revoked',
    });
    expect((await getNewPageDefaults(host.id, { title: 'M', slugBase: 'meeting' })).location).toEqual({ type: 'phone' });
    await db.update(zoomConnections).set({ status: 'active' });
    const second = await getNewPageDefaults(host.id, { title: 'M', slugBase: 'meeting' });
    expect(second).toMatchObject({ slug: 'meeting-2', location: { type: 'zoom' } });
  });

  it("scopes every write by the host: another host's page id is not found", async () => {
    const owner = await makeHost('owner');
    const other = await makeHost('other');
    const page = await createPage(owner.id, input('call'));
    await expect(updatePage(other.id, page.id, input('call'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(setPagePublished(other.id, page.id, false)).rejects.toMatchObject({ code: 'not_found' });
    await expect(duplicatePage(other.id, page.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(deletePage(other.id, page.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await getPageForHost(other.id, page.id)).toBeNull();
    expect(await getPageForHost(owner.id, page.id)).toMatchObject({ slug: 'call', published: true });
  });

  it('unpublishing hides the page from its public URL; publishing shows it again', async () => {
    const host = await makeHost('pubhost');
    const page = await createPage(host.id, input('visible'));
    expect(await getPublicPage('pubhost', 'visible')).not.toBeNull();
    await setPagePublished(host.id, page.id, false);
    expect(await getPublicPage('pubhost', 'visible')).toBeNull();
    await setPagePublished(host.id, page.id, true);
    expect((await getPublicPage('PubHost', 'VISIBLE'))?.page.id).toBe(page.id);
  });

  it('duplicates under a free slug, unpublished, with every setting copied', async () => {
    const host = await makeHost('dup');
    const source = await createPage(host.id, {
      ...input('intro'),
      bufferAfterMinutes: 10,
      questions: [{ id: 'topic', label: 'Topic', type: 'text', required: true }],
    });
    const copy = await duplicatePage(host.id, source.id, { titleSuffix: '（コピー）' });
    expect(copy.id).not.toBe(source.id);
    expect(copy).toMatchObject({ slug: 'intro-copy', title: 'Page intro（コピー）', published: false, bufferAfterMinutes: 10 });
    expect(copy.questions).toEqual(source.questions);
    const again = await duplicatePage(host.id, source.id);
    expect(again.slug).toBe('intro-copy-2');
    expect(again.title).toBe('Page intro (copy)');
    expect((await listPagesForHost(host.id)).map((p) => p.slug).sort()).toEqual(['intro', 'intro-copy', 'intro-copy-2']);
  });

  it('refuses a taken slug on update; keeps a page its own slug', async () => {
    const host = await makeHost('slugs');
    const a = await createPage(host.id, input('a'));
    const b = await createPage(host.id, input('b'));
    expect(await isSlugTaken(host.id, 'a')).toBe(true);
    expect(await isSlugTaken(host.id, 'a', a.id)).toBe(false);
    await expect(updatePage(host.id, b.id, { ...toPageInput(b), slug: 'a' })).rejects.toMatchObject({
      code: 'invalid_input',
      details: { fields: { slug: 'slug_taken' } },
    });
    const renamed = await updatePage(host.id, a.id, { ...toPageInput(a), title: 'Renamed' });
    expect(renamed).toMatchObject({ slug: 'a', title: 'Renamed' });
    await deletePage(host.id, a.id);
    expect(await isSlugTaken(host.id, 'a')).toBe(false);
  });
});
