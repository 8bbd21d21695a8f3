import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { flakySmtpForThisFile, outboxRowsFor as rowsFor } from '@/lib/testing/smtp';
import { enqueueMail, sendDueMails, sendMailDurably } from './outbox';

/**
 * The outbox: written first, sent at once, retried with backoff when SMTP fails — against a real SMTP
 * server that refuses mail on demand. (The host notices and the sign-in link through it:
 * lib/bookings/notices-outbox.int.test.ts, lib/auth/magic-link.int.test.ts.)
 */

const smtp = flakySmtpForThisFile();
const quiet = () => {};
const later = (ms: number) => new Date(Date.now() + ms);

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

});
