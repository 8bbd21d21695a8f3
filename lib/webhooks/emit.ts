import 'server-only';
import { type SQL, sql } from 'drizzle-orm';
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
  await tx.execute(
    insertWebhookEmitSteps(sql`from (values (${booking.id}::text, ${booking.userId}::text)) as b(id, user_id) where true`, type, sql`${now.toISOString()}::timestamptz`),
  );
}

/**
 * emitWebhookEvent as SQL, for a statement that makes the change itself (e.g. a CTE after an UPDATE …
 * RETURNING): `from` is a FROM clause naming the bookings `b` (columns id, user_id) and ending in a
 * WHERE clause; `at` a timestamptz expression.
 */
export function insertWebhookEmitSteps(from: SQL, type: WebhookEventType, at: SQL): SQL {
  // The type is one of our constants, so it can sit in the statement as a literal (prepared statements keep their parameters).
  const literal = sql.raw(`'${type.replace(/'/g, "''")}'::text`);
  return sql`
    insert into booking_steps (booking_id, kind, payload, max_attempts, run_at, created_at, updated_at)
    select b.id, 'webhook.emit',
      jsonb_build_object('type', ${literal}, 'messageId', 'msg_' || replace(gen_random_uuid()::text, '-', ''),
        'occurredAt', to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
      10, ${at}, ${at}, ${at}
    ${from}
      and exists (select 1 from webhook_subscriptions w where w.user_id = b.user_id and w.status = 'active' and w.events ? ${literal})`;
}
