import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db } from './client';

/**
 * Statements of hot paths (the confirm, the step queue) built once per database client. Drizzle's
 * query builder spends more CPU building a statement than the driver spends sending it
 * (bench:booking), so these keep the built SQL and only bind new values. Unnamed (`prepare('')`): no server-side prepared statement, so nothing
 * changes for Postgres or a pooler in front of it. Transactions build their statements as usual.
 *
 * Values are bound raw (placeholders inside `sql`), so they are passed as the driver takes them on
 * pg and PGlite alike: instants as ISO strings (`iso`), JSON as text cast to jsonb.
 */

const cache = new WeakMap<Db, Map<string, unknown>>();

/** The query `build` makes for `db`, built on first use. `key` names the statement (one per shape). */
export function prepared<T>(db: Db, key: string, build: (db: Db) => T): T {
  let byKey = cache.get(db);
  if (!byKey) {
    byKey = new Map();
    cache.set(db, byKey);
  }
  let query = byKey.get(key) as T | undefined;
  if (query === undefined) {
    query = build(db);
    byKey.set(key, query);
  }
  return query;
}

/** A raw placeholder (bound as given). */
export const param = (name: string) => sql`${sql.placeholder(name)}`;
/** A placeholder for an instant, bound as an ISO string (or null). */
export const instantParam = (name: string) => sql`${sql.placeholder(name)}::timestamptz`;
export const iso = (date: Date | null) => (date === null ? null : date.toISOString());
