import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, getDbHandle } from './client';
import { bookings } from './schema/bookings';
import { users } from './schema/hosts';

async function insertBooking(userId: string, start: string, end: string, status: 'confirmed' | 'cancelled' = 'confirmed') {
  const db = await getDb();
  return db.insert(bookings).values({
    uid: crypto.randomUUID(),
    userId,
    title: 't',
    location: { type: 'phone' },
    startAt: new Date(start),
    endAt: new Date(end),
    blockedStartAt: new Date(start),
    blockedEndAt: new Date(end),
    status,
    guestName: 'g',
    guestEmail: 'g@example.com',
    guestTimeZone: 'UTC',
    manageTokenHash: 'x',
  });
}

describe('database', () => {
  it('opens the configured backend with btree_gist', async () => {
    const handle = await getDbHandle();
    expect(handle.kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
    const result = await handle.db.execute(sql`select extname from pg_extension where extname = 'btree_gist'`);
    expect(result.rows).toHaveLength(1);
  });

  it('refuses overlapping confirmed bookings of one host and allows touching ones', async () => {
    const db = await getDb();
    const [host] = await db.insert(users).values({ email: 'overlap@example.com' }).returning();
    await insertBooking(host!.id, '2030-01-01T10:00:00Z', '2030-01-01T10:30:00Z');
    await expect(insertBooking(host!.id, '2030-01-01T10:15:00Z', '2030-01-01T10:45:00Z')).rejects.toMatchObject({
      cause: { code: '23P01' },
    });
    await insertBooking(host!.id, '2030-01-01T10:30:00Z', '2030-01-01T11:00:00Z');
    // cancelled rows never block
    await insertBooking(host!.id, '2030-01-01T10:10:00Z', '2030-01-01T10:20:00Z', 'cancelled');
  });
});
