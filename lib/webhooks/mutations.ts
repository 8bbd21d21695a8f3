import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { encryptSecret } from '@/lib/crypto';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { webhookSubscriptions } from '@/lib/db/schema/webhooks';
import { AppError } from '@/lib/errors';
import { countWebhookSubscriptions, getWebhookSubscription, type WebhookSummary } from './queries';
import { type CreateWebhookInput, MAX_WEBHOOKS_PER_HOST, type UpdateWebhookInput, WEBHOOK_SECRET_BYTES, WEBHOOK_SECRET_PREFIX } from './schema';

/** A fresh signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export const newWebhookSecret = () => `${WEBHOOK_SECRET_PREFIX}${randomBytes(WEBHOOK_SECRET_BYTES).toString('base64')}`;

const notFound = (id: string) => new AppError('not_found', `Webhook ${id} not found`);

/**
 * Adds a subscription (input already validated). The plain secret is returned this once; only its
 * encryption is stored. At most MAX_WEBHOOKS_PER_HOST per host: the host's row is locked while
 * counting, so two concurrent creates cannot both pass the limit.
 */
export async function createWebhookSubscription(
  userId: string,
  input: CreateWebhookInput,
  db?: DbOrTx,
): Promise<{ subscription: WebhookSummary; secret: string }> {
  const client = db ?? (await getDb());
  return client.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    if ((await countWebhookSubscriptions(userId, tx)) >= MAX_WEBHOOKS_PER_HOST) {
      throw new AppError('invalid_input', `At most ${MAX_WEBHOOKS_PER_HOST} webhooks per host`, { fields: { _: 'too_many_webhooks' } });
    }
    const secret = newWebhookSecret();
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({ userId, url: input.url, events: input.events, description: input.description, secretEnc: encryptSecret(secret) })
      .returning({ id: webhookSubscriptions.id });
    const subscription = await getWebhookSubscription(userId, row!.id, tx);
    return { subscription: subscription!, secret };
  });
}

/**
 * Changes the given fields. Disabling records that the host did it; enabling a disabled subscription
 * clears why it was disabled and its failure streak (a fresh 3-day window), whoever disabled it.
 */
export async function updateWebhookSubscription(userId: string, id: string, input: UpdateWebhookInput, db?: DbOrTx): Promise<WebhookSummary> {
  const client = db ?? (await getDb());
  const now = new Date();
  const changes: Partial<typeof webhookSubscriptions.$inferInsert> = { updatedAt: now };
  if (input.url !== undefined) changes.url = input.url;
  if (input.events !== undefined) changes.events = input.events;
  if (input.description !== undefined) changes.description = input.description;
  const rows = await client
    .update(webhookSubscriptions)
    .set({
      ...changes,
      ...(input.status === 'disabled'
        ? {
            status: 'disabled' as const,
            // Already disabled (e.g. for failing): keep the first reason and time.
            disabledReason: sql`coalesce(${webhookSubscriptions.disabledReason}, 'host')`,
            disabledAt: sql`coalesce(${webhookSubscriptions.disabledAt}, ${now.toISOString()}::timestamptz)`,
          }
        : input.status === 'active'
          ? {
              status: 'active' as const,
              disabledReason: sql`case when ${webhookSubscriptions.status} = 'disabled' then null else ${webhookSubscriptions.disabledReason} end`,
              disabledAt: sql`case when ${webhookSubscriptions.status} = 'disabled' then null else ${webhookSubscriptions.disabledAt} end`,
              failingSince: sql`case when ${webhookSubscriptions.status} = 'disabled' then null else ${webhookSubscriptions.failingSince} end`,
            }
          : {}),
    })
    .where(and(eq(webhookSubscriptions.userId, userId), eq(webhookSubscriptions.id, id)))
    .returning({ id: webhookSubscriptions.id });
  if (rows.length === 0) throw notFound(id);
  return (await getWebhookSubscription(userId, id, client))!;
}

/** Replaces the signing secret at once (the old one stops verifying); the new one is returned this once. */
export async function rollWebhookSecret(userId: string, id: string, db?: DbOrTx): Promise<{ secret: string }> {
  const client = db ?? (await getDb());
  const secret = newWebhookSecret();
  const rows = await client
    .update(webhookSubscriptions)
    .set({ secretEnc: encryptSecret(secret), updatedAt: new Date() })
    .where(and(eq(webhookSubscriptions.userId, userId), eq(webhookSubscriptions.id, id)))
    .returning({ id: webhookSubscriptions.id });
  if (rows.length === 0) throw notFound(id);
  return { secret };
}

/** Deletes the subscription and its delivery log (pending deliveries are never sent). */
export async function deleteWebhookSubscription(userId: string, id: string, db?: DbOrTx): Promise<void> {
  const client = db ?? (await getDb());
  const rows = await client
    .delete(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.userId, userId), eq(webhookSubscriptions.id, id)))
    .returning({ id: webhookSubscriptions.id });
  if (rows.length === 0) throw notFound(id);
}
