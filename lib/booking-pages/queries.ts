import { and, eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { users } from '@/lib/db/schema/hosts';

export type BookingPage = typeof bookingPages.$inferSelect;
export type PublicHost = { id: string; name: string | null; handle: string; timeZone: string; locale: 'ja' | 'en' };

/** A published page by its public URL (/{handle}/{slug}), with the host's public fields. Null when unknown or unpublished. */
export async function getPublicPage(handle: string, slug: string, db?: DbOrTx): Promise<{ page: BookingPage; host: PublicHost } | null> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select({ page: bookingPages, host: { id: users.id, name: users.name, handle: users.handle, timeZone: users.timeZone, locale: users.locale } })
    .from(bookingPages)
    .innerJoin(users, eq(users.id, bookingPages.userId))
    .where(and(eq(users.handle, handle.toLowerCase()), eq(bookingPages.slug, slug.toLowerCase()), eq(bookingPages.published, true)))
    .limit(1);
  if (!row) return null;
  return { page: row.page, host: { ...row.host, handle: row.host.handle! } };
}

/** A page owned by the host (invariant 6: another host's page is simply not found). */
export async function getPageForHost(userId: string, pageId: string, db?: DbOrTx): Promise<BookingPage | null> {
  const client = db ?? (await getDb());
  const [page] = await client
    .select()
    .from(bookingPages)
    .where(and(eq(bookingPages.userId, userId), eq(bookingPages.id, pageId)))
    .limit(1);
  return page ?? null;
}
