import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh, empty database on the Postgres server of `serverUrl` (integration tests, benches), and the
 * way to drop it again. Nothing here touches the database the URL names.
 */
export async function createThrowawayDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/**
 * For an in-process bench on Postgres: points DATABASE_URL at a fresh database of its own (figures then do not
 * depend on what earlier runs or tests left behind) and returns how to drop it; nothing on PGlite.
 */
export async function throwawayBenchDatabase(prefix = 'aki_bench'): Promise<(() => Promise<void>) | undefined> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) return undefined;
  const database = await createThrowawayDatabase(baseUrl, prefix);
  process.env.DATABASE_URL = database.url;
  return database.drop;
}
