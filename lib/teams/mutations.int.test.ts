import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bookingPageInputSchema } from '@/lib/booking-pages/schema';
import { defaultWeeklyHours, newPageInput } from '@/lib/booking-pages/utils';
import { getDb } from '@/lib/db/client';
import { availabilitySchedules } from '@/lib/db/schema/availability';
import { bookingPages, teamPageMembers } from '@/lib/db/schema/booking-pages';
import { users } from '@/lib/db/schema/hosts';
import { acceptInvite, createOrganisation, inviteMember, leaveOrganisation, removeMember } from '@/lib/organisations/mutations';
import { organisationSlug, teamMemberChoices, teamPageForEditor } from './editor';
import { createTeamPage, deleteTeamPage, setTeamSlug, type TeamSettings, updateTeamPage } from './mutations';
import { getPublicTeamPage, teamPagesOfOrganisation } from './queries';

/**
 * Team pages, the admin side: owners and admins set the organisation's address and create, change
 * and delete its team pages; a member (role member) is refused; another organisation's page is
 * not_found; only the organisation's own members can be picked.
 */

let counter = 0;
async function makeHost(label: string) {
  counter += 1;
  const handle = `${label}-${counter}`;
  const db = await getDb();
  const [host] = await db.insert(users).values({ email: `${handle}@example.com`, name: `Host ${handle}`, handle, timeZone: 'Asia/Tokyo', locale: 'en' }).returning();
  return host!;
}

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message?: string; details?: Record<string, unknown> }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to be refused').not.toBeNull();
  return error as { code?: string; message?: string; details?: Record<string, unknown> };
}

/** An organisation with an owner, an admin and a member (all joined through invitations). */
async function organisationWithPeople(label: string) {
  const owner = await makeHost(`${label}-owner`);
  const { id } = await createOrganisation(owner.id, `Org ${label}`);
  const admin = await makeHost(`${label}-admin`);
  const member = await makeHost(`${label}-member`);
  await acceptInvite(admin, (await inviteMember(owner.id, { email: admin.email, role: 'admin' })).token);
  await acceptInvite(member, (await inviteMember(owner.id, { email: member.email, role: 'member' })).token);
  return { id, owner, admin, member };
}

const pageInput = (slug: string, title = 'Team intro') => bookingPageInputSchema.parse(newPageInput({ title, slug, timeZone: 'Asia/Tokyo', zoomLinked: false }));

describe('the organisation address', () => {
  it('an admin sets it; a member is refused; bad, reserved and taken slugs are field errors', async () => {
    const a = await organisationWithPeople('slug-a');
    const b = await organisationWithPeople('slug-b');
    const slug = `acme-${Date.now().toString(36)}`;

    expect(await setTeamSlug(a.admin.id, `  ${slug.toUpperCase()} `)).toEqual({ slug });
    expect(await organisationSlug(a.id)).toBe(slug);
    expect(await failure(setTeamSlug(a.member.id, 'members-cannot'))).toMatchObject({ code: 'forbidden' });

    expect(await failure(setTeamSlug(b.owner.id, 'a'))).toMatchObject({ code: 'invalid_input', details: { fields: { slug: 'slug_format' } } });
    expect(await failure(setTeamSlug(b.owner.id, '-bad-'))).toMatchObject({ code: 'invalid_input', details: { fields: { slug: 'slug_format' } } });
    expect(await failure(setTeamSlug(b.owner.id, 'dashboard'))).toMatchObject({ code: 'invalid_input', details: { fields: { slug: 'slug_reserved' } } });
    expect(await failure(setTeamSlug(b.owner.id, slug))).toMatchObject({ code: 'invalid_input', details: { fields: { slug: 'slug_taken' } } });
    expect(await organisationSlug(b.id)).toBeNull();
    // Setting one's own slug again is fine.
    expect(await setTeamSlug(a.owner.id, slug)).toEqual({ slug });
  });
});

describe('team pages', () => {
  it('an admin creates, updates and deletes a team page', async () => {
    const org = await organisationWithPeople('crud');
    const slug = `crud-${Date.now().toString(36)}`;
    await setTeamSlug(org.admin.id, slug);

    const team: TeamSettings = {
      kind: 'round_robin',
      members: [
        { userId: org.owner.id, weight: 1, scheduleId: null },
        { userId: org.member.id, weight: 3, scheduleId: null },
      ],
    };
    const { id } = await createTeamPage(org.admin.id, pageInput('intro'), team);

    const listed = await teamPagesOfOrganisation(org.id);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, slug: 'intro', title: 'Team intro', teamKind: 'round_robin', organisationId: org.id, memberIds: [org.owner.id, org.member.id] });
    const opened = await teamPageForEditor(org.id, id);
    expect(opened).toMatchObject({ id, input: { slug: 'intro', scheduleId: null }, team });
    const publicPage = await getPublicTeamPage(slug, 'intro');
    expect(publicPage?.members.map((m) => [m.id, m.weight])).toEqual([
      [org.owner.id, 1],
      [org.member.id, 3],
    ]);

    // The member's own schedule for this page; kind, members and fields replaced.
    const db = await getDb();
    const [schedule] = await db
      .insert(availabilitySchedules)
      .values({ userId: org.member.id, name: 'Mornings', timeZone: 'Asia/Tokyo', weeklyHours: { ...defaultWeeklyHours(), tue: [], wed: [], thu: [], fri: [], mon: [{ start: '09:00', end: '12:00' }] }, dateOverrides: [] })
      .returning();
    const changed: TeamSettings = {
      kind: 'collective',
      members: [
        { userId: org.member.id, weight: 1, scheduleId: schedule!.id },
        { userId: org.admin.id, weight: 1, scheduleId: null },
      ],
    };
    await updateTeamPage(org.owner.id, id, pageInput('panel', 'Panel'), changed);
    expect(await teamPageForEditor(org.id, id)).toMatchObject({ input: { slug: 'panel', title: 'Panel' }, team: changed });
    expect((await teamPagesOfOrganisation(org.id))[0]).toMatchObject({ teamKind: 'collective', memberIds: [org.member.id, org.admin.id] });
    expect(await getPublicTeamPage(slug, 'intro')).toBeNull();
    expect((await getPublicTeamPage(slug, 'panel'))?.page.teamKind).toBe('collective');

    // The picker offers every member of the organisation, with their own schedules.
    const choices = await teamMemberChoices(org.id);
    expect(choices.map((c) => c.id).sort()).toEqual([org.owner.id, org.admin.id, org.member.id].sort());
    expect(choices.find((c) => c.id === org.member.id)?.schedules).toEqual([{ id: schedule!.id, name: 'Mornings' }]);

    await deleteTeamPage(org.admin.id, id);
    expect(await teamPagesOfOrganisation(org.id)).toEqual([]);
    expect(await db.select().from(teamPageMembers).where(eq(teamPageMembers.pageId, id))).toEqual([]);
    expect(await failure(deleteTeamPage(org.admin.id, id))).toMatchObject({ code: 'not_found' });
  });

  it('a member (role member) is forbidden; a host without an organisation is not_found', async () => {
    const org = await organisationWithPeople('forbid');
    const team: TeamSettings = { kind: 'round_robin', members: [{ userId: org.member.id, weight: 1, scheduleId: null }] };
    expect(await failure(createTeamPage(org.member.id, pageInput('mine'), team))).toMatchObject({ code: 'forbidden' });
    const { id } = await createTeamPage(org.owner.id, pageInput('theirs'), team);
    expect(await failure(updateTeamPage(org.member.id, id, pageInput('theirs', 'Changed'), team))).toMatchObject({ code: 'forbidden' });
    expect(await failure(deleteTeamPage(org.member.id, id))).toMatchObject({ code: 'forbidden' });
    const loner = await makeHost('forbid-loner');
    expect(await failure(createTeamPage(loner.id, pageInput('loner'), team))).toMatchObject({ code: 'not_found' });
    const db = await getDb();
    const [row] = await db.select({ title: bookingPages.title }).from(bookingPages).where(eq(bookingPages.id, id));
    expect(row?.title).toBe('Team intro');
  });

  it("another organisation's page is not_found, and its members cannot be picked", async () => {
    const a = await organisationWithPeople('wall-a');
    const b = await organisationWithPeople('wall-b');
    const team: TeamSettings = { kind: 'collective', members: [{ userId: a.member.id, weight: 1, scheduleId: null }] };
    const { id } = await createTeamPage(a.admin.id, pageInput('wall'), team);

    const bTeam: TeamSettings = { kind: 'collective', members: [{ userId: b.member.id, weight: 1, scheduleId: null }] };
    expect(await failure(updateTeamPage(b.admin.id, id, pageInput('wall', 'Hijacked'), bTeam))).toMatchObject({ code: 'not_found' });
    expect(await failure(deleteTeamPage(b.owner.id, id))).toMatchObject({ code: 'not_found' });
    expect(await teamPageForEditor(b.id, id)).toBeNull();
    expect(await teamPagesOfOrganisation(b.id)).toEqual([]);

    // A member of another organisation: refused as a field error on "members", nothing written.
    const mixed: TeamSettings = {
      kind: 'round_robin',
      members: [
        { userId: a.member.id, weight: 1, scheduleId: null },
        { userId: b.member.id, weight: 1, scheduleId: null },
      ],
    };
    expect(await failure(createTeamPage(a.admin.id, pageInput('mixed'), mixed))).toMatchObject({ code: 'invalid_input', details: { fields: { members: 'not_in_organisation' } } });
    expect(await failure(updateTeamPage(a.admin.id, id, pageInput('wall'), mixed))).toMatchObject({ code: 'invalid_input', details: { fields: { members: 'not_in_organisation' } } });
    // Another member's schedule cannot be a member's hours.
    const db = await getDb();
    const [foreign] = await db
      .insert(availabilitySchedules)
      .values({ userId: a.owner.id, name: 'Owner only', timeZone: 'Asia/Tokyo', weeklyHours: defaultWeeklyHours(), dateOverrides: [] })
      .returning();
    const borrowed: TeamSettings = { kind: 'round_robin', members: [{ userId: a.member.id, weight: 1, scheduleId: foreign!.id }] };
    expect(await failure(updateTeamPage(a.admin.id, id, pageInput('wall'), borrowed))).toMatchObject({ code: 'invalid_input', details: { fields: { members: 'schedule_not_member' } } });

    expect((await teamPagesOfOrganisation(a.id)).map((p) => [p.slug, p.title, p.memberIds])).toEqual([['wall', 'Team intro', [a.member.id]]]);
  });

  it('a member removed from the organisation, or leaving it, is taken off its team pages', async () => {
    const org = await organisationWithPeople('former');
    const team: TeamSettings = {
      kind: 'round_robin',
      members: [
        { userId: org.owner.id, weight: 1, scheduleId: null },
        { userId: org.admin.id, weight: 1, scheduleId: null },
        { userId: org.member.id, weight: 1, scheduleId: null },
      ],
    };
    const { id } = await createTeamPage(org.owner.id, pageInput('former'), team);
    await removeMember(org.owner.id, org.member.id);
    expect((await teamPageForEditor(org.id, id))?.team.members.map((m) => m.userId)).toEqual([org.owner.id, org.admin.id]);
    expect((await teamPageForEditor(org.id, id))?.formerMembers).toEqual([]);
    await leaveOrganisation(org.admin.id);
    expect((await teamPagesOfOrganisation(org.id)).map((p) => p.memberIds)).toEqual([[org.owner.id]]);
    // The page saves as it is.
    await updateTeamPage(org.owner.id, id, pageInput('former'), { ...team, members: [team.members[0]!] });
  });

  it('a page slug taken in the organisation is slug_taken; the same slug in another organisation is fine', async () => {
    const a = await organisationWithPeople('taken-a');
    const b = await organisationWithPeople('taken-b');
    const team = (userId: string): TeamSettings => ({ kind: 'round_robin', members: [{ userId, weight: 1, scheduleId: null }] });
    await createTeamPage(a.admin.id, pageInput('sales'), team(a.member.id));
    const { id: other } = await createTeamPage(a.admin.id, pageInput('support'), team(a.member.id));
    expect(await failure(createTeamPage(a.owner.id, pageInput('sales'), team(a.owner.id)))).toMatchObject({ code: 'invalid_input', details: { fields: { slug: 'slug_taken' } } });
    expect(await failure(updateTeamPage(a.owner.id, other, pageInput('sales'), team(a.owner.id)))).toMatchObject({ code: 'invalid_input', details: { fields: { slug: 'slug_taken' } } });
    // Another organisation has addresses of its own.
    await createTeamPage(b.admin.id, pageInput('sales'), team(b.member.id));
    expect((await teamPagesOfOrganisation(b.id)).map((p) => p.slug)).toEqual(['sales']);
  });
});
