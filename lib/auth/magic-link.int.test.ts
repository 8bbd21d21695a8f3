import { expect, it } from 'vitest';
import { env } from '@/lib/env';
import { sendDueMails } from '@/lib/mail/outbox';
import { flakySmtpForThisFile, outboxRowsFor as rowsFor } from '@/lib/testing/smtp';
import { sendSignInLink } from './magic-link';

/** The sign-in link goes through the mail outbox: an SMTP failure delays it, never loses it. */

const smtp = flakySmtpForThisFile();
const quiet = () => {};
const later = (ms: number) => new Date(Date.now() + ms);

it('the sign-in link is sent on the retry, unchanged', async () => {
  const url = `${env().appUrl}/api/auth/callback/nodemailer?token=abc123&email=guest%40example.com`;
  smtp.refusing = true;
  await sendSignInLink('signin@example.com', url);
  expect(smtp.mails).toEqual([]);
  // Queued for the retry; the link is a credential, so the stored body is encrypted.
  const [queued] = await rowsFor('signin@example.com');
  expect(queued).toMatchObject({ status: 'pending', attempts: 1, kind: 'auth.sign_in' });
  expect(queued!.bodyEnc).not.toContain('abc123');
  smtp.refusing = false;
  expect(await sendDueMails({ now: later(60_000), log: quiet })).toBe(1);
  const sent = smtp.mails[0]!;
  expect(sent.to).toEqual(['signin@example.com']);
  expect(sent.subject).toBe('Your sign-in link for Aki');
  expect(sent.text.replace(/\r\n/g, '\n').trimEnd()).toBe(
    `Open this link to sign in to Aki. The link is valid for 30 minutes and can be used once.\n\n${url}\n\nIf you did not ask for this, you can ignore this mail.`,
  );
  // Once sent, the body is dropped.
  const [row] = await rowsFor('signin@example.com');
  expect(row).toMatchObject({ status: 'sent', kind: 'auth.sign_in', bodyEnc: null });
});
