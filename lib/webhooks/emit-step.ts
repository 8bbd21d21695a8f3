import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { StepHandler } from '@/lib/bookings/effects/context';
import type { BookingRow } from '@/lib/bookings/types';
import type { Db } from '@/lib/db/client';
import { webhookDeliveries, webhookSubscriptions } from '@/lib/db/schema/webhooks';
import { kickWebhookDeliveries } from './deliver';
import { isWebhookEventType, type WebhookEventType } from './events';

/** Builds an event's `data` (the v1 booking object; lib/bookings/webhook-data.ts, passed in by the worker). */
export type WebhookDataBuilder = (db: Db, booking: BookingRow, type: WebhookEventType) => Promise<Record<string, unknown>>;

/**
 * The `webhook.emit` step (inserted by emitWebhookEvent in the transaction of the change): builds
 * the payload once and inserts one delivery per active subscription of the host to that event, then
 * asks the worker loop to send them. The step's messageId makes a re-run a no-op (unique
 * subscription + messageId), so a step retried after a crash never sends an event twice.
 */
export function webhookEmitStep(buildData: WebhookDataBuilder): StepHandler {
  return {
    async run({ db, step, booking, now }) {
      const { type, messageId, occurredAt } = step.payload as { type?: string; messageId?: string; occurredAt?: string };
      if (!type || !isWebhookEventType(type) || !messageId || !occurredAt) return { type: 'fail', error: 'webhook.emit step without type, messageId or occurredAt' };
      const subscriptions = await db
        .select({ id: webhookSubscriptions.id })
        .from(webhookSubscriptions)
        .where(and(eq(webhookSubscriptions.userId, booking.userId), eq(webhookSubscriptions.status, 'active'), sql`${webhookSubscriptions.events} ? ${type}`));
      if (subscriptions.length === 0) return { type: 'skipped', reason: 'no active subscription to this event' };
      const payload = { type, timestamp: occurredAt, data: await buildData(db, booking, type) };
      const inserted = await db
        .insert(webhookDeliveries)
        .values(subscriptions.map((s) => ({ subscriptionId: s.id, messageId, eventType: type, bookingId: booking.id, payload, nextAttemptAt: now, createdAt: now, updatedAt: now })))
        .onConflictDoNothing({ target: [webhookDeliveries.subscriptionId, webhookDeliveries.messageId], where: sql`redelivery_of is null` })
        .returning({ id: webhookDeliveries.id });
      kickWebhookDeliveries();
      return { type: 'done', payload: { deliveries: inserted.length } };
    },
  };
}
