import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per running worker loop (the web server's in-process loop or `npm run worker`), touched
 * every few seconds: /api/health and the host's "is the worker running?" banner read it. A clean stop
 * deletes its row; rows of crashed processes are pruned by the other workers after an hour.
 */
export const workerHeartbeats = pgTable(
  'worker_heartbeats',
  {
    /** hostname-pid-random: unique per process start. */
    id: text().primaryKey(),
    pid: integer().notNull(),
    hostname: text().notNull(),
    role: text({ enum: ['in-process', 'standalone'] }).notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('worker_heartbeats_last_seen_idx').on(t.lastSeenAt)],
);
