import 'server-only';
import { eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { env } from '@/lib/env';
import { isLocale } from '@/lib/i18n/config';
import { enqueueMail, sendQueuedMail } from '@/lib/mail/outbox';
import { renderZoomRevokedMail } from '@/lib/mail/templates/integration-revoked';
import { markZoomRevoked } from './mutations';

/** Why a link stopped working, as stored in zoom_connections.revoked_reason. */
export type ZoomRevokeReason = 'invalid_grant' | 'app_deauthorized' | 'admin_disabled';

/**
 * Queues the host's "your Zoom link stopped working" mail (in their language) in the transaction that
 * marked the link revoked, so the revocation and its notice commit together. One mail per revocation
 * (the key carries its time). Returns the outbox id to send after commit (sendRevokedNotice).
 */
export async function queueZoomRevokedMail(tx: DbOrTx, userId: string, reason: string, revokedAt: Date): Promise<number | null> {
  const [host] = await tx.select({ email: users.email, locale: users.locale }).from(users).where(eq(users.id, userId)).limit(1);
  if (!host) return null;
  const rendered = renderZoomRevokedMail({ locale: isLocale(host.locale) ? host.locale : 'en', reason, settingsUrl: `${env().appUrl}/settings/integrations` });
  return enqueueMail(tx, { ...rendered, kind: 'zoom.revoked', to: host.email, idempotencyKey: `zoom-revoked:${userId}:${reason}:${revokedAt.toISOString()}` }, revokedAt);
}

/** Marks the link revoked and queues the host's notice in one transaction; the notice row, or null when not queued. */
export async function revokeZoomLink(
  db: DbOrTx,
  userId: string,
  reason: ZoomRevokeReason,
  options: { notify?: boolean } = {},
): Promise<{ changed: boolean; noticeId: number | null }> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const changed = await markZoomRevoked(userId, reason, tx, now);
    const noticeId = changed && options.notify !== false ? await queueZoomRevokedMail(tx, userId, reason, now) : null;
    return { changed, noticeId };
  });
}

/** Sends a queued notice now (after its transaction committed). A transport failure stays queued for the worker's retry. */
export async function sendRevokedNotice(noticeId: number | null): Promise<void> {
  if (noticeId === null) return;
  try {
    await sendQueuedMail(noticeId);
  } catch (error) {
    console.error('[zoom] the mail to the host about the revoked link stays queued:', error instanceof Error ? error.message : 'unknown error');
  }
}

/** Marks the link revoked and mails the host once (only when it was active). */
export async function revokeZoomLinkAndNotify(userId: string, reason: ZoomRevokeReason, options: { notify?: boolean } = {}): Promise<boolean> {
  const { changed, noticeId } = await revokeZoomLink(await getDb(), userId, reason, options);
  await sendRevokedNotice(noticeId);
  return changed;
}
