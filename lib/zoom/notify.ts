import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { env } from '@/lib/env';
import { escapeHtml } from '@/lib/html';
import { isLocale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import { sendMail } from '@/lib/mail/transport';
import { markZoomRevoked } from './mutations';

/** Why a link stopped working, as stored in zoom_connections.revoked_reason. */
export type ZoomRevokeReason = 'invalid_grant' | 'app_deauthorized' | 'admin_disabled';

/** Tells the host (in their language) that their Zoom link stopped working and how to fix it. */
export async function notifyHostZoomRevoked(userId: string, reason: string): Promise<void> {
  const db = await getDb();
  const [host] = await db.select({ email: users.email, locale: users.locale }).from(users).where(eq(users.id, userId)).limit(1);
  if (!host) return;
  const t = translator(isLocale(host.locale) ? host.locale : 'en', 'zoom');
  const url = `${env().appUrl}/settings/integrations`;
  const why = t(reason === 'app_deauthorized' ? 'mail.revoked.whyDeauthorized' : 'mail.revoked.whyExpired');
  await sendMail({
    to: host.email,
    subject: t('mail.revoked.subject'),
    text: `${t('mail.revoked.intro')}\n\n${why}\n\n${t('mail.revoked.action')}\n${url}`,
    html: `<p>${escapeHtml(t('mail.revoked.intro'))}</p><p>${escapeHtml(why)}</p><p>${escapeHtml(t('mail.revoked.action'))}</p><p><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 18px;background:#0f766e;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(t('mail.revoked.button'))}</a></p>`,
    idempotencyKey: `zoom-revoked:${userId}:${reason}`,
  });
}

/**
 * Marks the link revoked and mails the host once (only when it was active). A mail failure is
 * logged, never thrown: the revocation itself is what matters and is already stored.
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
    console.error('[zoom] could not mail the host about the revoked link:', error instanceof Error ? error.message : 'unknown error');
  }
}
