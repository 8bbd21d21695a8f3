import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from './client';
import { preparedFor } from './prepared';
import { users } from './schema/hosts';

// The statement under test: one user's email and creation time (a Date, so the result mapping is exercised too).
const userById = (client: Parameters<typeof preparedFor>[0]) =>
  preparedFor(client, 'test:userById', (c, name) =>
    c
      .select({ email: users.email, createdAt: users.createdAt })
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare(name),
  );

describe('preparedFor (a statement built once, run inside each transaction on its connection)', () => {
  it('runs on the database and in transactions, seeing each transaction’s own uncommitted rows', async () => {
    const db = await getDb();
    const [outside] = await db.insert(users).values({ email: 'prepared-outside@example.com' }).returning();
    expect(await userById(db).execute({ id: outside!.id })).toEqual([{ email: 'prepared-outside@example.com', createdAt: expect.any(Date) }]);

    for (const n of [1, 2, 3]) {
      const seen = await db.transaction(async (tx) => {
        const [inside] = await tx.insert(users).values({ email: `prepared-inside-${n}@example.com` }).returning();
        // Only this transaction sees its row: the statement must run on the transaction's connection.
        return userById(tx).execute({ id: inside!.id });
      });
      expect(seen).toEqual([{ email: `prepared-inside-${n}@example.com`, createdAt: expect.any(Date) }]);
    }
  });

  // PGlite is one session (its transactions run one at a time): two open at once need Postgres.
  it.runIf(Boolean(process.env.DATABASE_URL))('runs two transactions open at once each on its own connection', async () => {
    const db = await getDb();
    // Built on some earlier transaction's connection.
    await db.transaction((tx) => userById(tx).execute({ id: crypto.randomUUID() }));
    let open = 0;
    let bothOpen!: () => void;
    const barrier = new Promise<void>((resolve) => {
      bothOpen = resolve;
    });
    const run = (n: number) =>
      db.transaction(async (tx) => {
        const [row] = await tx.insert(users).values({ email: `prepared-concurrent-${n}@example.com` }).returning();
        if (++open === 2) bothOpen();
        await barrier;
        return userById(tx).execute({ id: row!.id });
      });
    const [one, two] = await Promise.all([run(1), run(2)]);
    expect(one).toEqual([{ email: 'prepared-concurrent-1@example.com', createdAt: expect.any(Date) }]);
    expect(two).toEqual([{ email: 'prepared-concurrent-2@example.com', createdAt: expect.any(Date) }]);
  });

  // Postgres keeps the statement on the connection under its name: parsed and planned once, not per run.
  it.runIf(Boolean(process.env.DATABASE_URL))('is a named prepared statement on Postgres', async () => {
    const db = await getDb();
    const names = await db.transaction(async (tx) => {
      await userById(tx).execute({ id: crypto.randomUUID() });
      await userById(tx).execute({ id: crypto.randomUUID() });
      return tx.execute(sql`select name from pg_prepared_statements where name like 'aki:%'`);
    });
    expect((names as unknown as { rows: { name: string }[] }).rows.map((r) => r.name)).toContain('aki:test:userById');
  });

  it('rolls back with the transaction it ran in', async () => {
    const db = await getDb();
    let id = '';
    await expect(
      db.transaction(async (tx) => {
        const [row] = await tx.insert(users).values({ email: 'prepared-rolled-back@example.com' }).returning();
        id = row!.id;
        await tx.update(users).set({ name: 'changed' }).where(eq(users.id, id));
        expect(await userById(tx).execute({ id })).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await userById(db).execute({ id })).toEqual([]);
  });
});
