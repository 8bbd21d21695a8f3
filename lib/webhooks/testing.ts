import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { encryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { webhookDeliveries, webhookSubscriptions } from '@/lib/db/schema/webhooks';
import type { WebhookEventType } from './events';

/** Test helpers: a real HTTP receiver on 127.0.0.1 and subscriptions written straight to the table. */

export type ReceivedDelivery = {
  headers: Record<string, string>;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
};

/** What the receiver answers: a status (and body), `hang` (never answers), or a redirect. */
export type ReceiverAnswer = { status: number; body?: string; location?: string } | 'hang';

export async function startReceiver(): Promise<{
  url: string;
  port: number;
  received: ReceivedDelivery[];
  /** Answers in order for the next requests; when used up, 204. */
  answers: ReceiverAnswer[];
  close(): Promise<void>;
}> {
  const received: ReceivedDelivery[] = [];
  const answers: ReceiverAnswer[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      received.push({ headers, body, json: JSON.parse(body) });
      const answer = answers.shift() ?? { status: 204 };
      if (answer === 'hang') return;
      response.writeHead(answer.status, answer.location ? { location: answer.location } : {});
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/aki`,
    port,
    received,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export async function makeSubscription(userId: string, url: string, events: readonly WebhookEventType[], secret = newWebhookSecret()) {
  const db = await getDb();
  const [row] = await db
    .insert(webhookSubscriptions)
    .values({ userId, url, events: [...events], secretEnc: encryptSecret(secret) })
    .returning();
  return { ...row!, secret };
}

/**
 * Checks a received delivery's signature with the Standard Webhooks library: `verify` (which also
 * checks the timestamp is within 5 minutes of the real clock) for attempts made at real time; for an
 * attempt made at a moved clock, the signature recomputed for its own timestamp must be the one sent.
 */
export function verifyDelivery(secret: string, delivery: ReceivedDelivery, options: { movedClock?: boolean } = {}): void {
  const webhook = new Webhook(secret);
  if (!options.movedClock) {
    webhook.verify(delivery.body, delivery.headers);
    return;
  }
  const at = new Date(Number(delivery.headers['webhook-timestamp']) * 1000);
  const expected = webhook.sign(delivery.headers['webhook-id']!, at, delivery.body);
  if (expected !== delivery.headers['webhook-signature']) throw new Error('signature mismatch');
}

export async function deliveriesOf(subscriptionId: string) {
  const db = await getDb();
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, subscriptionId)).orderBy(webhookDeliveries.id);
}
