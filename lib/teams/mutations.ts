import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { invalidateHostSlots } from '@/lib/booking-pages/queries';
import type { BookingPageInput } from '@/lib/booking-pages/schema';
import { toPageValues } from '@/lib/booking-pages/utils';
import { type Db, getDb, type Tx } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages, TEAM_KINDS, teamPageMembers } from '@/lib/db/schema/booking-pages';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { AppError } from '@/lib/errors';
import { RESERVED_HANDLES } from '@/lib/hosts/schema';
import { lockCaller, requireManager } from '@/lib/organisations/mutations';
import { forgetCachedTeamPages } from './queries';
import { forgetCachedTeamSlots } from './slots';

/**
 * Team pages belong to an organisation; its owners and admins make and change them (authorisation is
 * part of each mutation, after locking the caller's organisation like every organisation change).
 */

/** The organisation's public address (/team/{slug}): the handle rules (lowercase, 3–32 characters, no app route names). */
export const teamSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$/, 'slug_format')
  .refine((slug) => !RESERVED_HANDLES.has(slug), 'slug_reserved');

export const teamMembersSchema = z
  .array(
    z.object({
      userId: z.string().min(1),
      weight: z.number().int().min(1).max(10).default(1),
      scheduleId: z.string().min(1).nullable().default(null),
    }),
  )
  .min(1, 'members_required')
  .max(50, 'too_many_members')
  .refine((members) => new Set(members.map((m) => m.userId)).size === members.length, 'duplicate_member');

export const teamSettingsSchema = z.object({ kind: z.enum(TEAM_KINDS), members: teamMembersSchema });
export type TeamSettings = z.infer<typeof teamSettingsSchema>;
export type TeamSettingsRaw = z.input<typeof teamSettingsSchema>;

const isUniqueViolation = (error: unknown): boolean => {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return (error as { code?: unknown } | null)?.code === '23505' || cause?.code === '23505';
};

const invalid = (fields: Record<string, string>) => new AppError('invalid_input', 'Please check the highlighted fields', { fields });

/** Sets the organisation's public slug (owner/admin). */
export async function setTeamSlug(userId: string, rawSlug: string, db?: Db): Promise<{ slug: string }> {
  const parsed = teamSlugSchema.safeParse(rawSlug);
  if (!parsed.success) throw invalid({ slug: parsed.error.issues[0]?.message ?? 'slug_format' });
  const client = db ?? (await getDb());
  try {
    await client.transaction(async (tx) => {
      const caller = await lockCaller(tx, userId);
      requireManager(caller);
      await tx.update(organisations).set({ slug: parsed.data, updatedAt: new Date() }).where(eq(organisations.id, caller.organisationId));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid({ slug: 'slug_taken' });
    throw error;
  }
  forgetCachedTeamPages();
  return { slug: parsed.data };
}

/** Every member must be in the caller's organisation, and a member's schedule their own. */
async function assertMembers(tx: Tx, organisationId: string, members: TeamSettings['members']): Promise<void> {
  const ids = members.map((m) => m.userId);
  const inOrg = await tx
    .select({ userId: organisationMembers.userId })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), inArray(organisationMembers.userId, ids)));
  if (inOrg.length !== ids.length) throw invalid({ members: 'not_in_organisation' });
  const scheduled = members.filter((m) => m.scheduleId);
  if (scheduled.length === 0) return;
  const schedules = await tx
    .select({ id: availabilitySchedules.id, userId: availabilitySchedules.userId })
    .from(availabilitySchedules)
    .where(
      inArray(
        availabilitySchedules.id,
        scheduled.map((m) => m.scheduleId!),
      ),
    );
  if (!scheduled.every((m) => schedules.some((s) => s.id === m.scheduleId && s.userId === m.userId))) throw invalid({ members: 'schedule_not_member' });
}

async function writeMembers(tx: Tx, pageId: string, members: TeamSettings['members']): Promise<void> {
  await tx.delete(teamPageMembers).where(eq(teamPageMembers.pageId, pageId));
  await tx.insert(teamPageMembers).values(members.map((m, position) => ({ pageId, userId: m.userId, weight: m.weight, scheduleId: m.scheduleId, position })));
}

function forgetTeamCaches(memberIds: readonly string[]): void {
  for (const id of memberIds) invalidateHostSlots(id);
  forgetCachedTeamPages();
  forgetCachedTeamSlots();
}

/** A team page of the caller's organisation (owner/admin), with its kind and members. */
export async function createTeamPage(userId: string, input: BookingPageInput, team: TeamSettings, db?: Db): Promise<{ id: string }> {
  const client = db ?? (await getDb());
  try {
    const page = await client.transaction(async (tx) => {
      const caller = await lockCaller(tx, userId);
      requireManager(caller);
      await assertMembers(tx, caller.organisationId, team.members);
      const [row] = await tx
        .insert(bookingPages)
        // A team page has no shared schedule of the admin's: members bring their own (team_page_members.schedule_id).
        .values({ userId, ...toPageValues({ ...input, scheduleId: null }), organisationId: caller.organisationId, teamKind: team.kind })
        .returning({ id: bookingPages.id });
      await writeMembers(tx, row!.id, team.members);
      return row!;
    });
    forgetTeamCaches(team.members.map((m) => m.userId));
    return page;
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid({ slug: 'slug_taken' });
    throw error;
  }
}

/** Replaces a team page's fields, kind and members (owner/admin of its organisation; another organisation's page is not_found). */
export async function updateTeamPage(userId: string, pageId: string, input: BookingPageInput, team: TeamSettings, db?: Db): Promise<void> {
  const client = db ?? (await getDb());
  let previous: string[] = [];
  try {
    await client.transaction(async (tx) => {
      const caller = await lockCaller(tx, userId);
      requireManager(caller);
      await assertMembers(tx, caller.organisationId, team.members);
      previous = (await tx.select({ userId: teamPageMembers.userId }).from(teamPageMembers).where(eq(teamPageMembers.pageId, pageId))).map((r) => r.userId);
      const updated = await tx
        .update(bookingPages)
        .set({ ...toPageValues({ ...input, scheduleId: null }), teamKind: team.kind, updatedAt: new Date() })
        .where(and(eq(bookingPages.id, pageId), eq(bookingPages.organisationId, caller.organisationId)))
        .returning({ id: bookingPages.id });
      if (updated.length === 0) throw new AppError('not_found', 'Booking page not found');
      await writeMembers(tx, pageId, team.members);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid({ slug: 'slug_taken' });
    throw error;
  }
  forgetTeamCaches([...previous, ...team.members.map((m) => m.userId)]);
}

/** Deletes a team page (owner/admin). Its bookings keep their snapshot, as a personal page's do. */
export async function deleteTeamPage(userId: string, pageId: string, db?: Db): Promise<void> {
  const client = db ?? (await getDb());
  await client.transaction(async (tx) => {
    const caller = await lockCaller(tx, userId);
    requireManager(caller);
    const deleted = await tx
      .delete(bookingPages)
      .where(and(eq(bookingPages.id, pageId), eq(bookingPages.organisationId, caller.organisationId)))
      .returning({ id: bookingPages.id });
    if (deleted.length === 0) throw new AppError('not_found', 'Booking page not found');
  });
  forgetTeamCaches([]);
}
