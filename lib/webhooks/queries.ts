import 'server-only';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { webhookDeliveries, webhookSubscriptions } from '@/lib/db/schema/webhooks';
import { DELIVERY_PAGE_SIZE } from './schema';

/** A subscription as the settings pages and the API show it (never the secret). */
export type WebhookSummary = {
  id: string;
  url: string;
  events: string[];
  description: string;
  status: 'active' | 'disabled';
  disabledReason: 'failing' | 'host' | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** …plus its newest delivery, for the list. */
export type WebhookListItem = WebhookSummary & {
  lastDelivery: { status: string; responseStatus: number | null; at: Date } | null;
};

const summaryColumns = {
  id: webhookSubscriptions.id,
  url: webhookSubscriptions.url,
  events: webhookSubscriptions.events,
  description: webhookSubscriptions.description,
  status: webhookSubscriptions.status,
  disabledReason: webhookSubscriptions.disabledReason,
  disabledAt: webhookSubscriptions.disabledAt,
  failingSince: webhookSubscriptions.failingSince,
  createdAt: webhookSubscriptions.createdAt,
  updatedAt: webhookSubscriptions.updatedAt,
};

/** The host's subscriptions, oldest first (the order they were added), each with its newest delivery. */
export async function listWebhookSubscriptions(userId: string, db?: DbOrTx): Promise<WebhookListItem[]> {
  const client = db ?? (await getDb());
  const rows = await client
    .select({
      ...summaryColumns,
      // Spelled out: drizzle leaves the column unqualified in a one-table select, and `id` would be d.id here.
      last: sql<{ status: string; responseStatus: number | null; at: string } | null>`(
        select json_build_object('status', d.status, 'responseStatus', d.response_status, 'at', coalesce(d.last_attempt_at, d.created_at))
        from webhook_deliveries d where d.subscription_id = webhook_subscriptions.id
        order by d.id desc limit 1)`,
    })
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.userId, userId))
    .orderBy(webhookSubscriptions.createdAt, webhookSubscriptions.id);
  return rows.map(({ last, ...row }) => ({
    ...row,
    lastDelivery: last ? { status: last.status, responseStatus: last.responseStatus, at: new Date(last.at) } : null,
  }));
}

export async function countWebhookSubscriptions(userId: string, db?: DbOrTx): Promise<number> {
  const client = db ?? (await getDb());
  const [row] = await client.select({ n: sql<number>`count(*)::int` }).from(webhookSubscriptions).where(eq(webhookSubscriptions.userId, userId));
  return Number(row?.n ?? 0);
}

/** One of the host's subscriptions, or null (another host's id included). */
export async function getWebhookSubscription(userId: string, id: string, db?: DbOrTx): Promise<WebhookSummary | null> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select(summaryColumns)
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.userId, userId), eq(webhookSubscriptions.id, id)))
    .limit(1);
  return row ?? null;
}

/** One row of the delivery log. */
export type WebhookDeliveryLogItem = {
  id: number;
  messageId: string;
  eventType: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed' | 'skipped';
  attempts: number;
  maxAttempts: number;
  responseStatus: number | null;
  responseBody: string | null;
  lastError: string | null;
  durationMs: number | null;
  payload: Record<string, unknown>;
  redeliveryOf: number | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
};

/**
 * A page of a subscription's delivery log, newest first: at most `limit` rows with ids below
 * `before` (keyset paging, stable while new deliveries arrive). `nextBefore` is the cursor of the
 * next (older) page, null on the last one. Callers check that the subscription is the host's.
 */
export async function listWebhookDeliveries(
  subscriptionId: string,
  options: { before?: number; limit?: number } = {},
  db?: DbOrTx,
): Promise<{ deliveries: WebhookDeliveryLogItem[]; nextBefore: number | null }> {
  const client = db ?? (await getDb());
  const limit = options.limit ?? DELIVERY_PAGE_SIZE;
  const rows = await client
    .select({
      id: webhookDeliveries.id,
      messageId: webhookDeliveries.messageId,
      eventType: webhookDeliveries.eventType,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      maxAttempts: webhookDeliveries.maxAttempts,
      responseStatus: webhookDeliveries.responseStatus,
      responseBody: webhookDeliveries.responseBody,
      lastError: webhookDeliveries.lastError,
      durationMs: webhookDeliveries.durationMs,
      payload: webhookDeliveries.payload,
      redeliveryOf: webhookDeliveries.redeliveryOf,
      createdAt: webhookDeliveries.createdAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .where(
      options.before === undefined
        ? eq(webhookDeliveries.subscriptionId, subscriptionId)
        : and(eq(webhookDeliveries.subscriptionId, subscriptionId), lt(webhookDeliveries.id, options.before)),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { deliveries: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** The subscription a delivery belongs to when both are the host's, or null. */
export async function findHostDelivery(userId: string, deliveryId: number, db?: DbOrTx): Promise<{ subscriptionId: string } | null> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select({ subscriptionId: webhookDeliveries.subscriptionId })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookSubscriptions.userId, userId)))
    .limit(1);
  return row ?? null;
}
