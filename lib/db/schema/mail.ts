import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The mail outbox (lib/mail/outbox.ts): every mail that is not a booking step (host notices, the
 * sign-in link) is written here first, sent right after, and retried by the worker with backoff until
 * it goes out. `idempotencyKey` makes enqueueing the same mail twice a no-op. The rendered body is
 * stored encrypted (a sign-in link is a credential) and dropped once the mail is sent.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    idempotencyKey: text().notNull(),
    /** What the mail is, for logs (e.g. `auth.sign_in`, `zoom.revoked`). */
    kind: text().notNull(),
    to: text().notNull(),
    subject: text().notNull(),
    /** encryptSecret(JSON {text, html}); null once sent. */
    bodyEnc: text(),
    status: text({ enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(10),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** While sending: the claim's lease (a crashed sender's mail is claimed again after it). */
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    messageId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('mail_outbox_idempotency_key_idx').on(t.idempotencyKey),
    index('mail_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
  ],
);
