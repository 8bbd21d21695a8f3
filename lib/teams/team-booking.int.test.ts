import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bookingPageInputSchema, type BookingPageInputRaw } from '@/lib/booking-pages/schema';
import { cancelBookingAsGuest, createBooking, getHostBookingView, listHostBookings, rescheduleBookingAsGuest } from '@/lib/bookings/service';
import { drainSteps } from '@/lib/bookings/effects/worker';
import { copyBookingTo, makeHost, makePage, outboxFor, slotStart } from '@/lib/bookings/testing';
import { getDb } from '@/lib/db/client';
import { bookings } from '@/lib/db/schema/bookings';
import { organisationMembers, organisations } from '@/lib/db/schema/organisations';
import { AppError } from '@/lib/errors';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { createTeamBooking } from './booking';
import { createTeamPage, type TeamSettingsRaw, teamSettingsSchema } from './mutations';
import { loadTeamSlots } from './slots';

/** Team pages end to end on the real database: slots of the members combined, bookings assigned and held, races. */

const zoom = zoomEmulatorForThisFile();
const ALL_DAY = [{ start: '00:00', end: '24:00' }];
let teams = 0;

type ZoomUserOption = { accountId?: string; type?: 1 | 2 } | null;

/** `zoomUsers[i]`: member i's Zoom user (null: no Zoom linked); without it, with `zoom`, each gets one in its own account. */
async function makeTeam(kind: 'round_robin' | 'collective', size: number, options: { zoom?: boolean; zoomUsers?: ZoomUserOption[] } = {}) {
  const db = await getDb();
  teams++;
  const slug = `team-${process.pid}-${teams}-${Math.random().toString(36).slice(2, 6)}`;
  const [org] = await db.insert(organisations).values({ name: `Team ${teams}`, slug }).returning();
  const members = [];
  for (let i = 0; i < size; i++) {
    const host = await makeHost({ name: `Member ${i + 1}` });
    await db.insert(organisationMembers).values({ organisationId: org!.id, userId: host.id, role: i === 0 ? 'owner' : 'member' });
    const zoomUser = options.zoomUsers ? options.zoomUsers[i] : options.zoom ? {} : null;
    const zoomUserId = zoomUser ? await zoom.linkNewZoomUser(host.id, zoomUser) : null;
    members.push({ ...host, zoomUserId });
  }
  const input: BookingPageInputRaw = {
    slug: 'intro',
    title: 'Team intro',
    durationMinutes: 30,
    location: options.zoom || options.zoomUsers ? { type: 'zoom' } : { type: 'link', url: 'https://meet.example.com/team' },
    timeZone: 'UTC',
    weeklyHours: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
    bookingWindowDays: 365,
    questions: [],
  };
  const team: TeamSettingsRaw = { kind, members: members.map((m) => ({ userId: m.id })) };
  const page = await createTeamPage(members[0]!.id, bookingPageInputSchema.parse(input), teamSettingsSchema.parse(team));
  return { orgSlug: slug, slug: 'intro', pageId: page.id, members };
}

const guest = (i: number) => ({ name: `Guest ${i}`, email: `guest${i}@example.com`, timeZone: 'America/New_York' });

/** A personal page booking of `hostId` at `start` (what makes a member busy). */
async function bookPersonally(host: { id: string; handle: string | null }, start: Date, i = 0) {
  const page = await makePage(host.id, { location: { type: 'link', url: 'https://meet.example.com/own' } });
  return createBooking({ handle: host.handle!, slug: page.slug, start: start.toISOString(), ...guest(9000 + i) });
}

async function slotsOn(team: { orgSlug: string; slug: string }, start: Date): Promise<string[]> {
  const date = start.toISOString().slice(0, 10);
  const answer = await loadTeamSlots({ orgSlug: team.orgSlug, slug: team.slug, from: date, to: date, timeZone: 'UTC', now: new Date() });
  return answer.body.days[0]!.slots;
}

async function expectCode(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toSatisfy((error: unknown) => error instanceof AppError && error.code === code);
}

describe('round-robin team page', () => {
  it('offers a slot while one member is free, books that member under their own Zoom, and answers 409 when nobody is', async () => {
    const team = await makeTeam('round_robin', 2, { zoom: true });
    const [a, b] = team.members;
    const start = slotStart(10);
    await bookPersonally(a!, start);
    expect(await slotsOn(team, start)).toContain(start.toISOString());

    const booking = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: start.toISOString(), ...guest(1) });
    expect(booking.hosts).toEqual([{ handle: b!.handle, name: b!.name }]);
    expect(booking.meeting?.status).toBe('created');
    // The meeting is in the assigned member's own Zoom account.
    expect(zoom.liveMeetings(b!.zoomUserId!)).toHaveLength(1);
    expect(zoom.liveMeetings(a!.zoomUserId!)).toHaveLength(0);

    expect(await slotsOn(team, start)).not.toContain(start.toISOString());
    await expectCode(createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: start.toISOString(), ...guest(2) }), 'slot_unavailable');
  });

  it('spreads bookings fairly: each new booking goes to the member with the fewest', async () => {
    const team = await makeTeam('round_robin', 3);
    const assigned: string[] = [];
    for (let i = 0; i < 9; i++) {
      const booking = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: slotStart(20 + i).toISOString(), ...guest(100 + i) });
      assigned.push(booking.hosts[0]!.handle!);
    }
    for (const member of team.members) expect(assigned.filter((h) => h === member.handle)).toHaveLength(3);
    // Rotation: the first three bookings went to three different members.
    expect(new Set(assigned.slice(0, 3)).size).toBe(3);
  });

  // Needs a second connection to hold a transaction open while the team booking runs (PGlite has one).
  it.skipIf(!process.env.DATABASE_URL)('a booking that loses its member to a simultaneous booking goes to the next free member, not 409', async () => {
    const team = await makeTeam('round_robin', 2);
    const [first, second] = team.members;
    const start = slotStart(60);
    const own = await bookPersonally(first!, slotStart(62));
    const db = await getDb();
    let teamBooking: Promise<Awaited<ReturnType<typeof createTeamBooking>>> | undefined;
    await db.transaction(async (tx) => {
      // The first member (first in fairness order) gets a booking at the same time that is not committed yet:
      // the team booking cannot see it, picks them, and waits on the exclusion constraint until it commits.
      await tx.execute(copyBookingTo(own.uid, start));
      teamBooking = createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: start.toISOString(), ...guest(700) });
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    // It lost the first member to the commit (23P01) and was tried again: the second member is free.
    const booking = await teamBooking!;
    expect(booking.hosts).toEqual([{ handle: second!.handle, name: second!.name }]);
    const overlaps = await db.execute(sql`
      select count(*)::int as n from bookings a join bookings b
        on a.user_id = b.user_id and a.id < b.id and a.status = 'confirmed' and b.status = 'confirmed'
       and tstzrange(a.blocked_start_at, a.blocked_end_at, '[)') && tstzrange(b.blocked_start_at, b.blocked_end_at, '[)')`);
    expect((overlaps as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  });

  it('100 concurrent bookings on a 3-member team where only 2 are free: at most 2 per slot, never the busy one, no double booking', async () => {
    const team = await makeTeam('round_robin', 3);
    const busy = team.members[2]!;
    const starts = [0, 1, 2, 3, 4].map((i) => slotStart(40 + i * 2));
    for (const [i, start] of starts.entries()) await bookPersonally(busy, start, i);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: starts[i % starts.length]!.toISOString(), ...guest(200 + i) }),
      ),
    );
    const booked = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(booked).toHaveLength(10);
    expect(refused.every((e) => e instanceof AppError && e.code === 'slot_unavailable')).toBe(true);
    for (const start of starts) {
      const onSlot = booked.filter((b) => b.start === start.toISOString());
      expect(onSlot).toHaveLength(2);
      expect(new Set(onSlot.map((b) => b.hosts[0]!.handle)).size).toBe(2);
    }
    expect(booked.some((b) => b.hosts[0]!.handle === busy.handle)).toBe(false);
    // No host has two confirmed bookings that overlap (the invariant, read from the table).
    const db = await getDb();
    const overlaps = await db.execute(sql`
      select count(*)::int as n from bookings a join bookings b
        on a.user_id = b.user_id and a.id < b.id and a.status = 'confirmed' and b.status = 'confirmed'
       and tstzrange(a.blocked_start_at, a.blocked_end_at, '[)') && tstzrange(b.blocked_start_at, b.blocked_end_at, '[)')`);
    expect((overlaps as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  });
});

describe('collective team page', () => {
  it('offers only what every member has free, holds every member, and blocks their personal pages until cancelled', async () => {
    const team = await makeTeam('collective', 3);
    const [a, b, c] = team.members;
    const taken = slotStart(60);
    await bookPersonally(c!, taken);
    expect(await slotsOn(team, taken)).not.toContain(taken.toISOString());
    await expectCode(createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: taken.toISOString(), ...guest(300) }), 'slot_unavailable');

    const start = slotStart(62);
    const booking = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: start.toISOString(), ...guest(301) });
    expect(booking.hosts.map((h) => h.handle)).toEqual([a!.handle, b!.handle, c!.handle]);
    const db = await getDb();
    const rows = await db.select().from(bookings).where(and(eq(bookings.pageId, team.pageId), eq(bookings.status, 'confirmed')));
    expect(rows.map((r) => r.userId).sort()).toEqual([a!.id, b!.id, c!.id].sort());
    // Every member's time is held: their personal pages refuse the slot.
    for (const member of team.members) await expectCode(bookPersonally(member, start), 'slot_unavailable');

    // Moving the booking moves every member; cancelling frees them all.
    const token = new URL(booking.manageUrl).searchParams.get('token')!;
    const later = slotStart(64);
    await rescheduleBookingAsGuest(booking.uid, token, later.toISOString());
    const moved = await db.select().from(bookings).where(and(eq(bookings.pageId, team.pageId), eq(bookings.status, 'confirmed')));
    expect(moved.map((r) => r.startAt.toISOString())).toEqual([later, later, later].map((d) => d.toISOString()));
    expect((await bookPersonally(b!, start)).status).toBe('confirmed');
    await expectCode(bookPersonally(b!, later, 1), 'slot_unavailable');

    await cancelBookingAsGuest(booking.uid, token);
    const left = await db.select().from(bookings).where(and(eq(bookings.pageId, team.pageId), eq(bookings.status, 'confirmed')));
    expect(left).toEqual([]);
    expect((await bookPersonally(c!, later, 2)).status).toBe('confirmed');
  });

  it('a move to a time one member is busy is refused and changes nothing', async () => {
    const team = await makeTeam('collective', 2);
    const start = slotStart(70);
    const booking = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: start.toISOString(), ...guest(400) });
    const busyAt = slotStart(72);
    await bookPersonally(team.members[1]!, busyAt);
    const token = new URL(booking.manageUrl).searchParams.get('token')!;
    await expectCode(rescheduleBookingAsGuest(booking.uid, token, busyAt.toISOString()), 'slot_unavailable');
    const db = await getDb();
    const rows = await db.select().from(bookings).where(and(eq(bookings.pageId, team.pageId), eq(bookings.status, 'confirmed')));
    expect(rows.map((r) => r.startAt.toISOString())).toEqual([start.toISOString(), start.toISOString()]);
  });
});

describe('moving a team booking: the times it can move to', () => {
  it('round-robin: only its member’s free times, its own time included; a wrong token is not_found', async () => {
    const team = await makeTeam('round_robin', 2);
    const start = slotStart(80);
    const booking = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: start.toISOString(), ...guest(500) });
    const member = team.members.find((m) => m.handle === booking.hosts[0]!.handle)!;
    const other = team.members.find((m) => m.id !== member.id)!;
    // The member is busy at +1 h, the other member is not: the team offers it, the move does not.
    const busyAt = slotStart(82);
    await bookPersonally(member, busyAt);
    const token = new URL(booking.manageUrl).searchParams.get('token')!;
    const date = start.toISOString().slice(0, 10);
    const moves = await loadTeamSlots({ orgSlug: team.orgSlug, slug: team.slug, from: date, to: date, timeZone: 'UTC', now: new Date(), reschedule: { uid: booking.uid, token } });
    const offered = moves.body.days[0]!.slots;
    expect(offered).toContain(start.toISOString());
    expect(offered).not.toContain(busyAt.toISOString());
    expect(await slotsOn(team, busyAt)).toContain(busyAt.toISOString());
    await expectCode(
      loadTeamSlots({ orgSlug: team.orgSlug, slug: team.slug, from: date, to: date, timeZone: 'UTC', now: new Date(), reschedule: { uid: booking.uid, token: 'wrong' } }),
      'not_found',
    );
    // And the move itself keeps the member.
    const moved = await rescheduleBookingAsGuest(booking.uid, token, slotStart(84).toISOString());
    expect(moved.start).toBe(slotStart(84).toISOString());
    const db = await getDb();
    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booking.uid));
    expect(row!.userId).toBe(member.id);
    expect(other.id).not.toBe(member.id);
  });

  it('collective: its own holds do not hide its time', async () => {
    const team = await makeTeam('collective', 2);
    const start = slotStart(90);
    const booking = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: start.toISOString(), ...guest(501) });
    const token = new URL(booking.manageUrl).searchParams.get('token')!;
    const date = start.toISOString().slice(0, 10);
    expect(await slotsOn(team, start)).not.toContain(start.toISOString());
    const moves = await loadTeamSlots({ orgSlug: team.orgSlug, slug: team.slug, from: date, to: date, timeZone: 'UTC', now: new Date(), reschedule: { uid: booking.uid, token } });
    expect(moves.body.days[0]!.slots).toContain(start.toISOString());
  });
});

describe('collective team page on Zoom', () => {
  it('creates one meeting under the first member; every member’s host mail carries its link', async () => {
    const team = await makeTeam('collective', 2, { zoom: true });
    const [first, second] = team.members;
    const booking = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: slotStart(120).toISOString(), ...guest(600) });
    expect(booking.meeting?.status).toBe('created');
    expect(zoom.liveMeetings(first!.zoomUserId!)).toHaveLength(1);
    expect(zoom.liveMeetings(second!.zoomUserId!)).toHaveLength(0);
    await drainSteps({ now: new Date(Date.now() + 30_000) });
    const joinUrl = booking.meeting!.joinUrl!;
    for (const member of [first!, second!]) {
      const mails = await outboxFor(member.email);
      expect(mails.some((m) => m.text.includes('Guest 600') && m.text.includes(joinUrl)), member.email).toBe(true);
      // The confirmation had the link: no link-ready mail after it.
      expect(mails.filter((m) => m.text.includes('Guest 600')), member.email).toHaveLength(1);
    }
    // The second member's own list shows the link too, and says whose booking it is part of.
    const db = await getDb();
    const [hold] = await db.select().from(bookings).where(eq(bookings.userId, second!.id));
    expect(hold).toMatchObject({ meetingStatus: 'created', zoomJoinUrl: joinUrl, teamLeadId: expect.any(String) });
    const [asMember] = await listHostBookings(second!.id, { scope: 'upcoming' });
    expect(asMember).toMatchObject({ team: { org: team.orgSlug, kind: 'collective', part: 'member' }, meeting: { status: 'created', joinUrl } });
    const [asHost] = await listHostBookings(first!.id, { scope: 'upcoming' });
    expect(asHost?.team).toEqual({ org: team.orgSlug, kind: 'collective', part: 'host' });
  });

  it('when the meeting comes after the mails, every member gets the link in a link-ready mail', async () => {
    const team = await makeTeam('collective', 2, { zoom: true });
    const [first, second] = team.members;
    // The confirm's own attempt fails: the booking is made, its meeting follows from the worker.
    await zoom.control('faults', { method: 'POST', path: '/v2/users/me/meetings', status: 500, times: 1, body: { code: 500, message: 'Internal error' } });
    const booking = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: slotStart(125).toISOString(), ...guest(620) });
    expect(booking.meeting?.status).toBe('pending');
    // The mails go first (Zoom is failing), then the retry makes the meeting.
    await drainSteps({ now: new Date(Date.now() + 20_000) });
    await drainSteps({ now: new Date(Date.now() + 10 * 60_000) });
    await drainSteps({ now: new Date(Date.now() + 11 * 60_000) });
    const [meeting] = zoom.liveMeetings(first!.zoomUserId!);
    expect(meeting).toBeDefined();
    for (const member of [first!, second!]) {
      const mails = await outboxFor(member.email);
      expect(mails.some((m) => m.text.includes('Guest 620') && m.text.includes(`/j/${meeting!.id}`)), member.email).toBe(true);
    }
  });

  it('makes the other members alternative hosts where Zoom takes them, and records who Zoom refused and why', async () => {
    const account = `acct-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    // Licensed in the host's account (taken), Basic in it (refused), another account (refused), no Zoom at all.
    const team = await makeTeam('collective', 5, {
      zoomUsers: [{ accountId: account }, { accountId: account }, { accountId: account, type: 1 }, {}, null],
    });
    const [first, licensed, basic, elsewhere, noZoom] = team.members;
    const booking = await createTeamBooking({ orgSlug: team.orgSlug, slug: team.slug, start: slotStart(130).toISOString(), ...guest(610) });
    expect(booking.meeting?.status).toBe('created');
    const emailOf = (zoomUserId: string | null) => zoom.emulator.state.users.find((u) => u.id === zoomUserId)!.email;
    const [meeting] = zoom.liveMeetings(first!.zoomUserId!);
    expect(meeting?.settings.alternative_hosts).toBe(emailOf(licensed!.zoomUserId));
    // One meeting in all: the refused creates made nothing.
    expect(zoom.emulator.state.meetings.filter((m) => m.agenda.includes(booking.uid))).toHaveLength(1);

    const [asHost] = await listHostBookings(first!.id, { scope: 'upcoming' });
    expect(asHost?.alternativeHosts?.added).toEqual([emailOf(licensed!.zoomUserId)]);
    expect(asHost?.alternativeHosts?.refused.map((r) => r.email)).toEqual([emailOf(basic!.zoomUserId), emailOf(elsewhere!.zoomUserId)]);
    for (const refusal of asHost!.alternativeHosts!.refused) expect(refusal.reason).toContain(`Unable to assign '${refusal.email}' as an alternative host`);
    expect(asHost?.alternativeHosts?.withoutZoom).toEqual([noZoom!.name]);
    // A member sees the same on their own hold of the booking.
    const [asMember] = await listHostBookings(licensed!.id, { scope: 'upcoming' });
    expect(asMember?.alternativeHosts).toEqual(asHost?.alternativeHosts);
    // Round-robin and personal bookings have none.
    const own = await bookPersonally(first!, slotStart(140));
    expect((await getHostBookingView(first!.id, own.uid)).alternativeHosts).toBeNull();
  });
});
