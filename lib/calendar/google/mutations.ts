import 'server-only';
import { and, eq, isNotNull } from 'drizzle-orm';
import { invalidateBusyCache } from '@/lib/calendar/busy-cache';
import { processCache } from '@/lib/cache';
import { encryptSecret } from '@/lib/crypto';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { googleConnections } from '@/lib/db/schema/integrations';
import { env } from '@/lib/env';
import { isLocale } from '@/lib/i18n/config';
import { enqueueMail, sendQueuedMail } from '@/lib/mail/outbox';
import { renderGoogleRevokedMail } from '@/lib/mail/templates/integration-revoked';
import { getGoogleConnection } from './queries';

export type GoogleTokenUpdate = { accessToken: string; expiresAt: Date | null; refreshToken?: string | null };

export type GoogleCalendarChoice = { busyCalendarIds: string[]; targetCalendarId: string | null; allDayEventsBusy: boolean };

/**
 * Stores a new link (or a reconnect). Choices survive a reconnect to the same Google account when the
 * calendars still exist; otherwise the primary calendar is busy and receives bookings.
 */
export async function upsertGoogleConnection(
  userId: string,
  input: {
    email: string;
    accessToken: string;
    refreshToken: string;
    expiresAt: Date | null;
    scopes: string[];
    calendarIds: string[];
    primaryCalendarId: string;
    writableCalendarIds: string[];
  },
): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const existing = await getGoogleConnection(userId, tx);
    const sameAccount = existing?.googleEmail === input.email;
    const keptBusy = sameAccount ? (existing?.busyCalendarIds ?? []).filter((id) => input.calendarIds.includes(id)) : [];
    const keptTarget =
      sameAccount && existing?.targetCalendarId && input.writableCalendarIds.includes(existing.targetCalendarId) ? existing.targetCalendarId : null;
    const values = {
      googleEmail: input.email,
      accessTokenEnc: encryptSecret(input.accessToken),
      refreshTokenEnc: encryptSecret(input.refreshToken),
      accessTokenExpiresAt: input.expiresAt,
      scopes: input.scopes.join(' '),
      status: 'active' as const,
      revokedReason: null,
      revokedAt: null,
      busyDegradedAt: null,
      busyDegradedReason: null,
      busyCalendarIds: keptBusy.length > 0 ? keptBusy : [input.primaryCalendarId],
      targetCalendarId: keptTarget ?? input.primaryCalendarId,
      allDayEventsBusy: sameAccount ? (existing?.allDayEventsBusy ?? true) : true,
      updatedAt: new Date(),
    };
    if (existing) await tx.update(googleConnections).set(values).where(eq(googleConnections.userId, userId));
    else await tx.insert(googleConnections).values({ userId, ...values });
  });
  invalidateBusyCache(userId);
}

/** Persists tokens the OAuth client obtained by refreshing (Google keeps the refresh token unless it sends a new one). */
export async function persistGoogleTokens(userId: string, update: GoogleTokenUpdate, db?: DbOrTx): Promise<void> {
  const handle = db ?? (await getDb());
  await handle
    .update(googleConnections)
    .set({
      accessTokenEnc: encryptSecret(update.accessToken),
      accessTokenExpiresAt: update.expiresAt,
      ...(update.refreshToken ? { refreshTokenEnc: encryptSecret(update.refreshToken) } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(googleConnections.userId, userId), eq(googleConnections.status, 'active')));
}

export async function saveGoogleCalendarChoice(userId: string, choice: GoogleCalendarChoice): Promise<boolean> {
  const db = await getDb();
  const updated = await db
    .update(googleConnections)
    .set({ ...choice, busyDegradedAt: null, busyDegradedReason: null, updatedAt: new Date() })
    .where(eq(googleConnections.userId, userId))
    .returning({ userId: googleConnections.userId });
  invalidateBusyCache(userId);
  return updated.length > 0;
}

export async function deleteGoogleConnection(userId: string): Promise<void> {
  const db = await getDb();
  await db.delete(googleConnections).where(eq(googleConnections.userId, userId));
  invalidateBusyCache(userId);
}

/**
 * Marks the link revoked (Google answered invalid_grant: the host removed access, changed their
 * password, or the refresh token expired) and mails the host once: only the transition from active
 * queues the mail, in the same transaction (the outbox sends it now and retries a failed send), so
 * concurrent failures do not mail twice and a failed send is not lost.
 */
export async function markGoogleRevoked(userId: string, reason: string): Promise<boolean> {
  const db = await getDb();
  const now = new Date();
  const outcome = await db.transaction(async (tx) => {
    const changed = await tx
      .update(googleConnections)
      .set({ status: 'revoked', revokedReason: reason, revokedAt: now, updatedAt: now })
      .where(and(eq(googleConnections.userId, userId), eq(googleConnections.status, 'active')))
      .returning({ email: googleConnections.googleEmail });
    if (changed.length === 0) return { changed: false, mailId: null };
    return { changed: true, mailId: await queueRevokedLinkMail(tx, userId, changed[0]?.email ?? null, now) };
  });
  invalidateBusyCache(userId);
  if (!outcome.changed) return false;
  // The card shows the revoked state too; a failed send is retried by the worker.
  if (outcome.mailId !== null) await sendQueuedMail(outcome.mailId);
  return true;
}

async function queueRevokedLinkMail(tx: DbOrTx, userId: string, googleEmail: string | null, now: Date): Promise<number | null> {
  const [host] = await tx.select({ email: users.email, name: users.name, locale: users.locale }).from(users).where(eq(users.id, userId)).limit(1);
  if (!host) return null;
  const rendered = renderGoogleRevokedMail({
    locale: isLocale(host.locale) ? host.locale : 'en',
    hostName: host.name ?? host.email,
    account: googleEmail ?? 'Google',
    settingsUrl: `${env().appUrl}/settings/integrations`,
  });
  return enqueueMail(tx, { ...rendered, kind: 'google.revoked', to: host.email, idempotencyKey: `google-revoked:${userId}:${now.toISOString()}` }, now);
}

const DEGRADED_WRITE_INTERVAL_MS = 60_000;
/** Hosts whose degraded lookup was recorded less than the interval ago. */
const degradedWrites = processCache<true>('google:degraded-writes', { max: 10_000, ttlMs: DEGRADED_WRITE_INTERVAL_MS });

/** Records that a busy lookup went without Google (throttled per host and process). */
export async function recordGoogleBusyDegraded(userId: string, reason: string): Promise<void> {
  if (degradedWrites.has(userId)) return;
  degradedWrites.set(userId, true);
  const db = await getDb();
  await db
    .update(googleConnections)
    .set({ busyDegradedAt: new Date(), busyDegradedReason: reason })
    .where(eq(googleConnections.userId, userId));
}

export async function clearGoogleBusyDegraded(userId: string): Promise<void> {
  degradedWrites.delete(userId);
  const db = await getDb();
  await db
    .update(googleConnections)
    .set({ busyDegradedAt: null, busyDegradedReason: null })
    .where(and(eq(googleConnections.userId, userId), isNotNull(googleConnections.busyDegradedAt)));
}
