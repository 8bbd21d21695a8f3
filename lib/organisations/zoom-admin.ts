import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { encryptSecret } from '@/lib/crypto';
import type { Db, DbOrTx } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { type MeetingDefaults, organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { env } from '@/lib/env';
import { AppError, isIntegrationError } from '@/lib/errors';
import { invalidInput } from '@/lib/http';
import { checkServerToServerApp, type S2sApp, type S2sCheck, type S2sCheckFailure, } from '@/lib/zoom/s2s';
import { createZoomUser, findZoomUser, listZoomUsers, type ZoomAccountUser } from '@/lib/zoom/users';
import { cleanMeetingSettings, meetingSettingsSchema } from './meeting-settings';
import { membershipOf } from './queries';
import { adminSource, type MemberMapping, mapMemberZoomUser, memberRow, organisationZoomApp, storeMapping } from './zoom';

export { type MemberMapping, mapMemberZoomUser };

/**
 * Organisation → Zoom, the admin side (owners and admins only): the Server-to-Server app's
 * credentials (secrets encrypted, never sent back), Test connection, each member's Zoom user
 * (by email, chosen, created, or the default user), the default user and the meeting defaults.
 * Every function is scoped by the organisation id the caller's membership gave (never one from the
 * browser), and a member id of another organisation is not_found.
 */

// ── Who may ──────────────────────────────────────────────────────────────────────────────────────

/** The host's organisation when they are its owner or admin; not_found otherwise (a member never learns more). */
export async function requireZoomAdmin(hostId: string, db?: DbOrTx): Promise<{ organisationId: string; organisationName: string; isInstance: boolean }> {
  const membership = await membershipOf(hostId, db);
  if (!membership || membership.role === 'member') throw new AppError('not_found', 'No organisation Zoom settings here');
  return { organisationId: membership.organisationId, organisationName: membership.organisationName, isInstance: membership.isInstance };
}

// ── Reading ──────────────────────────────────────────────────────────────────────────────────────

export type ZoomCheckState = {
  status: 'ok' | 'failed' | null;
  reason: S2sCheckFailure | null;
  missingScopes: string[];
  checkedAt: Date | null;
  scopes: string[];
};

export type OrganisationZoomView = {
  organisationId: string;
  organisationName: string;
  isInstance: boolean;
  /** ZOOM_S2S_* configure this (instance) organisation: the values cannot be edited here. */
  fromEnv: boolean;
  /** Non-secret values, shown back; the secrets only as "saved". */
  accountId: string | null;
  clientId: string | null;
  hasClientSecret: boolean;
  hasWebhookSecret: boolean;
  configured: boolean;
  check: ZoomCheckState;
  defaultUser: { id: string; email: string | null } | null;
  meetingDefaults: MeetingDefaults;
};

/** `reason` or `missing_scope scope1 scope2` (scopes hold colons, never spaces). */
const encodeCheckReason = (check: Extract<S2sCheck, { ok: false }>) =>
  check.reason === 'missing_scope' && check.missingScopes?.length ? ['missing_scope', ...check.missingScopes].join(' ') : check.reason;

function decodeCheckReason(value: string | null): { reason: S2sCheckFailure | null; missingScopes: string[] } {
  if (!value) return { reason: null, missingScopes: [] };
  const [reason, ...missingScopes] = value.split(' ');
  return { reason: reason as S2sCheckFailure, missingScopes };
}

const envConfigured = (isInstance: boolean) => isInstance && env().zoomS2s !== null;

export async function organisationZoomView(db: DbOrTx, organisationId: string): Promise<OrganisationZoomView> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, organisationId)).limit(1);
  if (!row) throw new AppError('not_found', 'No such organisation');
  const fromEnv = envConfigured(row.isInstance);
  const s2s = fromEnv ? env().zoomS2s : null;
  return {
    organisationId: row.id,
    organisationName: row.name,
    isInstance: row.isInstance,
    fromEnv,
    accountId: s2s ? s2s.accountId : row.zoomAccountId,
    clientId: s2s ? s2s.clientId : row.zoomClientId,
    hasClientSecret: s2s ? true : row.zoomClientSecretEnc !== null,
    hasWebhookSecret: s2s ? s2s.webhookSecretToken !== null : row.zoomWebhookSecretEnc !== null,
    configured: fromEnv || Boolean(row.zoomAccountId && row.zoomClientId && row.zoomClientSecretEnc),
    check: {
      status: row.zoomCheckStatus,
      ...decodeCheckReason(row.zoomCheckReason),
      checkedAt: row.zoomCheckedAt,
      scopes: row.zoomScopes ? row.zoomScopes.split(' ').filter(Boolean) : [],
    },
    defaultUser: row.zoomDefaultUserId ? { id: row.zoomDefaultUserId, email: row.zoomDefaultUserEmail } : null,
    meetingDefaults: cleanMeetingSettings(row.meetingDefaults),
  };
}

export type MemberZoomRow = {
  userId: string;
  name: string | null;
  email: string;
  role: 'owner' | 'admin' | 'member';
  zoomUserId: string | null;
  zoomUserEmail: string | null;
  mapping: 'email' | 'chosen' | 'created' | 'default' | null;
  problem: string | null;
};

/** The per-member status table. */
export async function memberZoomRows(db: DbOrTx, organisationId: string): Promise<MemberZoomRow[]> {
  return db
    .select({
      userId: organisationMembers.userId,
      name: users.name,
      email: users.email,
      role: organisationMembers.role,
      zoomUserId: organisationMembers.zoomUserId,
      zoomUserEmail: organisationMembers.zoomUserEmail,
      mapping: organisationMembers.zoomMapping,
      problem: organisationMembers.zoomMappingProblem,
    })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(asc(users.email));
}


async function requireApp(db: DbOrTx, organisationId: string): Promise<S2sApp> {
  const app = await organisationZoomApp(db, organisationId);
  if (!app) throw new AppError('not_configured', 'The organisation has no Zoom account yet');
  return app;
}

/** Every user of the organisation's Zoom account (for the pickers); null when it has no app. */
export async function organisationZoomUsers(db: DbOrTx, organisationId: string): Promise<ZoomAccountUser[] | null> {
  const app = await organisationZoomApp(db, organisationId);
  return app ? listZoomUsers(adminSource(app)) : null;
}

// ── Credentials and Test connection ──────────────────────────────────────────────────────────────

const idField = z
  .string()
  .trim()
  .min(1, 'required')
  .max(128, 'too_long')
  .regex(/^[A-Za-z0-9._~-]+$/, 'format');
const secretField = z
  .string()
  .trim()
  .max(256, 'too_long')
  .regex(/^[\x21-\x7e]*$/, 'format');

export const zoomCredentialsSchema = z.object({
  accountId: idField,
  clientId: idField,
  /** Empty: keep the saved secret (required when none is saved). */
  clientSecret: secretField.default(''),
  /** Empty: keep the saved one; `clearWebhookSecret` removes it. */
  webhookSecret: secretField.default(''),
  clearWebhookSecret: z.boolean().default(false),
});
export type ZoomCredentialsInput = z.input<typeof zoomCredentialsSchema>;

export type TestConnectionResult = { ok: true; usersCount: number; canCreateUsers: boolean } | { ok: false; reason: S2sCheckFailure; missingScopes: string[]; detail: string | null };

/** Runs Test connection against the organisation's app and stores its outcome (status, reason, when, scopes). */
export async function testOrganisationZoom(db: DbOrTx, organisationId: string, now = new Date()): Promise<TestConnectionResult> {
  const app = await requireApp(db, organisationId);
  let check: S2sCheck;
  try {
    check = await checkServerToServerApp(app);
  } catch (error) {
    // The check answers Zoom's refusals itself; anything thrown is reported, never a 500.
    check = { ok: false, reason: 'unexpected_response', detail: error instanceof Error ? error.message : String(error) };
  }
  if (check.ok) {
    await db
      .update(organisations)
      .set({ zoomCheckStatus: 'ok', zoomCheckReason: null, zoomCheckedAt: now, zoomScopes: check.scopes.join(' '), updatedAt: now })
      .where(eq(organisations.id, organisationId));
    return { ok: true, usersCount: check.users.length, canCreateUsers: check.canCreateUsers };
  }
  await db
    .update(organisations)
    .set({ zoomCheckStatus: 'failed', zoomCheckReason: encodeCheckReason(check), zoomCheckedAt: now, updatedAt: now })
    .where(eq(organisations.id, organisationId));
  return { ok: false, reason: check.reason, missingScopes: check.missingScopes ?? [], detail: check.detail ?? null };
}

/**
 * Saves the organisation's S2S app (owner/admin; the caller checked), then runs Test connection and,
 * when it passes, maps every member. A different account forgets the old account's mappings and
 * default user (those ids mean nothing in the new one).
 */
export async function saveOrganisationZoomCredentials(
  db: Db,
  organisationId: string,
  values: unknown,
  now = new Date(),
): Promise<{ test: TestConnectionResult; mapped: number }> {
  const parsed = zoomCredentialsSchema.safeParse(values);
  if (!parsed.success) throw invalidInput(parsed.error);
  const input = parsed.data;
  const [row] = await db.select().from(organisations).where(eq(organisations.id, organisationId)).limit(1);
  if (!row) throw new AppError('not_found', 'No such organisation');
  if (envConfigured(row.isInstance)) throw new AppError('conflict', "The instance organisation's Zoom app comes from the server's environment (ZOOM_S2S_*)");
  if (!input.clientSecret && !row.zoomClientSecretEnc) throw new AppError('invalid_input', 'Invalid input', { fields: { clientSecret: 'required' } });

  const accountChanged = row.zoomAccountId !== null && row.zoomAccountId !== input.accountId;
  await db.transaction(async (tx) => {
    await tx
      .update(organisations)
      .set({
        zoomAccountId: input.accountId,
        zoomClientId: input.clientId,
        ...(input.clientSecret ? { zoomClientSecretEnc: encryptSecret(input.clientSecret) } : {}),
        ...(input.webhookSecret ? { zoomWebhookSecretEnc: encryptSecret(input.webhookSecret) } : input.clearWebhookSecret ? { zoomWebhookSecretEnc: null } : {}),
        ...(accountChanged ? { zoomDefaultUserId: null, zoomDefaultUserEmail: null } : {}),
        zoomCheckStatus: null,
        zoomCheckReason: null,
        zoomCheckedAt: null,
        zoomScopes: null,
        updatedAt: now,
      })
      .where(eq(organisations.id, organisationId));
    if (accountChanged) {
      await tx
        .update(organisationMembers)
        .set({ zoomUserId: null, zoomUserEmail: null, zoomMapping: null, zoomMappingProblem: null, updatedAt: now })
        .where(eq(organisationMembers.organisationId, organisationId));
    }
  });
  const test = await testOrganisationZoom(db, organisationId, now);
  const mapped = test.ok ? await mapAllMembers(db, organisationId) : 0;
  return { test, mapped };
}

// ── Mapping members to Zoom users ────────────────────────────────────────────────────────────────

async function requireMember(db: DbOrTx, organisationId: string, userId: string) {
  const row = await memberRow(db, organisationId, String(userId));
  if (!row) throw new AppError('not_found', 'No such member');
  return row;
}

/** "Map all": every member without an admin's choice, one after the other (the account's rate limits are shared). */
export async function mapAllMembers(db: DbOrTx, organisationId: string): Promise<number> {
  const members = await db
    .select({ userId: organisationMembers.userId })
    .from(organisationMembers)
    .where(eq(organisationMembers.organisationId, organisationId));
  let mapped = 0;
  for (const { userId } of members) {
    const result = await mapMemberZoomUser(db, organisationId, userId);
    if (result?.zoomUserId) mapped++;
  }
  return mapped;
}

/** An admin picks the member's Zoom user from the account's list ('chosen'); an empty id goes back to automatic (by email). */
export async function chooseMemberZoomUser(db: DbOrTx, organisationId: string, userId: string, zoomUserId: string): Promise<MemberMapping | null> {
  await requireMember(db, organisationId, userId);
  const id = String(zoomUserId ?? '').trim();
  if (!id) {
    await storeMapping(db, organisationId, { userId, zoomUserId: null, zoomUserEmail: null, mapping: null, problem: null });
    return mapMemberZoomUser(db, organisationId, userId);
  }
  const app = await requireApp(db, organisationId);
  const user = await findZoomUser(adminSource(app), id);
  if (!user) throw new AppError('invalid_input', 'Invalid input', { fields: { zoomUserId: 'not_in_account' } });
  return storeMapping(db, organisationId, { userId, zoomUserId: user.id, zoomUserEmail: user.email, mapping: 'chosen', problem: null });
}

export type CreateZoomUserResult = { created: true; mapping: MemberMapping; status: string } | { created: false; zoomSaid: string };

/** Creates a Zoom user (Basic) with the member's email and maps them to it; Zoom's refusal comes back in its own words. */
export async function createMemberZoomUser(db: DbOrTx, organisationId: string, userId: string): Promise<CreateZoomUserResult> {
  const member = await requireMember(db, organisationId, userId);
  const app = await requireApp(db, organisationId);
  const [firstName, ...rest] = (member.name?.trim() || member.email.split('@')[0] || member.email).split(/\s+/);
  let user: ZoomAccountUser;
  try {
    user = await createZoomUser(adminSource(app), { email: member.email, firstName: firstName || member.email, lastName: rest.join(' '), type: 1 });
  } catch (error) {
    if (isIntegrationError(error) && (error.reason === 'invalid_request' || error.reason === 'forbidden' || error.reason === 'plan_required' || error.reason === 'missing_scope')) {
      const said = error.providerMessage ?? error.message;
      return { created: false, zoomSaid: error.reason === 'missing_scope' ? `${said} (user:write:user:admin)` : said };
    }
    throw error;
  }
  const mapping = await storeMapping(db, organisationId, { userId, zoomUserId: user.id, zoomUserEmail: user.email, mapping: 'created', problem: null });
  return { created: true, mapping, status: user.status };
}

/** The organisation's default Zoom user (a user of the account), or none (empty id). */
export async function setDefaultZoomUser(db: DbOrTx, organisationId: string, zoomUserId: string): Promise<{ id: string; email: string } | null> {
  const id = String(zoomUserId ?? '').trim();
  if (!id) {
    await db.update(organisations).set({ zoomDefaultUserId: null, zoomDefaultUserEmail: null, updatedAt: new Date() }).where(eq(organisations.id, organisationId));
    return null;
  }
  const app = await requireApp(db, organisationId);
  const user = await findZoomUser(adminSource(app), id);
  if (!user) throw new AppError('invalid_input', 'Invalid input', { fields: { zoomUserId: 'not_in_account' } });
  await db.update(organisations).set({ zoomDefaultUserId: user.id, zoomDefaultUserEmail: user.email, updatedAt: new Date() }).where(eq(organisations.id, organisationId));
  return { id: user.id, email: user.email };
}

// ── Meeting defaults ─────────────────────────────────────────────────────────────────────────────

export async function saveMeetingDefaults(db: DbOrTx, organisationId: string, values: unknown): Promise<MeetingDefaults> {
  const parsed = meetingSettingsSchema.safeParse(values);
  if (!parsed.success) throw invalidInput(parsed.error);
  await db.update(organisations).set({ meetingDefaults: parsed.data, updatedAt: new Date() }).where(eq(organisations.id, organisationId));
  return parsed.data;
}
