import { and, asc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { backoffMs } from '@/lib/backoff';
import { decryptSecret, encryptSecret } from '@/lib/crypto';
import { type Db, type DbOrTx, getDb } from '@/lib/db/client';
import { mailOutbox } from '@/lib/db/schema/mail';
import { defaultLog, type LogSink } from '@/lib/log';
import type { RenderedMail } from './templates/booking';
import { sendMail } from './transport';

/**
 * The durable mail outbox (table mail_outbox). A mail is written first — inside the caller's
 * transaction when it has one — then sent right away (so a sign-in link arrives at once), and a
 * failed send is retried by the worker (sendDueMails) with exponential backoff until it goes out or
 * uses up its attempts. Claims are FOR UPDATE SKIP LOCKED with a lease, like booking steps, so
 * several workers never send one mail twice. Booking mails are booking steps instead (see
 * lib/bookings/effects/mail-steps.ts): they are rendered when sent and kept in order per recipient.
 */

export type QueuedMail = RenderedMail & {
  /** What the mail is, for logs: `auth.sign_in`, `zoom.revoked`, `google.revoked`. */
  kind: string;
  to: string;
  /** Enqueueing the same key again is a no-op; also sent as the X-Aki-Idempotency-Key header. */
  idempotencyKey: string;
};

/** Longer than an SMTP conversation may take; a sender that died is replaced after it. */
const LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 10;

type OutboxRow = typeof mailOutbox.$inferSelect;

/** Writes the mail (a no-op when its idempotency key is there already). Returns its id when this call inserted it. */
export async function enqueueMail(db: DbOrTx, mail: QueuedMail, now = new Date()): Promise<number | null> {
  const [row] = await db
    .insert(mailOutbox)
    .values({
      idempotencyKey: mail.idempotencyKey,
      kind: mail.kind,
      to: mail.to,
      subject: mail.subject,
      bodyEnc: encryptSecret(JSON.stringify({ text: mail.text, html: mail.html })),
      maxAttempts: MAX_ATTEMPTS,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: mailOutbox.idempotencyKey })
    .returning({ id: mailOutbox.id });
  return row?.id ?? null;
}

/**
 * Enqueues and sends at once. Resolves to true when the mail went out now; false when it is queued for
 * the worker's retry (the transport failed) or was enqueued before. Throws only when it could not be stored.
 */
export async function sendMailDurably(mail: QueuedMail, options: { log?: LogSink } = {}): Promise<boolean> {
  const db = await getDb();
  const id = await enqueueMail(db, mail);
  if (id === null) return false;
  return sendQueuedMail(id, options);
}

/** Sends one queued mail now, whatever its next attempt time (after the transaction that enqueued it committed). Never throws. */
export async function sendQueuedMail(id: number, options: { now?: Date; log?: LogSink } = {}): Promise<boolean> {
  const db = await getDb();
  const now = options.now ?? new Date();
  const [claimed] = await db
    .update(mailOutbox)
    .set({ status: 'sending', lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${mailOutbox.attempts} + 1`, updatedAt: now })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'pending')))
    .returning();
  if (!claimed) return false;
  return deliver(db, claimed, options);
}

/** Claims the due mails (pending and due, or sending with an expired lease) and sends them. Returns how many were tried. */
export async function sendDueMails(options: { now?: Date; limit?: number; log?: LogSink } = {}): Promise<number> {
  const db = await getDb();
  const now = options.now ?? new Date();
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(
      or(
        and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now)),
        and(eq(mailOutbox.status, 'sending'), lt(mailOutbox.lockedUntil, now)),
      ),
    )
    .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
    .limit(options.limit ?? 20)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(mailOutbox)
    .set({ status: 'sending', lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${mailOutbox.attempts} + 1`, updatedAt: now })
    .where(inArray(mailOutbox.id, due))
    .returning();
  await Promise.all(claimed.map((row) => deliver(db, row, options)));
  return claimed.length;
}

/** Sends a claimed row and records the result (guarded by the claim, so a superseded sender records nothing). */
async function deliver(db: Db, row: OutboxRow, options: { now?: Date; log?: LogSink }): Promise<boolean> {
  const log = options.log ?? defaultLog;
  const claim = and(eq(mailOutbox.id, row.id), eq(mailOutbox.status, 'sending'), eq(mailOutbox.attempts, row.attempts));
  const line = { msg: 'mail', mailId: row.id, kind: row.kind, attempt: row.attempts };
  try {
    if (!row.bodyEnc) throw new Error('mail body missing');
    const body = JSON.parse(decryptSecret(row.bodyEnc)) as { text: string; html: string };
    const { messageId } = await sendMail({ to: row.to, subject: row.subject, text: body.text, html: body.html, idempotencyKey: row.idempotencyKey });
    const now = options.now ?? new Date();
    await db
      .update(mailOutbox)
      .set({ status: 'sent', bodyEnc: null, messageId, sentAt: now, lockedUntil: null, lastError: null, updatedAt: now })
      .where(claim);
    log({ level: 'info', ...line, outcome: 'sent' });
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const now = options.now ?? new Date();
    const failed = row.attempts >= row.maxAttempts;
    const nextAttemptAt = new Date(now.getTime() + backoffMs(row.attempts));
    await db
      .update(mailOutbox)
      .set(failed ? { status: 'failed', lockedUntil: null, lastError: message, updatedAt: now } : { status: 'pending', nextAttemptAt, lockedUntil: null, lastError: message, updatedAt: now })
      .where(claim)
      .catch((recordError) => log({ level: 'error', ...line, msg: 'mail result not recorded', error: String(recordError) }));
    log({
      level: failed ? 'error' : 'warn',
      ...line,
      outcome: failed ? 'failed' : 'retry',
      error: message,
      ...(failed ? {} : { nextRetryAt: nextAttemptAt.toISOString() }),
    });
    return false;
  }
}
