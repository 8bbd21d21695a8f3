import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { ApiBooking } from '@/lib/bookings/service';
import type { DbOrTx } from '@/lib/db/client';
import type { BookingMeetingDetail } from '@/lib/meetings/types';
import { webhookDeliveries, webhookSubscriptions } from '@/lib/db/schema/webhooks';
import { AppError } from '@/lib/errors';
import { kickWebhookDeliveries } from './deliver';
import { TEST_EVENT_TYPE } from './events';

/**
 * Host-triggered deliveries (owner: the delivery engine). Both check that the subscription/delivery
 * belongs to `userId` (AppError not_found otherwise) and return the new delivery's id; the worker
 * sends it right away (kick) with the usual signing, retries and log.
 */

const newMessageId = () => `msg_${crypto.randomUUID().replaceAll('-', '')}`;

/** The v1 booking object (GET /api/v1/bookings/{uid}'s `booking`). */
export type WebhookBooking = Omit<ApiBooking, 'meeting'> & {
  meeting: (NonNullable<BookingMeetingDetail['meeting']> & { reason: string | null; needsReconnect: boolean }) | null;
  attendance: BookingMeetingDetail['attendance'];
  recordings: BookingMeetingDetail['recordings'];
};

/**
 * A v1 booking object with values that cannot be mistaken for a real booking (a `test_` uid,
 * example.com addresses, a title saying so), so a receiver can be built and checked against it.
 */
export function sampleBooking(now: Date): WebhookBooking {
  const start = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000 + 24 * 3_600_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  return {
    uid: 'test_00000000000000000000',
    title: 'Test event from Aki (not a real booking)',
    status: 'confirmed',
    start: start.toISOString(),
    end: end.toISOString(),
    guestName: 'Test Guest',
    guestEmail: 'guest@example.com',
    guestTimeZone: 'UTC',
    guestLocale: 'en',
    answers: [],
    location: { type: 'zoom' },
    page: { id: '00000000-0000-0000-0000-000000000000', slug: 'test' },
    team: null,
    cancelReason: null,
    cancelledBy: null,
    createdAt: now.toISOString(),
    meeting: {
      provider: 'zoom',
      id: '0000000000',
      joinUrl: 'https://zoom.example.com/j/0000000000',
      status: 'created',
      startedAt: null,
      endedAt: null,
      reason: null,
      needsReconnect: false,
    },
    calendar: { status: 'none', reason: null },
    mails: { guest: 'sent', host: 'sent' },
    cancellation: null,
    reminders: [],
    steps: [],
    attendance: { status: 'unknown', reason: null, guest: null, participants: [], override: null },
    recordings: [],
  } satisfies WebhookBooking;
}

/** "Send test event": a `webhook.test` delivery to this subscription with a sample booking object. */
export async function queueTestEvent(db: DbOrTx, userId: string, subscriptionId: string, now: Date): Promise<number> {
  const [subscription] = await db
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.id, subscriptionId), eq(webhookSubscriptions.userId, userId)))
    .limit(1);
  if (!subscription) throw new AppError('not_found', 'Webhook not found');
  const [row] = await db
    .insert(webhookDeliveries)
    .values({
      subscriptionId,
      messageId: newMessageId(),
      eventType: TEST_EVENT_TYPE,
      payload: { type: TEST_EVENT_TYPE, timestamp: now.toISOString(), data: sampleBooking(now) },
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: webhookDeliveries.id });
  kickWebhookDeliveries();
  return row!.id;
}

/** "Redeliver": a new delivery of the same event (same messageId and payload), `redeliveryOf` set. */
export async function redeliver(db: DbOrTx, userId: string, deliveryId: number, now: Date): Promise<number> {
  if (!Number.isSafeInteger(deliveryId)) throw new AppError('not_found', 'Delivery not found');
  const [original] = await db
    .select({ delivery: webhookDeliveries })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookSubscriptions.userId, userId)))
    .limit(1);
  if (!original) throw new AppError('not_found', 'Delivery not found');
  const d = original.delivery;
  const [row] = await db
    .insert(webhookDeliveries)
    .values({
      subscriptionId: d.subscriptionId,
      messageId: d.messageId,
      eventType: d.eventType,
      bookingId: d.bookingId,
      payload: d.payload,
      redeliveryOf: d.id,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: webhookDeliveries.id });
  kickWebhookDeliveries();
  return row!.id;
}
