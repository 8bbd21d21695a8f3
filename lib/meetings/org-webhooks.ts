import 'server-only';
import { eq } from 'drizzle-orm';
import { decryptSecret } from '@/lib/crypto';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { organisations } from '@/lib/db/schema/organisations';
import { env } from '@/lib/env';

/**
 * The secret token that signs an organisation's Zoom webhooks (its S2S app's event subscription):
 * `organisations.zoomWebhookSecretEnc`, or ZOOM_S2S_WEBHOOK_SECRET_TOKEN for the instance organisation.
 * Null when the organisation does not exist (the route's 404); `secret` null when it has none (503).
 */
export async function organisationWebhookSecret(organisationId: string, db?: DbOrTx): Promise<{ secret: string | null } | null> {
  // Not a uuid: no such organisation (and no query with a malformed id).
  if (!/^[0-9a-f-]{36}$/i.test(organisationId)) return null;
  const client = db ?? (await getDb());
  const [row] = await client
    .select({ isInstance: organisations.isInstance, secretEnc: organisations.zoomWebhookSecretEnc })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .limit(1);
  if (!row) return null;
  if (row.secretEnc) return { secret: decryptSecret(row.secretEnc) };
  return { secret: row.isInstance ? (env().zoomS2s?.webhookSecretToken ?? null) : null };
}
