import 'server-only';
import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { safeEqual } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { sessions, users } from '@/lib/db/schema/hosts';
import { env } from '@/lib/env';

/**
 * Test sign-in for the e2e suite (app/api/testing/session, demo mode only): a database session for
 * an address, as Auth.js would create after a magic link, set as its session cookie. Specs that are
 * not about signing in use it instead of the mailbox round trip; sign-in.spec and newcomer.spec keep
 * the real flow. Besides demo mode, the request must be signed with the server's AUTH_SECRET and be
 * fresh, so a demo deployment does not hand out sessions to whoever asks.
 */

export const TEST_SESSION_SIGNATURE_HEADER = 'x-aki-test-signature';
const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60; // as lib/auth/config.ts
const MAX_REQUEST_AGE_MS = 60_000;

const bodySchema = z.object({ email: z.email(), issuedAt: z.number().int() });

/** HMAC-SHA256 of the exact request body; e2e/helpers/session.ts signs the same way. */
export const signTestSessionBody = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

/**
 * The body of a test route's request, when it is signed with the server's AUTH_SECRET, fresh (its
 * `issuedAt` within a minute) and of `schema`'s shape; otherwise the answer to give (403 or 400).
 */
export async function readSignedTestRequest<T extends { issuedAt: number }>(request: Request, schema: z.ZodType<T>): Promise<T | Response> {
  const raw = await request.text();
  const signature = request.headers.get(TEST_SESSION_SIGNATURE_HEADER) ?? '';
  if (!safeEqual(signature, signTestSessionBody(env().authSecret, raw))) return new Response('Forbidden', { status: 403 });
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return new Response('Bad request', { status: 400 });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success || Math.abs(Date.now() - parsed.data.issuedAt) > MAX_REQUEST_AGE_MS) return new Response('Bad request', { status: 400 });
  return parsed.data;
}

export async function createTestSession(request: Request): Promise<Response> {
  const parsed = await readSignedTestRequest(request, bodySchema);
  if (parsed instanceof Response) return parsed;

  const db = await getDb();
  const email = parsed.email.toLowerCase();
  // What Auth.js's adapter does for a first magic-link sign-in: a user with a verified address.
  await db.insert(users).values({ email, emailVerified: new Date() }).onConflictDoNothing({ target: users.email });
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  const sessionToken = randomBytes(32).toString('hex');
  await db.insert(sessions).values({ sessionToken, userId: user!.id, expires: new Date(Date.now() + SESSION_MAX_AGE_S * 1000) });

  // Auth.js's cookie: "__Secure-" only when the app is served over https.
  const secure = new URL(env().appUrl).protocol === 'https:';
  const name = `${secure ? '__Secure-' : ''}authjs.session-token`;
  const cookie = `${name}=${sessionToken}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_AGE_S}${secure ? '; Secure' : ''}`;
  return Response.json({ userId: user!.id }, { headers: { 'set-cookie': cookie, 'cache-control': 'no-store' } });
}
