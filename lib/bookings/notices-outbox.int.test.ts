import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { googleConnections, zoomConnections } from '@/lib/db/schema/integrations';
import { mailOutbox } from '@/lib/db/schema/mail';
import { env } from '@/lib/env';
import { markGoogleRevoked } from '@/lib/calendar/google/mutations';
import { sendDueMails, sendMailDurably } from '@/lib/mail/outbox';
import { flakySmtpForThisFile, outboxRowsFor as rowsFor } from '@/lib/testing/smtp';
import { revokeZoomLink, revokeZoomLinkAndNotify, sendRevokedNotice } from '@/lib/zoom/notify';
import { startWorker } from './effects/worker';

/**
 * The hosts' "reconnect" notices go through the mail outbox, and the worker loop retries it: an SMTP
 * failure (a real SMTP server refusing mail) delays a notice, never loses it, and the text is unchanged.
 */

const smtp = flakySmtpForThisFile();
const quiet = () => {};
const later = (ms: number) => new Date(Date.now() + ms);

let counter = 0;
async function makeUser(locale: 'en' | 'ja' = 'en') {
  counter++;
  const db = await getDb();
  const [user] = await db
    .insert(users)
    .values({ email: `notice-${counter}-${Math.random().toString(36).slice(2, 6)}@example.com`, name: `Host ${counter}`, locale })
    .returning();
  return user!;
}

describe('host notices survive an SMTP failure', () => {
  it('the Zoom revocation notice is sent on the retry, unchanged', async () => {
    const host = await makeUser();
    const db = await getDb();
    await db.insert(zoomConnections).values({ userId: host.id, zoomUserId: `z-${host.id}`, accessTokenEnc: 'x', refreshTokenEnc: 'x', accessTokenExpiresAt: new Date() });
    smtp.refusing = true;
    expect(await revokeZoomLinkAndNotify(host.id, 'invalid_grant')).toBe(true);
    expect(smtp.mails).toEqual([]);
    smtp.refusing = false;
    expect(await sendDueMails({ now: later(60_000), log: quiet })).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    const sent = smtp.mails[0]!;
    expect(sent.to).toEqual([host.email]);
    expect(sent.subject).toBe('Action needed: reconnect Zoom to Aki');
    expect(sent.text.replace(/\r\n/g, '\n').trimEnd()).toBe(
      "Aki can no longer create Zoom meetings for you.\n\nZoom stopped accepting Aki's access (the authorization expired or was replaced by a newer sign-in).\n\nBookings are still confirmed, but they won't get a Zoom link until you reconnect Zoom in Aki:\n" +
        `${env().appUrl}/settings/integrations`,
    );
    // Once per revocation: the link is revoked already, so nothing more is queued.
    expect(await revokeZoomLinkAndNotify(host.id, 'invalid_grant')).toBe(false);
    expect(await rowsFor(host.email)).toHaveLength(1);
  });

  it('the Zoom notice commits with the revocation: a rolled-back revocation leaves no notice', async () => {
    const host = await makeUser();
    const db = await getDb();
    await db.insert(zoomConnections).values({ userId: host.id, zoomUserId: `z-${host.id}`, accessTokenEnc: 'x', refreshTokenEnc: 'x', accessTokenExpiresAt: new Date() });
    const rolledBack = db.transaction(async (tx) => {
      const outcome = await revokeZoomLink(tx, host.id, 'app_deauthorized');
      expect(outcome.changed).toBe(true);
      expect(outcome.noticeId).not.toBeNull();
      tx.rollback();
    });
    await expect(rolledBack).rejects.toThrow();
    expect(await rowsFor(host.email)).toEqual([]);
    const [link] = await db.select({ status: zoomConnections.status }).from(zoomConnections).where(eq(zoomConnections.userId, host.id));
    expect(link?.status).toBe('active');

    const committed = await revokeZoomLink(db, host.id, 'app_deauthorized');
    expect(committed.changed).toBe(true);
    expect(await rowsFor(host.email)).toHaveLength(1);
    await sendRevokedNotice(committed.noticeId);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Action needed: reconnect Zoom to Aki']);
  });

  it('the Google revocation notice is queued with the revocation and sent on the retry, unchanged', async () => {
    const host = await makeUser();
    const db = await getDb();
    await db.insert(googleConnections).values({ userId: host.id, googleEmail: 'cal@example.com', accessTokenEnc: 'x', refreshTokenEnc: 'x' });
    smtp.refusing = true;
    expect(await markGoogleRevoked(host.id, 'invalid_grant')).toBe(true);
    expect(smtp.mails).toEqual([]);
    smtp.refusing = false;
    expect(await sendDueMails({ now: later(60_000), log: quiet })).toBe(1);
    const sent = smtp.mails[0]!;
    expect(sent.subject).toBe('Action needed: reconnect Google Calendar to Aki');
    expect(sent.text.replace(/\r\n/g, '\n').trimEnd()).toBe(
      [
        `Hello ${host.name},`,
        '',
        "Google no longer accepts Aki's access to the calendar of cal@example.com. Access may have been removed in your Google account, or the authorization expired.",
        '',
        "Your bookings are still confirmed, but until you reconnect Aki can't check your Google busy times or add bookings to your calendar.",
        '',
        'Reconnect Google Calendar in Aki:',
        `${env().appUrl}/settings/integrations`,
      ].join('\n'),
    );
  });

});

describe('the worker loop', () => {
  it("the worker loop sends a due mail that failed before", async () => {
    smtp.refusing = true;
    await sendMailDurably({ kind: 'test', to: 'w@example.com', idempotencyKey: 'k-w', subject: 'Hello', text: 'Plain body', html: '<p>Plain body</p>' }, { log: quiet });
    smtp.refusing = false;
    const db = await getDb();
    await db.update(mailOutbox).set({ nextAttemptAt: new Date() }).where(eq(mailOutbox.to, 'w@example.com'));
    const worker = startWorker({ pollMs: 50, log: quiet });
    try {
      await expect.poll(() => smtp.mails.length, { timeout: 10_000 }).toBe(1);
    } finally {
      await worker.stop();
    }
    const [row] = await rowsFor('w@example.com');
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
