import 'server-only';
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { bookingPageInputSchema } from '@/lib/booking-pages/schema';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { organisationMembers } from '@/lib/db/schema/organisations';
import { createOrganisation } from '@/lib/organisations/mutations';
import { createTeamPage, setTeamSlug, teamSettingsSchema } from '@/lib/teams/mutations';
import { readSignedTestRequest } from './e2e-session';

/**
 * Team set-up for the e2e suite (app/api/testing/team, demo mode only, signed like the test session):
 * an organisation owned by the first host with the others as members, its public slug and team pages
 * — through the product's own mutations (createOrganisation, setTeamSlug, createTeamPage), so a spec
 * about guests does not depend on the admin screens. The hosts must exist (signed in and onboarded).
 */

const bodySchema = z.object({
  issuedAt: z.number().int(),
  /** The owner first; every host must already have an account. */
  hostEmails: z.array(z.email()).min(1).max(10),
  name: z.string().min(1),
  slug: z.string().min(1),
  pages: z.array(z.object({ kind: z.enum(['round_robin', 'collective']), page: z.unknown() })).max(10),
});

export async function createTestTeam(request: Request): Promise<Response> {
  const parsed = await readSignedTestRequest(request, bodySchema);
  if (parsed instanceof Response) return parsed;
  const { hostEmails, name, slug, pages } = parsed;

  const db = await getDb();
  const emails = hostEmails.map((e) => e.toLowerCase());
  const rows = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails));
  const ids = emails.map((e) => rows.find((r) => r.email === e)?.id);
  if (ids.some((id) => !id)) return new Response('Unknown host', { status: 400 });
  const [ownerId, ...memberIds] = ids as string[];

  const { id: organisationId } = await createOrganisation(ownerId!, name, db);
  // Membership as an accepted invitation leaves it (organisation.spec.ts covers the invitation itself).
  if (memberIds.length > 0) await db.insert(organisationMembers).values(memberIds.map((userId) => ({ organisationId, userId, role: 'member' as const })));
  await setTeamSlug(ownerId!, slug, db);
  const members = (ids as string[]).map((userId) => ({ userId }));
  const created: { slug: string; id: string }[] = [];
  for (const p of pages) {
    const input = bookingPageInputSchema.parse(p.page);
    const { id } = await createTeamPage(ownerId!, input, teamSettingsSchema.parse({ kind: p.kind, members }), db);
    created.push({ slug: input.slug, id });
  }
  const [owner] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, ownerId!));
  return Response.json({ organisationId, slug, pages: created, ownerHandle: owner?.handle ?? null }, { headers: { 'cache-control': 'no-store' } });
}
