import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bookingPageInputSchema } from '@/lib/booking-pages/schema';
import { drainSteps } from '@/lib/bookings/effects/worker';
import { createBooking } from '@/lib/bookings/service';
import { makeHost, makePage, outboxFor, slotStart } from '@/lib/bookings/testing';
import { getDb } from '@/lib/db/client';
import { bookings } from '@/lib/db/schema/bookings';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { AppError } from '@/lib/errors';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { createTeamBooking } from './booking';
import { createTeamPage, teamSettingsSchema } from './mutations';
import { reassignTeamBooking } from './reassign';

/** An admin gives a round-robin booking to another member: the meeting, the calendar and the mails follow. */

const zoom = zoomEmulatorForThisFile();
const ALL_DAY = [{ start: '00:00', end: '24:00' }];
let teams = 0;

async function makeTeam(kind: 'round_robin' | 'collective', roles: ('owner' | 'admin' | 'member')[]) {
  const db = await getDb();
  teams++;
  const slug = `reassign-${process.pid}-${teams}-${Math.random().toString(36).slice(2, 6)}`;
  const [org] = await db.insert(organisations).values({ name: `Team ${teams}`, slug }).returning();
  const members = [];
  for (const [i, role] of roles.entries()) {
    const host = await makeHost({ name: `Member ${teams}.${i + 1}` });
    await db.insert(organisationMembers).values({ organisationId: org!.id, userId: host.id, role });
    members.push({ ...host, zoomUserId: await zoom.linkNewZoomUser(host.id) });
  }
  const input = bookingPageInputSchema.parse({
    slug: 'intro',
    title: 'Team intro',
    durationMinutes: 30,
    location: { type: 'zoom' },
    timeZone: 'UTC',
    weeklyHours: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
    minimumNoticeMinutes: 96 * 60,
    bookingWindowDays: 365,
  });
  await createTeamPage(members[0]!.id, input, teamSettingsSchema.parse({ kind, members: members.map((m) => ({ userId: m.id })) }));
  return { orgSlug: slug, slug: 'intro', members };
}

async function expectCode(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toSatisfy((error: unknown) => error instanceof AppError && error.code === code);
}

describe('reassigning a round-robin team booking', () => {
  it('moves the meeting to the new member’s Zoom and their calendar; the guest and both members are mailed', async () => {
    const team = await makeTeam('round_robin', ['owner', 'member', 'member']);
    const start = slotStart(100);
    // Booked three days ago, when the time was outside the page's 96 h notice.
    const bookedAt = new Date(Date.now() - 3 * 86_400_000);
    const booked = await createTeamBooking(
      { orgSlug: team.orgSlug, slug: team.slug, start: start.toISOString(), name: 'Guest R', email: 'guest-r@example.com', timeZone: 'America/New_York' },
      bookedAt,
    );
    await drainSteps();
    const from = team.members.find((m) => m.handle === booked.hosts[0]!.handle)!;
    const to = team.members.find((m) => m.id !== from.id && m.id !== team.members[0]!.id) ?? team.members.find((m) => m.id !== from.id)!;
    expect(zoom.liveMeetings(from.zoomUserId)).toHaveLength(1);

    // Now inside the page's notice: still allowed (the guest booked long ago).
    const moved = await reassignTeamBooking(team.members[0]!.id, booked.uid, to.id);
    expect(moved.userId).toBe(to.id);
    // The mails wait a moment for the new meeting's link: run what is due a little later too.
    await drainSteps();
    await drainSteps({ now: new Date(Date.now() + 10_000) });

    const db = await getDb();
    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booked.uid));
    expect(row!.userId).toBe(to.id);
    expect(row!.meetingStatus).toBe('created');
    expect(zoom.liveMeetings(from.zoomUserId)).toHaveLength(0);
    const [meeting] = zoom.liveMeetings(to.zoomUserId);
    expect(meeting).toBeDefined();
    expect(row!.zoomMeetingId).toBe(String(meeting!.id));

    const guestMails = await outboxFor('guest-r@example.com');
    const reassigned = guestMails.find((m) => m.subject.startsWith('Now with'));
    expect(reassigned?.subject).toContain(to.name!);
    expect(reassigned?.text).toContain(row!.zoomJoinUrl!);
    const formerMails = await outboxFor(from.email);
    expect(formerMails.some((m) => m.subject.startsWith(`Given to ${to.name}`))).toBe(true);
    const newHostMails = await outboxFor(to.email);
    expect(newHostMails.some((m) => m.text.includes('Guest R') && m.text.includes(row!.zoomJoinUrl!))).toBe(true);
    // One mail for the guest about it: the "link ready" mail has nothing to add.
    expect((await outboxFor('guest-r@example.com')).filter((m) => m.subject.includes('link'))).toEqual([]);
  });

  it('is refused to a member (role), for another organisation, to a busy member, and for a collective booking', async () => {
    const team = await makeTeam('round_robin', ['owner', 'member']);
    const start = slotStart(300);
    const booked = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: start.toISOString(), name: 'Guest S', email: 'guest-s@example.com', timeZone: 'UTC' });
    const from = team.members.find((m) => m.handle === booked.hosts[0]!.handle)!;
    const other = team.members.find((m) => m.id !== from.id)!;
    await expectCode(reassignTeamBooking(team.members[1]!.id, booked.uid, other.id), 'forbidden');
    const stranger = await makeTeam('round_robin', ['owner']);
    await expectCode(reassignTeamBooking(stranger.members[0]!.id, booked.uid, other.id), 'not_found');
    await expectCode(reassignTeamBooking(team.members[0]!.id, booked.uid, stranger.members[0]!.id), 'invalid_input');
    // The other member is busy then (their own page): 409, nothing changes.
    const page = await makePage(other.id, { location: { type: 'link', url: 'https://meet.example.com/x' } });
    await createBooking({ handle: other.handle!, slug: page.slug, start: start.toISOString(), name: 'Other', email: 'o@example.com', timeZone: 'UTC' });
    await expectCode(reassignTeamBooking(team.members[0]!.id, booked.uid, other.id), 'slot_unavailable');
    const db = await getDb();
    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booked.uid));
    expect(row!.userId).toBe(from.id);

    const collective = await makeTeam('collective', ['owner', 'member']);
    const together = await createTeamBooking({ orgSlug: collective.orgSlug, slug: collective.slug, start: slotStart(302).toISOString(), name: 'Guest T', email: 'guest-t@example.com', timeZone: 'UTC' });
    await expectCode(reassignTeamBooking(collective.members[0]!.id, together.uid, collective.members[1]!.id), 'conflict');
  });
});
