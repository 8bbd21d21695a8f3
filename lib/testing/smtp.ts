import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { parseMail, type SunkMail } from '@/e2e-prod/smtp-sink';
import { getDb } from '@/lib/db/client';
import { mailOutbox } from '@/lib/db/schema/mail';
import { resetEnvCache } from '@/lib/env';
import { resetMailTransport } from '@/lib/mail/transport';

/**
 * A real SMTP server for integration tests that can refuse mail (451, a temporary failure) while
 * `refusing` is set, and the switch that points our transport at it (SMTP_URL) and back to the file
 * outbox. Tests of "survives an SMTP failure" fail at the wire, not by mocking our modules.
 */
export async function startFlakySmtp(): Promise<{ mails: SunkMail[]; refusing: boolean; use(): void; close(): Promise<void> }> {
  const sink = {
    mails: [] as SunkMail[],
    refusing: false,
    use() {
      process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
      resetEnvCache();
      resetMailTransport();
    },
    async close() {
      process.env.SMTP_URL = '';
      resetEnvCache();
      resetMailTransport();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!sink.refusing) return callback();
      const error = new Error('Try again later') as Error & { responseCode: number };
      error.responseCode = 451;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        sink.mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), { from, to: session.envelope.rcptTo.map((r) => r.address) }));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return sink;
}

/** The outbox rows of one recipient. */
export async function outboxRowsFor(to: string) {
  const db = await getDb();
  return db.select().from(mailOutbox).where(eq(mailOutbox.to, to));
}

/**
 * One flaky SMTP server per test file, used by our transport for the whole file; before each test it
 * accepts mail again and forgets what it received.
 */
export function flakySmtpForThisFile(): { readonly mails: SunkMail[]; refusing: boolean } {
  let smtp: Awaited<ReturnType<typeof startFlakySmtp>> | undefined;
  const started = () => {
    if (!smtp) throw new Error('the SMTP server starts in beforeAll');
    return smtp;
  };
  beforeAll(async () => {
    smtp = await startFlakySmtp();
    smtp.use();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  beforeEach(() => {
    started().refusing = false;
    started().mails.length = 0;
  });
  return {
    get mails() {
      return started().mails;
    },
    get refusing() {
      return started().refusing;
    },
    set refusing(value: boolean) {
      started().refusing = value;
    },
  };
}
