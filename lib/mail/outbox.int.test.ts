import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendSignInLink } from '@/lib/auth/magic-link';
import { startWorker } from '@/lib/bookings/effects/worker';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { googleConnections, zoomConnections } from '@/lib/db/schema/integrations';
import { mailOutbox } from '@/lib/db/schema/mail';
import { env } from '@/lib/env';
import { markGoogleRevoked } from '@/lib/google/mutations';
import { startFlakySmtp } from '@/lib/testing/smtp';
import { revokeZoomLinkAndNotify } from '@/lib/zoom/notify';
import { enqueueMail, sendDueMails, sendMailDurably } from './outbox';

/**
 * Every mail that is not a booking step goes through the outbox: written first, sent at once, and
 * retried by the worker when SMTP fails — against a real SMTP server that refuses mail on demand.
 */

let smtp: Awaited<ReturnType<typeof startFlakySmtp>>;
const quiet = () => {};
const later = (ms: number) => new Date(Date.now() + ms);

beforeAll(async () => {
  smtp = await startFlakySmtp();
  smtp.use();
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(() => {
  smtp.refusing = false;
  smtp.mails.length = 0;
});

let counter = 0;
async function makeUser(locale: 'en' | 'ja' = 'en') {
  counter++;
  const db = await getDb();
  const [user] = await db
    .insert(users)
    .values({ email: `outbox-${counter}-${Math.random().toString(36).slice(2, 6)}@example.com`, name: `Host ${counter}`, locale })
    .returning();
  return user!;
}

async function rowsFor(to: string) {
  const db = await getDb();
  return db.select().from(mailOutbox).where(eq(mailOutbox.to, to));
}

const mail = (to: string, key: string) => ({ kind: 'test', to, idempotencyKey: key, subject: 'Hello', text: 'Plain body', html: '<p>Plain body</p>' });

describe('the mail outbox', () => {
  it('sends at once, stores nothing of the body after sending, and a second enqueue of the key is a no-op', async () => {
    expect(await sendMailDurably(mail('a@example.com', 'k-a'), { log: quiet })).toBe(true);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Hello']);
    expect(smtp.mails[0]!.headers['x-aki-idempotency-key']).toBe('k-a');
    const [row] = await rowsFor('a@example.com');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, bodyEnc: null, lastError: null });
    expect(await sendMailDurably(mail('a@example.com', 'k-a'), { log: quiet })).toBe(false);
    expect(smtp.mails).toHaveLength(1);
  });

  it('a mail enqueued in a rolled-back transaction does not exist', async () => {
    const db = await getDb();
    await expect(
      db.transaction(async (tx) => {
        await enqueueMail(tx, mail('rollback@example.com', 'k-rollback'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await rowsFor('rollback@example.com')).toEqual([]);
  });

  it('retries with backoff after an SMTP failure and gives up after its attempts', async () => {
    smtp.refusing = true;
    expect(await sendMailDurably(mail('b@example.com', 'k-b'), { log: quiet })).toBe(false);
    let [row] = await rowsFor('b@example.com');
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toMatch(/451/);
    const firstDelay = row!.nextAttemptAt.getTime() - Date.now();
    expect(firstDelay).toBeGreaterThan(2_000);
    // Not due yet: nothing is tried.
    expect(await sendDueMails({ log: quiet })).toBe(0);
    expect(await sendDueMails({ now: later(60_000), log: quiet })).toBe(1);
    [row] = await rowsFor('b@example.com');
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row!.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(firstDelay + 60_000);
    for (let day = 1; day <= 10; day++) await sendDueMails({ now: later(day * 24 * 3600_000), log: quiet });
    [row] = await rowsFor('b@example.com');
    expect(row).toMatchObject({ status: 'failed', attempts: 10 });
    expect(smtp.mails).toEqual([]);
  });

  it("the worker loop sends a due mail that failed before", async () => {
    smtp.refusing = true;
    await sendMailDurably(mail('w@example.com', 'k-w'), { log: quiet });
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

describe('host notices and the sign-in link survive an SMTP failure', () => {
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

  it('the sign-in link is sent on the retry, unchanged', async () => {
    const url = `${env().appUrl}/api/auth/callback/nodemailer?token=abc123&email=guest%40example.com`;
    smtp.refusing = true;
    await sendSignInLink('signin@example.com', url);
    expect(smtp.mails).toEqual([]);
    smtp.refusing = false;
    expect(await sendDueMails({ now: later(60_000), log: quiet })).toBe(1);
    const sent = smtp.mails[0]!;
    expect(sent.to).toEqual(['signin@example.com']);
    expect(sent.subject).toBe('Your sign-in link for Aki');
    expect(sent.text.replace(/\r\n/g, '\n').trimEnd()).toBe(
      `Click the button below to sign in to Aki. The link is valid for 30 minutes and can be used once.\n\n${url}\n\nIf you did not ask for this, you can ignore this mail.`,
    );
    // The link is a credential: the stored body is encrypted and dropped once sent.
    const [row] = await rowsFor('signin@example.com');
    expect(row).toMatchObject({ status: 'sent', kind: 'auth.sign_in', bodyEnc: null });
  });
});
