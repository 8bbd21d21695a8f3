import 'server-only';
import { and, asc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { decryptSecret } from '@/lib/crypto';
import { type Db, type DbOrTx, getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { webhookDeliveries, webhookSubscriptions } from '@/lib/db/schema/webhooks';
import { env } from '@/lib/env';
import { isLocale } from '@/lib/i18n/config';
import { defaultLog, type LogLevel, type LogSink } from '@/lib/log';
import { enqueueMail, sendQueuedMail } from '@/lib/mail/outbox';
import { renderWebhookDisabledMail } from '@/lib/mail/templates/webhook-disabled';
import { processSingleton } from '@/lib/process-singletons';
import { postWebhook } from './http';

/**
 * The delivery queue (webhook_deliveries, README "Outgoing webhooks"). Rows are claimed like
 * mail_outbox rows (FOR UPDATE SKIP LOCKED, status sending, attempts + 1, a lease), posted, and the
 * result recorded guarded by the claim, so a sender whose lease ran out records nothing over a newer
 * claim. At-least-once: a sender that dies after the receiver answered sends again after the lease;
 * receivers dedupe by the `webhook-id` header.
 */

/** Longer than one attempt can take (10 s timeout); a sender that died is replaced after it. */
const LEASE_MS = 60_000;

/** The wait after failed attempt n (index n − 1): about 32 hours in all over 12 attempts. */
export const RETRY_SCHEDULE_MS = [
  5_000,
  30_000,
  2 * 60_000,
  10 * 60_000,
  30 * 60_000,
  60 * 60_000,
  2 * 3_600_000,
  4 * 3_600_000,
  8 * 3_600_000,
  8 * 3_600_000,
  8 * 3_600_000,
] as const;

/** The wait before the next attempt after failed attempt `attempt` (1-based), ±10 % so retries of many deliveries spread out. */
export function webhookRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = RETRY_SCHEDULE_MS[Math.min(Math.max(attempt, 1), RETRY_SCHEDULE_MS.length) - 1]!;
  return Math.round(base * (0.9 + random() * 0.2));
}

/** A subscription whose deliveries have failed this long without one success is switched off. */
export const DISABLE_AFTER_MS = 3 * 24 * 3_600_000;

export const WEBHOOK_USER_AGENT = 'Aki-Webhooks/1.0';

type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;

/** The body as sent: `type`, `timestamp`, `data` in that order (jsonb does not keep key order). */
export function webhookBody(payload: Record<string, unknown>): string {
  const { type, timestamp, data, ...rest } = payload;
  return JSON.stringify({ type, timestamp, data, ...rest });
}

// ── The kick: the worker loop sends right after a fan-out instead of at its next poll ────────────

type DeliveryState = { due: boolean; wake: (() => void) | null };
const state = () => processSingleton<DeliveryState>('webhooks:delivery', () => ({ due: false, wake: null }));

/** Asks this process's worker loop for a delivery pass now (no-op without a loop: the poll picks them up). */
export function kickWebhookDeliveries(): void {
  const s = state();
  s.due = true;
  s.wake?.();
}

/** For the worker loop: whether a kick is pending (and clears it), and where a kick wakes it. */
export function takeWebhookKick(): boolean {
  const s = state();
  const due = s.due;
  s.due = false;
  return due;
}
export function onWebhookKick(wake: (() => void) | null): void {
  state().wake = wake;
}

// ── Claim, attempt, record ───────────────────────────────────────────────────────────────────────

export type DeliverOptions = {
  now?: Date;
  limit?: number;
  log?: LogSink;
  /** Per-attempt timeout (default 10 s; tests shorten it). */
  timeoutMs?: number;
};

/** Claims the due deliveries (pending and due, or sending with an expired lease) and attempts them. Returns how many were claimed. */
export async function deliverDueWebhooks(options: DeliverOptions = {}): Promise<number> {
  const db = await getDb();
  const now = options.now ?? new Date();
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      or(
        and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)),
        and(eq(webhookDeliveries.status, 'sending'), lt(webhookDeliveries.lockedUntil, now)),
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
    .limit(options.limit ?? 50)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(webhookDeliveries)
    .set({
      status: 'sending',
      lockedUntil: new Date(now.getTime() + LEASE_MS),
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      updatedAt: now,
    })
    .where(inArray(webhookDeliveries.id, due))
    .returning();
  if (claimed.length === 0) return 0;
  // One read of the subscriptions for the whole batch (their URL, secret and status as of now).
  const subscriptionIds = [...new Set(claimed.map((row) => row.subscriptionId))];
  const subscriptions = new Map(
    (await db.select().from(webhookSubscriptions).where(inArray(webhookSubscriptions.id, subscriptionIds))).map((s) => [s.id, s]),
  );
  await Promise.all(claimed.map((row) => attempt(db, row, subscriptions.get(row.subscriptionId) ?? null, options)));
  return claimed.length;
}

/** Runs delivery passes until nothing is due at `now` (tests and scripts). */
export async function drainWebhooks(options: DeliverOptions & { maxRounds?: number } = {}): Promise<number> {
  let total = 0;
  for (let round = 0; round < (options.maxRounds ?? 100); round++) {
    const n = await deliverDueWebhooks(options);
    total += n;
    if (n === 0) break;
  }
  return total;
}

type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

async function attempt(db: Db, row: DeliveryRow, subscription: SubscriptionRow | null, options: DeliverOptions): Promise<void> {
  const log = options.log ?? defaultLog;
  const claim = and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.status, 'sending'), eq(webhookDeliveries.attempts, row.attempts));
  const line = {
    msg: 'webhook',
    deliveryId: row.id,
    subscriptionId: row.subscriptionId,
    messageId: row.messageId,
    type: row.eventType,
    attempt: row.attempts,
  };
  try {
    if (subscription?.status !== 'active') {
      const now = options.now ?? new Date();
      const reason = subscription?.disabledReason === 'failing' ? 'subscription disabled after 3 days of failures' : 'subscription disabled';
      // Not an attempt: nothing was sent.
      await db
        .update(webhookDeliveries)
        .set({ status: 'skipped', attempts: row.attempts - 1, lockedUntil: null, lastError: reason, updatedAt: now })
        .where(claim);
      log({ level: 'info', ...line, outcome: 'skipped' satisfies AttemptOutcome, reason });
      return;
    }

    const attemptAt = options.now ?? new Date();
    const body = webhookBody(row.payload);
    const signature = new Webhook(decryptSecret(subscription.secretEnc)).sign(row.messageId, attemptAt, body);
    const result = await postWebhook({
      url: subscription.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        'webhook-id': row.messageId,
        'webhook-timestamp': String(Math.floor(attemptAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      allowPrivate: env().webhooks.allowPrivate,
      timeoutMs: options.timeoutMs,
    });
    // With a fixed clock (tests) the attempt ends when it began.
    const now = options.now ?? new Date();
    const recorded = { lastAttemptAt: attemptAt, responseStatus: result.status, responseBody: result.body, durationMs: result.durationMs, lockedUntil: null, updatedAt: now };

    if (result.error === null) {
      await db
        .update(webhookDeliveries)
        .set({ ...recorded, status: 'delivered', lastError: null, deliveredAt: now })
        .where(claim);
      // Any success ends a failing streak (as read with the batch; one another sender began meanwhile ends with the next success).
      if (subscription.failingSince) {
        await db
          .update(webhookSubscriptions)
          .set({ failingSince: null, updatedAt: now })
          .where(and(eq(webhookSubscriptions.id, subscription.id), sql`${webhookSubscriptions.failingSince} is not null`));
      }
      log({ level: 'info', ...line, outcome: 'delivered' satisfies AttemptOutcome, status: result.status, durationMs: result.durationMs });
      return;
    }

    const final = row.attempts >= row.maxAttempts;
    const nextAttemptAt = new Date(now.getTime() + webhookRetryDelayMs(row.attempts));
    const disabled = await db.transaction(async (tx) => {
      const updated = await tx
        .update(webhookDeliveries)
        .set(final ? { ...recorded, status: 'failed', lastError: result.error } : { ...recorded, status: 'pending', nextAttemptAt, lastError: result.error })
        .where(claim)
        .returning({ id: webhookDeliveries.id });
      if (updated.length === 0) return null;
      const switchedOff = await recordFailure(tx, subscription.id, result.error ?? 'failed', now);
      // The attempt that switched the subscription off is its last: failed, not skipped with the waiting ones.
      if (switchedOff) await tx.update(webhookDeliveries).set({ status: 'failed' }).where(eq(webhookDeliveries.id, row.id));
      return switchedOff;
    });
    const outcome: AttemptOutcome = final || disabled ? 'failed' : 'retry';
    const level: LogLevel = outcome === 'failed' ? 'error' : 'warn';
    log({
      level,
      ...line,
      outcome,
      status: result.status,
      error: result.error,
      durationMs: result.durationMs,
      ...(outcome === 'retry' ? { nextRetryAt: nextAttemptAt.toISOString() } : {}),
      ...(disabled ? { subscriptionDisabled: true } : {}),
    });
    if (disabled?.mailId) await sendQueuedMail(disabled.mailId, { log }).catch(() => undefined);
  } catch (error) {
    // The row stays `sending` until its lease ends; then a pass claims it again.
    log({ level: 'error', ...line, msg: 'webhook attempt not recorded', error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * After a failed attempt: marks the subscription failing (from now, unless it already is), and when
 * it has been failing for DISABLE_AFTER_MS switches it off, skips its waiting deliveries and queues
 * the host's mail (sent after commit). Returns that mail's outbox id when it disabled the subscription.
 */
async function recordFailure(tx: DbOrTx, subscriptionId: string, lastError: string, now: Date): Promise<{ mailId: number | null } | null> {
  const [marked] = await tx
    .update(webhookSubscriptions)
    .set({ failingSince: sql`coalesce(${webhookSubscriptions.failingSince}, ${now.toISOString()}::timestamptz)` })
    .where(eq(webhookSubscriptions.id, subscriptionId))
    .returning({ failingSince: webhookSubscriptions.failingSince });
  const since = marked?.failingSince;
  if (!since || now.getTime() - since.getTime() < DISABLE_AFTER_MS) return null;
  const [disabled] = await tx
    .update(webhookSubscriptions)
    .set({ status: 'disabled', disabledReason: 'failing', disabledAt: now, updatedAt: now })
    .where(and(eq(webhookSubscriptions.id, subscriptionId), eq(webhookSubscriptions.status, 'active')))
    .returning();
  if (!disabled) return null;
  await tx
    .update(webhookDeliveries)
    .set({ status: 'skipped', lastError: 'subscription disabled after 3 days of failures', updatedAt: now })
    .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.status, 'pending')));
  const [host] = await tx
    .select({ email: users.email, locale: users.locale, timeZone: users.timeZone, hour12: users.hour12 })
    .from(users)
    .where(eq(users.id, disabled.userId))
    .limit(1);
  if (!host) return { mailId: null };
  const mail = renderWebhookDisabledMail({
    locale: isLocale(host.locale) ? host.locale : 'en',
    timeZone: host.timeZone,
    hour12: host.hour12,
    url: disabled.url,
    failingSince: since,
    lastError,
    settingsUrl: `${env().appUrl}/settings/webhooks/${disabled.id}`,
  });
  const mailId = await enqueueMail(
    tx,
    { ...mail, kind: 'webhook.disabled', to: host.email, idempotencyKey: `webhook-disabled:${disabled.id}:${now.toISOString()}` },
    now,
  );
  return { mailId };
}
