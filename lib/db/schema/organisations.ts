import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './hosts';

/**
 * Organisations (issue 12): hosts grouped under one name, with the organisation's own Zoom account
 * (a Server-to-Server OAuth app) as a second way to get a meeting. A host belongs to at most one.
 */

/** Zoom meeting settings an organisation sets for its meetings (and a booking page may override). */
export type MeetingDefaults = {
  waitingRoom?: boolean;
  joinBeforeHost?: boolean;
  muteUponEntry?: boolean;
  hostVideo?: boolean;
  participantVideo?: boolean;
  autoRecording?: 'none' | 'cloud' | 'local';
  /** 'generate': a passcode that meets the Zoom user's policy (read from GET /users/{id}/settings); 'none': no passcode where the policy allows. */
  passcode?: 'generate' | 'none';
};

export const organisations = pgTable(
  'organisations',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text().notNull(),
    /** The organisation's public address: /team/{slug} lists its team pages (null: no public team pages). */
    slug: text(),
    /** The instance organisation of a single-company install (AKI_ORG_NAME): at most one. */
    isInstance: boolean().notNull().default(false),
    /** Server-to-Server OAuth app of the organisation's Zoom account. The secrets are AES-256-GCM encrypted (lib/crypto.ts), never shown again. */
    zoomAccountId: text(),
    zoomClientId: text(),
    zoomClientSecretEnc: text(),
    /** Secret token of the S2S app's event subscription (account-level webhooks), encrypted. */
    zoomWebhookSecretEnc: text(),
    /** The Zoom user meetings fall back to for a member who has no Zoom user of their own. */
    zoomDefaultUserId: text(),
    zoomDefaultUserEmail: text(),
    /** Last "Test connection": ok | failed (with the reason code), and when. */
    zoomCheckStatus: text({ enum: ['ok', 'failed'] }),
    zoomCheckReason: text(),
    zoomCheckedAt: timestamp({ withTimezone: true }),
    /** Scopes the last token carried (space-separated). */
    zoomScopes: text(),
    meetingDefaults: jsonb().$type<MeetingDefaults>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('organisations_instance_unique').on(t.isInstance).where(sql`${t.isInstance}`), uniqueIndex('organisations_slug_unique').on(t.slug)],
);

/** A host's membership (one organisation per host) and their Zoom user in the organisation's account. */
export const organisationMembers = pgTable(
  'organisation_members',
  {
    organisationId: text()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text({ enum: ['owner', 'admin', 'member'] }).notNull(),
    /** The member's Zoom user in the organisation's account; null → the organisation's default user. */
    zoomUserId: text(),
    zoomUserEmail: text(),
    /** How the Zoom user was found: email (GET /users/{email}), chosen (by an admin), created (POST /users), default (the org's). */
    zoomMapping: text({ enum: ['email', 'chosen', 'created', 'default'] }),
    /** Why mapping failed last (e.g. not_found), shown to admins. */
    zoomMappingProblem: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('organisation_members_user_unique').on(t.userId), index('organisation_members_org_idx').on(t.organisationId)],
);

/** An invitation by email (accepted through a magic-link sign-in); only the token's SHA-256 is stored. */
export const organisationInvites = pgTable(
  'organisation_invites',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    organisationId: text()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    role: text({ enum: ['admin', 'member'] }).notNull(),
    tokenHash: text().notNull(),
    invitedBy: text().references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('organisation_invites_token_unique').on(t.tokenHash), index('organisation_invites_org_idx').on(t.organisationId)],
);

/** Account-level back-off of an organisation's Zoom account (429s are shared by every host of the account). */
export const zoomAccountBackoffs = pgTable('zoom_account_backoffs', {
  organisationId: text()
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  until: timestamp({ withTimezone: true }).notNull(),
  reason: text().notNull(),
  hits: integer().notNull().default(1),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
