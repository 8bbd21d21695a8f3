import 'server-only';
import { eq } from 'drizzle-orm';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { auth } from './config';

export type Host = typeof users.$inferSelect;

/** The signed-in host or null. Cached per request. */
export const getCurrentHost = cache(async (): Promise<Host | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const db = await getDb();
  const [host] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return host ?? null;
});

/**
 * For host pages and actions: the signed-in host with a handle. Redirects to /login when signed
 * out and to /onboarding when the profile is not finished yet.
 */
export async function requireHost(): Promise<Host & { handle: string }> {
  const host = await getCurrentHost();
  if (!host) redirect('/login');
  if (!host.handle) redirect('/onboarding');
  return host as Host & { handle: string };
}

/** Signed in, possibly without a handle yet (onboarding). */
export async function requireSignedIn(): Promise<Host> {
  const host = await getCurrentHost();
  if (!host) redirect('/login');
  return host;
}
