import 'server-only';
import type { DbOrTx } from '@/lib/db/client';

/**
 * Host-triggered deliveries (owner: the delivery engine). Both check that the subscription/delivery
 * belongs to `userId` (AppError not_found otherwise) and return the new delivery's id; the worker
 * sends it right away (kick) with the usual signing, retries and log.
 */

/** "Send test event": a `webhook.test` delivery to this subscription with a sample booking object. */
export async function queueTestEvent(_db: DbOrTx, _userId: string, _subscriptionId: string, _now: Date): Promise<number> {
  throw new Error('not implemented');
}

/** "Redeliver": a new delivery of the same event (same messageId and payload), `redeliveryOf` set. */
export async function redeliver(_db: DbOrTx, _userId: string, _deliveryId: number, _now: Date): Promise<number> {
  throw new Error('not implemented');
}
