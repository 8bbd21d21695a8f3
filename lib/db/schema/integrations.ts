import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './hosts';

/**
 * A host's link to their own Zoom account (user-level OAuth). One row per host; one Zoom user
 * per row (invariant 4). Tokens are AES-256-GCM encrypted (lib/crypto.ts).
 */
export const zoomConnections = pgTable(
  'zoom_connections',
  {
    userId: text()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    zoomUserId: text().notNull(),
    zoomAccountId: text(),
    zoomEmail: text(),
    /** Zoom's user type from GET /users/me: 1 Basic (free: meetings end after 40 minutes; no attendance or cloud recordings), 2 Licensed. */
    zoomUserType: integer(),
    accessTokenEnc: text().notNull(),
    refreshTokenEnc: text().notNull(),
    accessTokenExpiresAt: timestamp({ withTimezone: true }).notNull(),
    scopes: text().notNull().default(''),
    status: text({ enum: ['active', 'revoked'] })
      .notNull()
      .default('active'),
    /** Why the link stopped working (invalid_grant, app_deauthorized…), shown to the host. */
    revokedReason: text(),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('zoom_connections_zoom_user_unique').on(t.zoomUserId)],
);

/** A host's Google Calendar link: busy calendars and the calendar that receives bookings. */
export const googleConnections = pgTable('google_connections', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  googleEmail: text(),
  accessTokenEnc: text().notNull(),
  refreshTokenEnc: text(),
  accessTokenExpiresAt: timestamp({ withTimezone: true }),
  scopes: text().notNull().default(''),
  status: text({ enum: ['active', 'revoked'] })
    .notNull()
    .default('active'),
  revokedReason: text(),
  revokedAt: timestamp({ withTimezone: true }),
  busyCalendarIds: jsonb().$type<string[]>().notNull().default([]),
  targetCalendarId: text(),
  allDayEventsBusy: boolean().notNull().default(true),
  /** Last time a busy lookup could not read Google in time (slots were shown without it); the card warns. */
  busyDegradedAt: timestamp({ withTimezone: true }),
  busyDegradedReason: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Webhook deliveries, kept for idempotency (Zoom retries) and for later processing. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    provider: text({ enum: ['zoom', 'google'] }).notNull(),
    /** Stable identity of a delivery (e.g. event + event_ts + object id) so retries are recognised. */
    deliveryKey: text().notNull(),
    event: text().notNull(),
    payload: jsonb().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
    /** The booking whose meeting the event is about (null: not a meeting Aki made, acknowledged and dropped). */
    bookingId: text(),
    /** applied | dropped | ignored (what processing did with it). */
    outcome: text(),
  },
  (t) => [uniqueIndex('webhook_events_delivery_unique').on(t.provider, t.deliveryKey), index('webhook_events_received_idx').on(t.receivedAt)],
);
