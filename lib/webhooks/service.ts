import 'server-only';
import type { ZodError } from 'zod';
import { getDb } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/http';
import { queueTestEvent, redeliver } from './deliveries';
import { createWebhookSubscription, deleteWebhookSubscription, rollWebhookSecret, updateWebhookSubscription } from './mutations';
import { findHostDelivery, getWebhookSubscription, listWebhookDeliveries, listWebhookSubscriptions, type WebhookDeliveryLogItem, type WebhookSummary } from './queries';
import { createWebhookSchema, DELIVERY_PAGE_MAX, DELIVERY_PAGE_SIZE, updateWebhookSchema } from './schema';

/**
 * Webhook subscriptions for the host API v1 and the settings pages (docs/api.md "Webhooks"): bodies
 * in, JSON-ready objects out, every read and write scoped by the caller's host id.
 */

export type ApiWebhook = {
  id: string;
  url: string;
  events: string[];
  description: string;
  status: 'active' | 'disabled';
  disabledReason: 'failing' | 'host' | null;
  createdAt: string;
};

export type ApiWebhookDelivery = {
  id: number;
  messageId: string;
  eventType: string;
  status: WebhookDeliveryLogItem['status'];
  attempts: number;
  maxAttempts: number;
  responseStatus: number | null;
  responseBody: string | null;
  lastError: string | null;
  durationMs: number | null;
  redeliveryOf: number | null;
  createdAt: string;
  lastAttemptAt: string | null;
  /** When the next attempt is due; null once the delivery is finished. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  payload: Record<string, unknown>;
};

export const toApiWebhook = (s: WebhookSummary): ApiWebhook => ({
  id: s.id,
  url: s.url,
  events: s.events,
  description: s.description,
  status: s.status,
  disabledReason: s.disabledReason,
  createdAt: s.createdAt.toISOString(),
});

export const toApiDelivery = (d: WebhookDeliveryLogItem): ApiWebhookDelivery => ({
  id: d.id,
  messageId: d.messageId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  maxAttempts: d.maxAttempts,
  responseStatus: d.responseStatus,
  responseBody: d.responseBody,
  lastError: d.lastError,
  durationMs: d.durationMs,
  redeliveryOf: d.redeliveryOf,
  createdAt: d.createdAt.toISOString(),
  lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
  nextAttemptAt: d.status === 'pending' || d.status === 'sending' ? d.nextAttemptAt.toISOString() : null,
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
  payload: d.payload,
});

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('invalid_input', 'Body must be a JSON object', { fields: { _: 'expected_object' } });
  }
  return body as Record<string, unknown>;
}

/** A 422 whose message names the unknown event types, so an API client sees what it sent wrong. */
function invalidWebhookInput(error: ZodError, body: Record<string, unknown>): AppError {
  const fields = fieldErrors(error);
  const unknown = Object.entries(fields)
    .filter(([key, code]) => code === 'unknown_event' && /^events\.\d+$/.test(key))
    .map(([key]) => (body.events as unknown[])[Number(key.split('.')[1])])
    .map((value) => JSON.stringify(value));
  const message = unknown.length > 0 ? `Unknown event type ${unknown.join(', ')}` : 'Invalid input';
  return new AppError('invalid_input', message, { fields });
}

export function parseCreateWebhook(body: unknown) {
  const object = asObject(body);
  const parsed = createWebhookSchema(env().webhooks.allowPrivate).safeParse(object);
  if (!parsed.success) throw invalidWebhookInput(parsed.error, object);
  return parsed.data;
}

export function parseUpdateWebhook(body: unknown) {
  const object = asObject(body);
  const parsed = updateWebhookSchema(env().webhooks.allowPrivate).safeParse(object);
  if (!parsed.success) throw invalidWebhookInput(parsed.error, object);
  return parsed.data;
}

async function requireWebhook(userId: string, id: string): Promise<WebhookSummary> {
  const found = await getWebhookSubscription(userId, id);
  if (!found) throw new AppError('not_found', `Webhook ${id} not found`);
  return found;
}

export async function apiListWebhooks(userId: string): Promise<{ webhooks: ApiWebhook[] }> {
  return { webhooks: (await listWebhookSubscriptions(userId)).map(toApiWebhook) };
}

export async function apiGetWebhook(userId: string, id: string): Promise<ApiWebhook> {
  return toApiWebhook(await requireWebhook(userId, id));
}

/** The only answer besides roll that carries the secret. */
export async function apiCreateWebhook(userId: string, body: unknown): Promise<ApiWebhook & { secret: string }> {
  const created = await createWebhookSubscription(userId, parseCreateWebhook(body));
  return { ...toApiWebhook(created.subscription), secret: created.secret };
}

export async function apiUpdateWebhook(userId: string, id: string, body: unknown): Promise<ApiWebhook> {
  // 404 before 422: another host's id is unknown, whatever the body says.
  await requireWebhook(userId, id);
  return toApiWebhook(await updateWebhookSubscription(userId, id, parseUpdateWebhook(body)));
}

export async function apiDeleteWebhook(userId: string, id: string): Promise<void> {
  await deleteWebhookSubscription(userId, id);
}

export async function apiRollWebhookSecret(userId: string, id: string): Promise<{ secret: string }> {
  return rollWebhookSecret(userId, id);
}

/** Reads `limit` (1–100) and `before` (a delivery id) of the deliveries endpoint; 400 for anything else. */
export function deliveryPaging(params: URLSearchParams): { before?: number; limit: number } {
  const fields: Record<string, string> = {};
  const limitRaw = params.get('limit');
  const beforeRaw = params.get('before');
  const limit = limitRaw === null ? DELIVERY_PAGE_SIZE : Number(limitRaw);
  if (limitRaw !== null && (!/^\d+$/.test(limitRaw) || limit < 1 || limit > DELIVERY_PAGE_MAX)) fields.limit = 'invalid_limit';
  const before = beforeRaw === null ? undefined : Number(beforeRaw);
  if (beforeRaw !== null && (!/^\d{1,15}$/.test(beforeRaw) || before! < 1)) fields.before = 'invalid_cursor';
  if (Object.keys(fields).length > 0) throw new AppError('invalid_parameter', 'Invalid query parameter', { fields });
  return before === undefined ? { limit } : { before, limit };
}

export async function apiListDeliveries(
  userId: string,
  id: string,
  paging: { before?: number; limit: number },
): Promise<{ deliveries: ApiWebhookDelivery[]; nextBefore: number | null }> {
  await requireWebhook(userId, id);
  const page = await listWebhookDeliveries(id, paging);
  return { deliveries: page.deliveries.map(toApiDelivery), nextBefore: page.nextBefore };
}

/** "Send test event": queues a `webhook.test` delivery; answers its id. */
export async function apiSendTestEvent(userId: string, id: string): Promise<{ deliveryId: number }> {
  await requireWebhook(userId, id);
  return { deliveryId: await queueTestEvent(await getDb(), userId, id, new Date()) };
}

/** A delivery id from a path segment, or null when it cannot be one (the route answers 404). */
export function deliveryIdFrom(segment: string): number | null {
  if (!/^\d{1,15}$/.test(segment)) return null;
  const id = Number(segment);
  return id >= 1 ? id : null;
}

/** "Redeliver": the same event again (same webhook-id and payload) as a new delivery. */
export async function apiRedeliver(userId: string, subscriptionId: string, deliveryId: number): Promise<{ deliveryId: number }> {
  if (!Number.isSafeInteger(deliveryId) || deliveryId < 1) throw new AppError('not_found', `Delivery ${deliveryId} not found`);
  const found = await findHostDelivery(userId, deliveryId);
  if (!found || found.subscriptionId !== subscriptionId) throw new AppError('not_found', `Delivery ${deliveryId} not found`);
  return { deliveryId: await redeliver(await getDb(), userId, deliveryId, new Date()) };
}
