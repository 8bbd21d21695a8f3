import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { AppError } from '@/lib/errors';
import type { Locale } from '@/lib/i18n/config';
import type { ProfileInput } from './schema';

const isUniqueViolation = (error: unknown) => (error as { cause?: { code?: string } })?.cause?.code === '23505';

/** Saves the host's profile; a handle another host has is a field error, not a 500. */
export async function updateProfile(userId: string, input: ProfileInput): Promise<void> {
  const db = await getDb();
  try {
    await db.update(users).set(input).where(eq(users.id, userId));
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('invalid_input', 'Handle taken', { fields: { handle: 'handle_taken' } });
    throw error;
  }
}

/** Saves only the host's interface language (the language switcher, for a signed-in host). */
export async function updateHostLocale(userId: string, locale: Locale): Promise<void> {
  const db = await getDb();
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
