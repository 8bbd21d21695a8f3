import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { env } from '@/lib/env';
import { isLocale } from '@/lib/i18n/config';
import { sendMailDurably } from '@/lib/mail/outbox';
import { renderZoomRevokedMail } from '@/lib/mail/templates/integration-revoked';
import { markZoomRevoked } from './mutations';

/** Why a link stopped working, as stored in zoom_connections.revoked_reason. */
export type ZoomRevokeReason = 'invalid_grant' | 'app_deauthorized' | 'admin_disabled';

/**
 * Tells the host (in their language) that their Zoom link stopped working and how to fix it. The mail
 * goes through the outbox: written first, sent now, retried by the worker when the transport fails.
 * One mail per revocation (the key carries its time), however often this is called for it.
 */
export async function notifyHostZoomRevoked(userId: string, reason: string): Promise<void> {
  const db = await getDb();
  const [host] = await db.select({ email: users.email, locale: users.locale }).from(users).where(eq(users.id, userId)).limit(1);
  if (!host) return;
  const [link] = await db.select({ revokedAt: zoomConnections.revokedAt }).from(zoomConnections).where(eq(zoomConnections.userId, userId)).limit(1);
  const at = (link?.revokedAt ?? new Date()).toISOString();
  const rendered = renderZoomRevokedMail({ locale: isLocale(host.locale) ? host.locale : 'en', reason, settingsUrl: `${env().appUrl}/settings/integrations` });
  await sendMailDurably({ ...rendered, kind: 'zoom.revoked', to: host.email, idempotencyKey: `zoom-revoked:${userId}:${reason}:${at}` });
}

/**
 * Marks the link revoked and mails the host once (only when it was active). A failure to queue the
 * mail is logged, never thrown: the revocation itself is what matters and is already stored.
 */
export async function revokeZoomLinkAndNotify(userId: string, reason: ZoomRevokeReason, options: { notify?: boolean } = {}): Promise<boolean> {
  const changed = await markZoomRevoked(userId, reason);
  if (changed && options.notify !== false) await notifyRevokedSafely(userId, reason);
  return changed;
}

export async function notifyRevokedSafely(userId: string, reason: string): Promise<void> {
  try {
    await notifyHostZoomRevoked(userId, reason);
  } catch (error) {
    console.error('[zoom] could not queue the mail to the host about the revoked link:', error instanceof Error ? error.message : 'unknown error');
  }
}
