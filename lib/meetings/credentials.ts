import 'server-only';
import { and, asc, eq, gt, is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from '@/lib/db/client';
import { prepared, statementName } from '@/lib/db/prepared';
import type { BookingRow } from '@/lib/bookings/types';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { users } from '@/lib/db/schema/hosts';
import { bookingPages, teamPageMembers } from '@/lib/db/schema/booking-pages';
import { bookings } from '@/lib/db/schema/bookings';
import { organisationMembers, organisations, zoomAccountBackoffs } from '@/lib/db/schema/organisations';
import { env } from '@/lib/env';
import { effectiveMeetingSettings } from '@/lib/organisations/meeting-settings';
import { passcodeFor } from '@/lib/zoom/passcode';
import { zoomPasscodePolicy } from '@/lib/zoom/users';
import { IntegrationError, isIntegrationError } from '@/lib/errors';
import { memberZoomUser, organisationZoomApp } from '@/lib/organisations/zoom';
import { serverToServerSource } from '@/lib/zoom/s2s';
import { userOAuthSource, type ZoomTokenRow } from '@/lib/zoom/tokens';
import type { ZoomCredentialSource, ZoomMeetingInput } from '@/lib/zoom/types';

/**
 * Which Zoom credential a booking's meeting is made with (issue 12). A host's meetings come from their
 * own linked Zoom account ('own') or from their organisation's account through its Server-to-Server app
 * ('organisation:<id>', under the member's Zoom user). The booking remembers the credential that made
 * its meeting (`bookings.zoomCredential`, `zoomHostUserId`): reschedule, cancel, the start link and the
 * after-meeting reads use that one, never the host's current choice — switching never breaks a booking.
 */

export type MeetingCredentialKey = 'own' | `organisation:${string}`;

export type MeetingCredential = {
  credential: MeetingCredentialKey;
  source: ZoomCredentialSource;
  /** The Zoom user id the meeting is created under (organisation meetings); null for the host's own link (`me`). */
  zoomHostUserId: string | null;
  /** The organisation whose account (and account-level rate limits) the credential uses. */
  organisationId: string | null;
};

const ORG_PREFIX = 'organisation:';

export const organisationCredential = (organisationId: string): MeetingCredentialKey => `${ORG_PREFIX}${organisationId}`;

/** The organisation id of a stored credential, or null for 'own' (and for old bookings: null = own). */
export function organisationOfCredential(credential: string | null | undefined): string | null {
  return credential?.startsWith(ORG_PREFIX) ? credential.slice(ORG_PREFIX.length) || null : null;
}

const waiting = (message: string) => new IntegrationError('zoom', 'not_connected', message);

export type ZoomChoice = {
  /** What the host chose (users.zoomSource). */
  chosen: 'own' | 'organisation';
  /** What new meetings use: the organisation's Zoom also for a host who chose 'own' but never linked Zoom. */
  effective: 'own' | 'organisation';
  ownLinked: boolean;
  /** The host's organisation, when it has a Zoom account. */
  organisation: { id: string; name: string } | null;
};

/**
 * The host's effective Zoom source. A host of an organisation with Zoom who never linked their own
 * account uses the organisation's (the default); one who chose it uses it; everyone else their own link.
 */
export async function zoomChoiceOf(db: DbOrTx, userId: string): Promise<ZoomChoice> {
  return (await zoomChoiceAndLink(db, userId)).choice;
}

/**
 * The columns a host's choice and own link are read from: users joined with their Zoom link and their
 * organisation (left joins on the host's id). Selected here, and with the page lock of a booking
 * (lib/bookings/mutations.ts), whose inline create then needs no read of its own.
 */
export const zoomChoiceColumns = {
  zoomSource: users.zoomSource,
  linkedUserId: zoomConnections.userId,
  linkStatus: zoomConnections.status,
  revokedReason: zoomConnections.revokedReason,
  accessTokenEnc: zoomConnections.accessTokenEnc,
  accessTokenExpiresAt: zoomConnections.accessTokenExpiresAt,
  organisationId: organisations.id,
  organisationName: organisations.name,
  isInstance: organisations.isInstance,
  zoomClientId: organisations.zoomClientId,
};

type ZoomChoiceRow = { [K in keyof typeof zoomChoiceColumns]: (typeof zoomChoiceColumns)[K]['_']['data'] | null };

/** The host's choice and the own link's token fields (null when not linked). */
export type ZoomChoiceAndLink = { choice: ZoomChoice; link: ZoomTokenRow | null };

/** What the columns above say (no row: a host without any setting, on their own Zoom). */
export function zoomChoiceFrom(row: ZoomChoiceRow | undefined): ZoomChoiceAndLink {
  const chosen = row?.zoomSource ?? 'own';
  const ownLinked = Boolean(row?.linkedUserId);
  // As membershipOf's hasZoom: saved settings, or ZOOM_S2S_* for the instance organisation.
  const hasZoom = Boolean(row?.organisationId) && (row?.zoomClientId != null || (row?.isInstance === true && env().zoomS2s !== null));
  const organisation = hasZoom ? { id: row!.organisationId!, name: row!.organisationName! } : null;
  const effective = organisation && (chosen === 'organisation' || !ownLinked) ? 'organisation' : 'own';
  const link =
    row?.linkedUserId && row.linkStatus && row.accessTokenEnc && row.accessTokenExpiresAt
      ? { status: row.linkStatus, revokedReason: row.revokedReason, accessTokenEnc: row.accessTokenEnc, accessTokenExpiresAt: row.accessTokenExpiresAt }
      : null;
  return { choice: { chosen, effective, ownLinked, organisation }, link };
}

/**
 * The choice and the host's own link's token fields, in ONE round trip. On the database client (not a
 * transaction) the statement is built once (lib/db/prepared.ts).
 */
async function zoomChoiceAndLink(db: DbOrTx, userId: string): Promise<ZoomChoiceAndLink> {
  const build = (client: DbOrTx, name: string) =>
    client
      .select(zoomChoiceColumns)
      .from(users)
      .leftJoin(zoomConnections, eq(zoomConnections.userId, users.id))
      .leftJoin(organisationMembers, eq(organisationMembers.userId, users.id))
      .leftJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
      .where(eq(users.id, sql.placeholder('userId')))
      .limit(1)
      .prepare(name);
  const statement = is(db, PgTransaction) ? build(db, statementName('zoomChoiceAndLink')) : prepared(db as Db, 'zoomChoiceAndLink', build);
  const [row] = await statement.execute({ userId });
  return zoomChoiceFrom(row);
}

/**
 * The credential a new meeting of `host` is made with. A host on the organisation's Zoom gets their
 * Zoom user in its account (mapped, else the default user); without one the booking waits, visibly
 * (IntegrationError not_connected, with a message the host sees), for an admin. `known`: the choice as
 * the caller read it moments ago (the booking's transaction), instead of reading it again.
 */
export async function credentialForNewMeeting(db: Db, host: { id: string }, known?: ZoomChoiceAndLink): Promise<MeetingCredential> {
  const { choice, link } = known ?? (await zoomChoiceAndLink(db, host.id));
  // The own link's row just read serves the create's token (a 401 reads it again).
  if (choice.effective === 'own') return { credential: 'own', source: userOAuthSource(host.id, link), zoomHostUserId: null, organisationId: null };
  const organisationId = choice.organisation!.id;
  const app = await organisationZoomApp(db, organisationId);
  if (!app) throw waiting("Your organisation's Zoom account is not set up: ask an organisation admin, or choose your own Zoom account in Settings → Integrations.");
  const user = await memberZoomUser(db, organisationId, host.id);
  if (!user) throw waiting('The organisation has no Zoom user for you yet: ask an organisation admin to map you to a Zoom user (or to set a default Zoom user).');
  return { credential: organisationCredential(organisationId), source: serverToServerSource(app, user.zoomUserId), zoomHostUserId: user.zoomUserId, organisationId };
}

/**
 * The credential that made the booking's meeting (or, for a create that has not finished, that its
 * first attempt chose). Old bookings (no credential stored) were made with the host's own link.
 */
export async function credentialForBooking(
  db: DbOrTx,
  booking: Pick<BookingRow, 'userId' | 'zoomCredential' | 'zoomHostUserId'>,
): Promise<MeetingCredential> {
  const organisationId = organisationOfCredential(booking.zoomCredential);
  if (!organisationId) return { credential: 'own', source: userOAuthSource(booking.userId), zoomHostUserId: null, organisationId: null };
  const app = await organisationZoomApp(db, organisationId);
  if (!app) throw waiting("The organisation's Zoom account that made this meeting is no longer set up: ask an organisation admin.");
  if (!booking.zoomHostUserId) throw waiting('This meeting was made with the organisation’s Zoom account but its Zoom user is unknown.');
  return {
    credential: organisationCredential(organisationId),
    source: serverToServerSource(app, booking.zoomHostUserId),
    zoomHostUserId: booking.zoomHostUserId,
    organisationId,
  };
}

/**
 * The Zoom settings and passcode of an organisation's meeting: the organisation's defaults with the
 * booking page's override (key by key), and — when they say 'generate', or the Zoom user's policy
 * requires one — a passcode that policy accepts (GET /users/{id}/settings). Nothing for the host's own link.
 */
export async function meetingOptionsFor(
  db: DbOrTx,
  credential: MeetingCredential,
  pageId: string | null,
): Promise<Pick<ZoomMeetingInput, 'settings' | 'password'>> {
  if (!credential.organisationId || !credential.zoomHostUserId) return {};
  const [organisation] = await db.select({ defaults: organisations.meetingDefaults }).from(organisations).where(eq(organisations.id, credential.organisationId)).limit(1);
  const [page] = pageId ? await db.select({ settings: bookingPages.meetingSettings }).from(bookingPages).where(eq(bookingPages.id, pageId)).limit(1) : [];
  const { passcode, ...settings } = effectiveMeetingSettings(organisation?.defaults, page?.settings);
  const policy = await zoomPasscodePolicy(credential.source, credential.zoomHostUserId);
  const password = passcode !== 'none' || policy.required ? passcodeFor(policy) : undefined;
  return { settings, ...(password ? { password } : {}) };
}

// ── Account-level back-off ─────────────────────────────────────────────────────────────────────────
// Every host of an organisation shares its Zoom account's rate limits: one 429 backs off the whole
// account (zoom_account_backoffs), so the other hosts' steps wait instead of hammering it. Zoom's
// per-user daily create limit (daily_limit) stays per user.

/** Without Retry-After, an account-level 429 backs off this long, doubling per hit up to the max. */
export const ACCOUNT_BACKOFF_MS = 30_000;
export const ACCOUNT_BACKOFF_MAX_MS = 15 * 60_000;

/** The account's back-off still running at `now`, or null. */
export async function accountBackoff(db: DbOrTx, organisationId: string, now: Date): Promise<{ until: Date; reason: string } | null> {
  const [row] = await db
    .select({ until: zoomAccountBackoffs.until, reason: zoomAccountBackoffs.reason })
    .from(zoomAccountBackoffs)
    .where(and(eq(zoomAccountBackoffs.organisationId, organisationId), gt(zoomAccountBackoffs.until, now)))
    .limit(1);
  return row ?? null;
}

/**
 * After a failure of an organisation credential: a 429 (rate_limited) writes or extends the account's
 * back-off (never shortens it) and returns its end; anything else returns null.
 */
export async function recordAccountRateLimit(db: DbOrTx, credential: Pick<MeetingCredential, 'organisationId'>, error: unknown, now: Date): Promise<Date | null> {
  if (!credential.organisationId || !isIntegrationError(error, 'rate_limited')) return null;
  const current = await db
    .select({ until: zoomAccountBackoffs.until, hits: zoomAccountBackoffs.hits, updatedAt: zoomAccountBackoffs.updatedAt })
    .from(zoomAccountBackoffs)
    .where(eq(zoomAccountBackoffs.organisationId, credential.organisationId))
    .limit(1);
  // Hits in a row (the last back-off ended less than a minute before this one) double the wait.
  const previous = current[0];
  const inARow = previous && previous.until.getTime() + 60_000 > now.getTime() ? previous.hits : 0;
  const delayMs = error.retryAfterMs ?? Math.min(ACCOUNT_BACKOFF_MAX_MS, ACCOUNT_BACKOFF_MS * 2 ** Math.min(inARow, 10));
  const until = new Date(now.getTime() + delayMs);
  const reason = error.message.slice(0, 500);
  const [row] = await db
    .insert(zoomAccountBackoffs)
    .values({ organisationId: credential.organisationId, until, reason, hits: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: zoomAccountBackoffs.organisationId,
      set: {
        until: sql`greatest(${zoomAccountBackoffs.until}, excluded.until)`,
        reason,
        hits: sql`case when ${zoomAccountBackoffs.until} + interval '1 minute' > ${now.toISOString()}::timestamptz then ${zoomAccountBackoffs.hits} + 1 else 1 end`,
        updatedAt: now,
      },
    })
    .returning({ until: zoomAccountBackoffs.until });
  return row?.until ?? until;
}

// ── Alternative hosts (collective team meetings) ─────────────────────────────────────────────────────

export type AlternativeHostCandidates = {
  /** The other members' Zoom emails, in the page's member order. */
  emails: string[];
  /** Members Aki knows no Zoom user of (no linked Zoom, no Zoom user in the organisation's account). */
  withoutZoom: string[];
};

/**
 * The Zoom users who may start a collective booking's meeting in its host's place: every other member
 * holding the time (their hold rows). For a meeting made with the organisation's account, each member's
 * Zoom user there (not the shared default user); for the host's own Zoom, each member's own linked
 * account — either way the other kind when that is all there is. Whether Zoom takes them (same account,
 * Licensed) is Zoom's to say. Null for any booking that is not a collective booking's host row.
 */
export async function alternativeHostCandidates(
  db: DbOrTx,
  booking: Pick<BookingRow, 'id' | 'pageId' | 'teamLeadId'>,
  credential: Pick<MeetingCredential, 'organisationId'>,
): Promise<AlternativeHostCandidates | null> {
  if (booking.teamLeadId !== null || !booking.pageId) return null;
  const rows = await db
    .select({
      name: users.name,
      email: users.email,
      ownEmail: zoomConnections.zoomEmail,
      ownStatus: zoomConnections.status,
      orgEmail: organisationMembers.zoomUserEmail,
      orgMapping: organisationMembers.zoomMapping,
    })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.userId))
    .leftJoin(zoomConnections, eq(zoomConnections.userId, bookings.userId))
    .leftJoin(organisationMembers, eq(organisationMembers.userId, bookings.userId))
    .leftJoin(teamPageMembers, and(eq(teamPageMembers.pageId, booking.pageId), eq(teamPageMembers.userId, bookings.userId)))
    .where(and(eq(bookings.teamLeadId, booking.id), eq(bookings.status, 'confirmed')))
    .orderBy(asc(teamPageMembers.position));
  if (rows.length === 0) return null;
  const emails: string[] = [];
  const withoutZoom: string[] = [];
  for (const row of rows) {
    const own = row.ownStatus === 'active' ? row.ownEmail : null;
    // The organisation's default user stands in for many members: it is nobody's own Zoom user.
    const organisation = row.orgMapping !== 'default' ? row.orgEmail : null;
    const email = credential.organisationId ? (organisation ?? own) : (own ?? organisation);
    if (email) {
      if (!emails.some((e) => e.toLowerCase() === email.toLowerCase())) emails.push(email);
    } else withoutZoom.push(row.name ?? row.email);
  }
  return { emails, withoutZoom };
}
