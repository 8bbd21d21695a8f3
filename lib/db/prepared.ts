import 'server-only';
import { is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { env } from '@/lib/env';
import type { Db, DbOrTx } from './client';

/**
 * Statements of hot paths (the confirm, the step queue) built once per database client. Drizzle's
 * query builder spends more CPU building a statement than the driver spends sending it
 * (bench:booking), so these keep the built SQL and only bind new values. `build` gets the statement's name
 * for `.prepare(name)` (statementName). Statements inside transactions: `preparedFor`.
 *
 * Values are bound raw (placeholders inside `sql`), so they are passed as the driver takes them on
 * pg and PGlite alike: instants as ISO strings (`iso`), JSON as text cast to jsonb.
 */

const cache = new WeakMap<Db, Map<string, unknown>>();

/**
 * The server-side name of `key`'s statement: Postgres then parses and plans it once per connection
 * instead of on every run — about half of Postgres's CPU per confirm (bench:booking). Names are one per
 * key, so one per statement text, as node-postgres requires. '' (unnamed, parsed every time) with
 * AKI_DB_NAMED_STATEMENTS=0, for a transaction-mode pooler that cannot keep prepared statements
 * (PgBouncer before 1.21, or with max_prepared_statements = 0). PGlite ignores names.
 */
export function statementName(key: string): string {
  const { database } = env();
  return database.kind === 'postgres' && database.namedStatements ? `aki:${key}` : '';
}

/** The query `build` makes for `db`, built on first use. `key` names the statement (one per shape). */
export function prepared<T>(db: Db, key: string, build: (db: Db, name: string) => T): T {
  let byKey = cache.get(db);
  if (!byKey) {
    byKey = new Map();
    cache.set(db, byKey);
  }
  let query = byKey.get(key) as T | undefined;
  if (query === undefined) {
    query = build(db, statementName(key));
    byKey.set(key, query);
  }
  return query;
}

/** Per driver (pg, PGlite: their prepared queries differ), the first build of each transaction statement. */
const templates = new Map<unknown, Map<string, object>>();

/**
 * `prepared` for a statement that may run inside a transaction (`client` a Db or a Tx): the SQL and
 * its result mapping are built once, on the first client that asks; each transaction runs that
 * statement on its own connection. Drizzle builds a query anew for every transaction otherwise — for
 * the confirm's page lock that costs more CPU than sending it.
 *
 * Drizzle has no API for this: the copy shares the built statement and replaces its `client` (the
 * connection Drizzle's pg and PGlite prepared queries run on). lib/db/prepared.int.test.ts holds
 * this to both drivers, inside and outside a transaction.
 */
export function preparedFor<T extends object>(client: DbOrTx, key: string, build: (client: DbOrTx, name: string) => T): T {
  if (!is(client, PgTransaction)) return prepared(client as Db, key, build);
  const session = client._.session as unknown as { client: unknown; constructor: unknown };
  let byKey = templates.get(session.constructor);
  if (!byKey) {
    byKey = new Map();
    templates.set(session.constructor, byKey);
  }
  const template = byKey.get(key) as T | undefined;
  if (template === undefined) {
    const built = build(client, statementName(key));
    byKey.set(key, built);
    return built;
  }
  if (!('client' in template)) throw new Error(`preparedFor(${key}): the prepared query has no client to replace (Drizzle changed?)`);
  return Object.assign(Object.create(template) as T, { client: session.client });
}

/** A raw placeholder (bound as given). */
export const param = (name: string) => sql`${sql.placeholder(name)}`;
/** A placeholder for an instant, bound as an ISO string (or null). */
export const instantParam = (name: string) => sql`${sql.placeholder(name)}::timestamptz`;
export const iso = (date: Date | null) => (date === null ? null : date.toISOString());
