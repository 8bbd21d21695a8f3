import 'server-only';
import path from 'node:path';
import type { DbHandle } from './client';

export const MIGRATIONS_FOLDER = path.join(/*turbopackIgnore: true*/ process.cwd(), 'drizzle');

/**
 * Applies drizzle/ with drizzle-orm's own migrators (drizzle-kit's pglite driver cannot load
 * btree_gist). Safe to call on every start: applied migrations are recorded and skipped.
 */
export async function migrate(handle: DbHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    // biome-ignore lint/suspicious/noExplicitAny: both migrators accept the concrete driver database
    await run(handle.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
    // Two processes starting at once must not run the same migration twice.
    const client = await handle.pool!.connect();
    try {
      await client.query('select pg_advisory_lock(727001)');
      // biome-ignore lint/suspicious/noExplicitAny: see above
      await run(handle.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('select pg_advisory_unlock(727001)').catch(() => {});
      client.release();
    }
  }
}
