'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAction } from '@/lib/actions';
import { requireHost } from '@/lib/auth/session';
import { createApiToken, revokeApiToken } from './mutations';
import { createApiTokenSchema } from './schema';

/** Settings → API tokens: creates a token and returns it once (`fields.name` on a bad name). */
export async function createApiTokenAction(input: { name: string }): Promise<ActionResult<{ token: string; displayPrefix: string }>> {
  return runAction('createApiTokenAction', async () => {
    const host = await requireHost();
    const { name } = createApiTokenSchema.parse(input);
    const created = await createApiToken(host.id, name);
    revalidatePath('/settings/api-tokens');
    return { token: created.token, displayPrefix: created.displayPrefix };
  });
}

/** Settings → API tokens → Revoke (`not_found` for a token that is not the host's or already gone). */
export async function revokeApiTokenAction(tokenId: string): Promise<ActionResult> {
  return runAction('revokeApiTokenAction', async () => {
    const host = await requireHost();
    await revokeApiToken(host.id, String(tokenId));
    revalidatePath('/settings/api-tokens');
    return null;
  });
}
