import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import type { WebhookEventType } from './events';

/**
 * Records that `type` happened to a booking, inside the transaction that makes it happen: one
 * statement that inserts a `webhook.emit` step only when the host has an active subscription to that
 * event (nothing otherwise, so a host without webhooks pays one indexed lookup). The worker's step then
 * builds the payload and fans it out to the subscriptions (lib/webhooks/emit-step.ts); nothing is sent
 * inside the request. The step's payload carries the `messageId` (the `webhook-id` header) so every
 * subscription, retry and redelivery of this event shares it.
 */
export async function emitWebhookEvent(tx: DbOrTx, booking: { id: string; userId: string }, type: WebhookEventType, now: Date): Promise<void> {
  const at = now.toISOString();
  await tx.execute(sql`
    insert into booking_steps (booking_id, kind, payload, max_attempts, run_at, created_at, updated_at)
    select ${booking.id}, 'webhook.emit',
      jsonb_build_object('type', ${type}::text, 'messageId', 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'occurredAt', ${at}::text),
      10, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
    where exists (
      select 1 from webhook_subscriptions
      where user_id = ${booking.userId} and status = 'active' and events ? ${type}::text
    )`);
}
