import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { env } from '@/lib/env';
import { forgetProcessSingleton, processSingleton } from '@/lib/process-singletons';

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Sets a header so a retried step can be recognised in the outbox / by the receiver. */
  idempotencyKey?: string;
  /** The mail's one calendar: nodemailer sends it as a text/calendar alternative (the invitation) and as its .ics download. */
  icalEvent?: Mail.Options['icalEvent'];
};

export type OutboxEntry = {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  createdAt: string;
  attachments: { filename: string; contentType: string }[];
};

type Transport = { send: (mail: OutgoingMail) => Promise<{ messageId: string }> };

function smtpTransport(url: string): Transport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(mail) {
      const info = await transporter.sendMail(toNodemailer(mail));
      return { messageId: info.messageId };
    },
  };
}

/**
 * The default transport: each mail is rendered to a real RFC 822 message (.eml) plus a JSON summary
 * in .data/outbox, readable in the app at /mailbox in demo mode.
 */
function outboxTransport(dir: string): Transport {
  const renderer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await renderer.sendMail(toNodemailer(mail));
      const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
      await fs.mkdir(dir, { recursive: true });
      const entry: OutboxEntry = {
        id,
        to: mail.to,
        from: env().mail.from,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        createdAt: new Date().toISOString(),
        attachments: attachmentsOf(info.message as Buffer),
      };
      await fs.writeFile(path.join(dir, `${id}.eml`), info.message as Buffer);
      await fs.writeFile(path.join(dir, `${id}.json`), JSON.stringify(entry, null, 2));
      return { messageId: info.messageId };
    },
  };
}

/** The attachments of a rendered message, read from the message itself so the mailbox shows what the .eml holds. */
export function attachmentsOf(message: Buffer | string): { filename: string; contentType: string }[] {
  const unfolded = message.toString().replace(/\r?\n[ \t]+/g, ' ');
  const found: { filename: string; contentType: string }[] = [];
  for (const block of unfolded.split(/\r?\n\r?\n/)) {
    if (!/^Content-Disposition:\s*attachment/im.test(block)) continue;
    const contentType = /^Content-Type:\s*([^;\r\n]+)/im.exec(block)?.[1]?.trim() ?? '';
    const filename = /filename="?([^";\r\n]+)"?/i.exec(block)?.[1] ?? /name="?([^";\r\n]+)"?/i.exec(block)?.[1] ?? '';
    found.push({ filename, contentType });
  }
  return found;
}

function toNodemailer(mail: OutgoingMail): Mail.Options {
  return {
    from: env().mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    icalEvent: mail.icalEvent,
    headers: mail.idempotencyKey ? { 'X-Aki-Idempotency-Key': mail.idempotencyKey } : undefined,
  };
}

export function mailTransport(): Transport {
  return processSingleton('mail:transport', () => {
    const { smtpUrl, outboxDir } = env().mail;
    return smtpUrl ? smtpTransport(smtpUrl) : outboxTransport(outboxDir);
  });
}

/** Tests that switch SMTP_URL: the next mail builds the transport again from env(). */
export function resetMailTransport(): void {
  forgetProcessSingleton('mail:transport');
}

/** Sends one mail; throws on transport failure so the caller (a pipeline step) can retry. */
export async function sendMail(mail: OutgoingMail): Promise<{ messageId: string }> {
  return mailTransport().send(mail);
}

/** Newest first. Used by the demo mailbox page and by tests. */
export async function readOutbox(dir: string = env().mail.outboxDir): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const entries = await Promise.all(
    names.filter((n) => n.endsWith('.json')).map(async (n) => JSON.parse(await fs.readFile(path.join(dir, n), 'utf8')) as OutboxEntry),
  );
  return entries.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id.localeCompare(a.id)));
}

export async function readOutboxRaw(id: string, dir: string = env().mail.outboxDir): Promise<Buffer | null> {
  if (!/^[\w-]+$/.test(id)) return null;
  try {
    return await fs.readFile(path.join(dir, `${id}.eml`));
  } catch {
    return null;
  }
}
