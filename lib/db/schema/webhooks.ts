import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { bookings } from './bookings';
import { users } from './hosts';

/**
 * A host's outgoing webhook (lib/webhooks): Aki POSTs the chosen events to `url`, signed per the
 * Standard Webhooks specification with the subscription's secret (`whsec_<base64>`, stored encrypted
 * and shown to the host once). A subscription whose deliveries keep failing for 3 days is disabled
 * (`failingSince` is set by the first failed attempt after a success, cleared by any success).
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text().notNull(),
    /** Event types (lib/webhooks/events.ts WEBHOOK_EVENT_TYPES). */
    events: jsonb().$type<string[]>().notNull(),
    description: text().notNull().default(''),
    /** encryptSecret('whsec_…'). */
    secretEnc: text().notNull(),
    status: text({ enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    /** Why it is disabled: `failing` (3 days of failures) or `host` (switched off by the host). */
    disabledReason: text({ enum: ['failing', 'host'] }),
    disabledAt: timestamp({ withTimezone: true }),
    failingSince: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_subscriptions_user_idx').on(t.userId)],
);

/**
 * One event sent (or to be sent) to one subscription: the delivery log and the delivery queue at once
 * (claimed with FOR UPDATE SKIP LOCKED by any worker, like mail_outbox). `messageId` is the
 * `webhook-id` header: the same for every attempt and for a redelivery, so receivers can dedupe.
 * `payload` is the body exactly as sent ({type, timestamp, data}).
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    subscriptionId: text()
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    messageId: text().notNull(),
    eventType: text().notNull(),
    bookingId: text().references(() => bookings.id, { onDelete: 'set null' }),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text({ enum: ['pending', 'sending', 'delivered', 'failed', 'skipped'] })
      .notNull()
      .default('pending'),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(12),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp({ withTimezone: true }),
    lastAttemptAt: timestamp({ withTimezone: true }),
    /** HTTP status of the last attempt (null: no answer — refused, timed out, unreachable). */
    responseStatus: integer(),
    /** The first bytes of the last answer's body (capped), for the log. */
    responseBody: text(),
    lastError: text(),
    durationMs: integer(),
    /** Set on a row made by "Redeliver": the delivery it repeats (same messageId and payload). */
    redeliveryOf: bigint({ mode: 'number' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.id),
    uniqueIndex('webhook_deliveries_message_unique')
      .on(t.subscriptionId, t.messageId)
      .where(sql`${t.redeliveryOf} is null`),
  ],
);
