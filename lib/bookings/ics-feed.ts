import 'server-only';
import { eq } from 'drizzle-orm';
import { buildIcs } from '@/lib/calendar/ics';
import { decryptSecret, encryptSecret, randomToken, safeEqual } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { env } from '@/lib/env';
import { loadHost } from './effects/context';
import { bookingIcsEvent } from './notifications';
import { feedBookings } from './queries';

/**
 * The host's private, subscribable ICS feed (/api/ics/{token}.ics): every confirmed booking from 30
 * days ago on, METHOD:PUBLISH, same UIDs and SEQUENCEs as the mailed invitations. The token is
 * `<userId>.<secret>`; the secret is stored encrypted (users.icsFeedTokenEnc) and compared in constant time.
 * Regenerating it makes the old URL stop working.
 */

const FEED_PAST_DAYS = 30;

const feedUrl = (userId: string, secret: string) => `${env().appUrl}/api/ics/${userId}.${secret}.ics`;

/** The host's feed URL, created on first use. */
export async function getIcsFeedUrl(userId: string): Promise<string> {
  const db = await getDb();
  const [row] = await db.select({ enc: users.icsFeedTokenEnc }).from(users).where(eq(users.id, userId)).limit(1);
  if (!row) throw new Error('unknown host');
  if (row.enc) return feedUrl(userId, decryptSecret(row.enc));
  return regenerateIcsFeedUrl(userId);
}

/** A new secret: the previous URL stops working. */
export async function regenerateIcsFeedUrl(userId: string): Promise<string> {
  const db = await getDb();
  const secret = randomToken(24);
  await db.update(users).set({ icsFeedTokenEnc: encryptSecret(secret) }).where(eq(users.id, userId));
  return feedUrl(userId, secret);
}

/** The feed for a token, or null (unknown host, no feed, wrong secret — indistinguishable). */
export async function renderIcsFeed(token: string, now: Date = new Date()): Promise<string | null> {
  const bare = token.endsWith('.ics') ? token.slice(0, -4) : token;
  const dot = bare.indexOf('.');
  if (dot <= 0 || bare.length > 200) return null;
  const userId = bare.slice(0, dot);
  const secret = bare.slice(dot + 1);
  const db = await getDb();
  const [row] = await db.select({ enc: users.icsFeedTokenEnc }).from(users).where(eq(users.id, userId)).limit(1);
  if (!row?.enc) return null;
  let stored: string;
  try {
    stored = decryptSecret(row.enc);
  } catch {
    return null;
  }
  if (!safeEqual(stored, secret)) return null;
  const host = await loadHost(db, userId);
  if (!host) return null;
  const since = new Date(now.getTime() - FEED_PAST_DAYS * 24 * 60 * 60_000);
  const rows = await feedBookings(userId, since, db);
  return buildIcs(
    'PUBLISH',
    rows.map((b) => bookingIcsEvent(b, host, 'host')),
    { name: `Aki — ${host.name?.trim() || host.handle || host.email}`, stamp: now },
  );
}
