import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type { Pool } from 'pg';
import { env } from '@/lib/env';
import { forgetProcessSingleton, processSingleton } from '@/lib/process-singletons';
import * as bookingPagesSchema from './schema/booking-pages';
import * as bookingsSchema from './schema/bookings';
import * as hostsSchema from './schema/hosts';
import * as integrationsSchema from './schema/integrations';
import * as mailSchema from './schema/mail';
import * as meetingsSchema from './schema/meetings';
import * as organisationsSchema from './schema/organisations';
import * as workersSchema from './schema/workers';

export const schema = { ...hostsSchema, ...integrationsSchema, ...bookingPagesSchema, ...bookingsSchema, ...workersSchema, ...mailSchema, ...meetingsSchema, ...organisationsSchema };
export type Schema = typeof schema;

/** The Drizzle client: the same API on `pg` and on PGlite. */
// Typed with node-postgres results: PGlite's results have the same `rows` shape.
export type Db = PgDatabase<NodePgQueryResultHKT, Schema>;
/** A transaction handle (what `db.transaction` passes to its callback). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

type Handle = {
  db: Db;
  kind: 'postgres' | 'pglite';
  close: () => Promise<void>;
  pool?: Pool;
  lite?: PGlite;
};

// One client per process (lib/process-singletons.ts), so Next's route bundles and dev reloads reuse
// it: two PGlite instances on one directory silently lose data.
const DB_KEY = 'db:handle';

export class DatabaseLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is already open in another process (pid ${pid}). ` +
        'PGlite allows one process per directory: stop the other process (npm run dev / npm start / a script), ' +
        'or set DATABASE_URL to use a Postgres server that many processes can share.',
    );
    this.name = 'DatabaseLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Refuse a second process on one PGlite directory; take over a lock left by a dead process. */
export function acquirePgliteLock(dir: string): void {
  const lockFile = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (owner === process.pid) return;
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) throw new DatabaseLockedError(dir, owner);
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockFile}`);
}

async function openPglite(dir: string): Promise<Handle> {
  const [{ PGlite }, { btree_gist }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('drizzle-orm/pglite'),
  ]);
  const inMemory = dir === 'memory://';
  if (!inMemory) {
    fs.mkdirSync(dir, { recursive: true });
    acquirePgliteLock(dir);
  }
  // The one-argument options form: `new PGlite(undefined, {extensions})` silently drops extensions.
  const lite = new PGlite({ dataDir: inMemory ? undefined : dir, extensions: { btree_gist } });
  await lite.waitReady;
  const db = drizzle({ client: lite, schema, casing: 'snake_case' }) as unknown as Db;
  return { db, kind: 'pglite', lite, close: () => lite.close() };
}

async function openPostgres(url: string): Promise<Handle> {
  const [{ default: pg }, { drizzle }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres')]);
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (error) => console.error('[db] idle client error:', error.message));
  const db = drizzle({ client: pool, schema, casing: 'snake_case' }) as unknown as Db;
  return { db, kind: 'postgres', pool, close: () => pool.end() };
}

async function open(): Promise<Handle> {
  const config = env().database;
  const handle = config.kind === 'postgres' ? await openPostgres(config.url) : await openPglite(config.dir);
  const { migrate } = await import('./migrate');
  await migrate(handle);
  return handle;
}

/** The process-wide database handle, opened and migrated on first use. */
export function getDbHandle(): Promise<Handle> {
  const pending: Promise<Handle> = processSingleton(DB_KEY, () =>
    open().catch((error) => {
      forgetProcessSingleton(DB_KEY, pending);
      throw error;
    }),
  );
  return pending;
}

/** The process-wide Drizzle client. */
export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export async function closeDb(): Promise<void> {
  const pending = forgetProcessSingleton<Promise<Handle>>(DB_KEY);
  if (pending) await (await pending).close();
}

export type { Handle as DbHandle };
