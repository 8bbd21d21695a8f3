import 'server-only';
import { and, eq, isNotNull } from 'drizzle-orm';
import { invalidateBusyCache } from '@/lib/calendar/busy-cache';
import { processCache } from '@/lib/cache';
import { encryptSecret } from '@/lib/crypto';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { googleConnections } from '@/lib/db/schema/integrations';
import { env } from '@/lib/env';
import { escapeHtml } from '@/lib/html';
import { isLocale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import { sendMail } from '@/lib/mail/transport';
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
 * sends the mail, so concurrent failures do not mail twice.
 */
export async function markGoogleRevoked(userId: string, reason: string): Promise<boolean> {
  const db = await getDb();
  const changed = await db
    .update(googleConnections)
    .set({ status: 'revoked', revokedReason: reason, revokedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(googleConnections.userId, userId), eq(googleConnections.status, 'active')))
    .returning({ email: googleConnections.googleEmail });
  invalidateBusyCache(userId);
  if (changed.length === 0) return false;
  try {
    await mailHostAboutRevokedLink(userId, changed[0]?.email ?? null);
  } catch (error) {
    // The card shows the revoked state too; a mail failure must not hide the original problem.
    console.error('[google] could not mail the host about the revoked link', error);
  }
  return true;
}

async function mailHostAboutRevokedLink(userId: string, googleEmail: string | null): Promise<void> {
  const db = await getDb();
  const [host] = await db.select({ email: users.email, name: users.name, locale: users.locale }).from(users).where(eq(users.id, userId)).limit(1);
  if (!host) return;
  const t = translator(isLocale(host.locale) ? host.locale : 'en', 'google');
  const settingsUrl = `${env().appUrl}/settings/integrations`;
  const account = googleEmail ?? 'Google';
  const lines = [t('mail.revoked.greeting', { name: host.name ?? host.email }), '', t('mail.revoked.body', { account }), '', t('mail.revoked.effects'), '', t('mail.revoked.action'), settingsUrl];
  await sendMail({
    to: host.email,
    subject: t('mail.revoked.subject'),
    text: lines.join('\n'),
    html: [
      `<p>${escapeHtml(t('mail.revoked.greeting', { name: host.name ?? host.email }))}</p>`,
      `<p>${escapeHtml(t('mail.revoked.body', { account }))}</p>`,
      `<p>${escapeHtml(t('mail.revoked.effects'))}</p>`,
      `<p><a href="${escapeHtml(settingsUrl)}">${escapeHtml(t('mail.revoked.action'))}</a></p>`,
    ].join('\n'),
    idempotencyKey: `google-revoked:${userId}`,
  });
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
