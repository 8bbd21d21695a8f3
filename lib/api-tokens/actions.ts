'use server';

import { revalidatePath } from 'next/cache';
import { requireHost } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { createApiToken, revokeApiToken } from './mutations';
import { createApiTokenSchema } from './schema';

export type CreateApiTokenResult =
  | { ok: true; token: string; displayPrefix: string }
  | { ok: false; code: 'invalid_input'; fields: { name?: string } };

/** Settings → API tokens: creates a token and returns it once. */
export async function createApiTokenAction(input: { name: string }): Promise<CreateApiTokenResult> {
  const host = await requireHost();
  const parsed = createApiTokenSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: 'invalid_input', fields: { name: parsed.error.issues[0]?.message ?? 'invalid' } };
  const created = await createApiToken(host.id, parsed.data.name);
  revalidatePath('/settings/api-tokens');
  return { ok: true, token: created.token, displayPrefix: created.displayPrefix };
}

export type RevokeApiTokenResult = { ok: true } | { ok: false; code: 'not_found' };

export async function revokeApiTokenAction(tokenId: string): Promise<RevokeApiTokenResult> {
  const host = await requireHost();
  try {
    await revokeApiToken(host.id, String(tokenId));
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return { ok: false, code: 'not_found' };
    throw error;
  }
  revalidatePath('/settings/api-tokens');
  return { ok: true };
}
