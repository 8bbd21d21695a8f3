import 'server-only';
import { and, eq } from 'drizzle-orm';
import { decryptSecret } from '@/lib/crypto';
import type { Db, DbOrTx } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { type MeetingDefaults, organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { env } from '@/lib/env';
import { isIntegrationError } from '@/lib/errors';
import { type S2sApp, serverToServerSource } from '@/lib/zoom/s2s';
import { findZoomUser, type ZoomAccountUser } from '@/lib/zoom/users';

import { BASELINE_MEETING_SETTINGS, cleanMeetingSettings } from './meeting-settings';
import { membershipOf } from './queries';

export { effectiveMeetingSettings } from './meeting-settings';

/**
 * The organisation's Zoom account as the meeting pipeline needs it: its Server-to-Server app, and
 * the Zoom user each member's meetings are created under. The admin side (saving credentials, Test
 * connection, mapping) is lib/organisations/zoom-admin.ts.
 */

/** The instance organisation's app comes from ZOOM_S2S_* when set (env wins over saved columns). */
function envApp(organisationId: string): S2sApp | null {
  const s2s = env().zoomS2s;
  return s2s ? { key: organisationId, accountId: s2s.accountId, clientId: s2s.clientId, clientSecret: s2s.clientSecret } : null;
}

/** The organisation's S2S app (decrypted settings, or ZOOM_S2S_* for the instance organisation); null when it has none. */
export async function organisationZoomApp(db: DbOrTx, organisationId: string): Promise<S2sApp | null> {
  const [row] = await db
    .select({
      isInstance: organisations.isInstance,
      accountId: organisations.zoomAccountId,
      clientId: organisations.zoomClientId,
      secretEnc: organisations.zoomClientSecretEnc,
    })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .limit(1);
  if (!row) return null;
  if (row.isInstance) {
    const fromEnv = envApp(organisationId);
    if (fromEnv) return fromEnv;
  }
  if (!row.accountId || !row.clientId || !row.secretEnc) return null;
  return { key: organisationId, accountId: row.accountId, clientId: row.clientId, clientSecret: decryptSecret(row.secretEnc) };
}

/**
 * The secret token that verifies the organisation's account-level webhooks
 * (`/api/webhooks/zoom/organisations/{id}`): ZOOM_S2S_WEBHOOK_SECRET_TOKEN for the instance
 * organisation configured by env, else the saved one; null when there is none (refuse the event).
 */
export async function organisationZoomWebhookSecret(db: DbOrTx, organisationId: string): Promise<string | null> {
  const [row] = await db
    .select({ isInstance: organisations.isInstance, secretEnc: organisations.zoomWebhookSecretEnc })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .limit(1);
  if (!row) return null;
  const s2s = env().zoomS2s;
  if (row.isInstance && s2s) return s2s.webhookSecretToken;
  return row.secretEnc ? decryptSecret(row.secretEnc) : null;
}

/**
 * The Zoom user a member's meetings are created under: their mapped user, else the organisation's
 * default user; null when neither exists (the booking then waits, visibly, for an admin) or when
 * `userId` is not a member of this organisation. A member never mapped yet is looked up by email
 * first (mapMemberZoomUser), so a host who joined after the credentials were saved needs no admin step.
 */
export async function memberZoomUser(db: Db, organisationId: string, userId: string): Promise<{ zoomUserId: string; via: 'email' | 'chosen' | 'created' | 'default' } | null> {
  const [row] = await db
    .select({
      zoomUserId: organisationMembers.zoomUserId,
      zoomMapping: organisationMembers.zoomMapping,
      defaultUserId: organisations.zoomDefaultUserId,
    })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)))
    .limit(1);
  if (!row) return null;
  if (row.zoomUserId && row.zoomMapping && row.zoomMapping !== 'default') return { zoomUserId: row.zoomUserId, via: row.zoomMapping };
  if (row.zoomMapping === null) {
    // Never mapped (joined after the credentials were saved, or before any "map all"): look them up now, once.
    const mapped = await mapMemberZoomUser(db, organisationId, userId);
    if (mapped?.zoomUserId && mapped.mapping && mapped.mapping !== 'default') return { zoomUserId: mapped.zoomUserId, via: mapped.mapping };
  }
  if (row.defaultUserId) return { zoomUserId: row.defaultUserId, via: 'default' };
  return null;
}

/**
 * The organisation's meeting defaults, complete (Aki's baseline where the organisation says nothing),
 * for the booking page editor of a member: null when the host is in no organisation with a Zoom account.
 */
export async function editorMeetingDefaults(db: DbOrTx, userId: string): Promise<Required<MeetingDefaults> | null> {
  const membership = await membershipOf(userId, db);
  if (!membership?.hasZoom) return null;
  const [row] = await db.select({ meetingDefaults: organisations.meetingDefaults }).from(organisations).where(eq(organisations.id, membership.organisationId)).limit(1);
  return { ...BASELINE_MEETING_SETTINGS, ...cleanMeetingSettings(row?.meetingDefaults) };
}

// ── Members' Zoom users (mapping by email; the admin side is zoom-admin.ts) ──────────────────────

/** A source for the account's user APIs (they address users by id or email, never through the source's user). */
export const adminSource = (app: S2sApp) => serverToServerSource(app, '');

export type MemberMapping = {
  userId: string;
  zoomUserId: string | null;
  zoomUserEmail: string | null;
  mapping: 'email' | 'chosen' | 'created' | 'default' | null;
  problem: string | null;
};

export async function memberRow(db: DbOrTx, organisationId: string, userId: string) {
  const [row] = await db
    .select({
      userId: organisationMembers.userId,
      email: users.email,
      name: users.name,
      zoomUserId: organisationMembers.zoomUserId,
      zoomUserEmail: organisationMembers.zoomUserEmail,
      mapping: organisationMembers.zoomMapping,
      problem: organisationMembers.zoomMappingProblem,
    })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)))
    .limit(1);
  return row ?? null;
}

export async function storeMapping(db: DbOrTx, organisationId: string, mapping: MemberMapping): Promise<MemberMapping> {
  await db
    .update(organisationMembers)
    .set({ zoomUserId: mapping.zoomUserId, zoomUserEmail: mapping.zoomUserEmail, zoomMapping: mapping.mapping, zoomMappingProblem: mapping.problem, updatedAt: new Date() })
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, mapping.userId)));
  return mapping;
}

/**
 * Finds a member's Zoom user automatically: the account's user with the member's email
 * (`GET /users/{email}`) → 'email'; none → the organisation's default user ('default', problem
 * `not_found_by_email`). An admin's choice ('chosen', 'created') is kept. Idempotent; null when the
 * user is not a member or the organisation has no Zoom app. A failed lookup is recorded as the
 * problem (`lookup_failed:<reason>`) and keeps the previous mapping; it never throws for Zoom.
 */
export async function mapMemberZoomUser(db: DbOrTx, organisationId: string, userId: string): Promise<MemberMapping | null> {
  const member = await memberRow(db, organisationId, userId);
  if (!member) return null;
  const current: MemberMapping = { userId, zoomUserId: member.zoomUserId, zoomUserEmail: member.zoomUserEmail, mapping: member.mapping, problem: member.problem };
  if ((member.mapping === 'chosen' || member.mapping === 'created') && member.zoomUserId) return current;
  const app = await organisationZoomApp(db, organisationId);
  if (!app) return null;
  let found: ZoomAccountUser | null;
  try {
    found = await findZoomUser(adminSource(app), member.email);
  } catch (error) {
    const reason = isIntegrationError(error) ? error.reason : 'error';
    return storeMapping(db, organisationId, { ...current, problem: `lookup_failed:${reason}` });
  }
  if (found) return storeMapping(db, organisationId, { userId, zoomUserId: found.id, zoomUserEmail: found.email, mapping: 'email', problem: null });
  return storeMapping(db, organisationId, { userId, zoomUserId: null, zoomUserEmail: null, mapping: 'default', problem: 'not_found_by_email' });
}

