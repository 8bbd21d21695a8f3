import 'server-only';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { getCalendarBusy } from '@/lib/calendar/host-calendar';
import { insertBooking } from '@/lib/bookings/mutations';
import { getBookingByUid, toPublicBooking } from '@/lib/bookings/queries';
import { consumeClientRequest } from '@/lib/bookings/rate-limit';
import { apiBookingRequest, type BookingRequest, bookOnPage, getBookingForConfirmation } from '@/lib/bookings/service';
import type { BookingConfirmationView, BookingRow, PublicBooking } from '@/lib/bookings/types';
import { getDb } from '@/lib/db/client';
import type { TeamMember } from '@/lib/booking-pages/team-members';
import { bookedHostsOf, getPublicTeamPage, type PageOfBooking, pageOfBooking, type TeamPage } from './queries';

const MINUTE = 60_000;

export type CreateTeamBookingInput = BookingRequest & { orgSlug: string; slug: string };

/** The v1 booking object of a team page, with who the guest meets (the assigned member; every member on a collective page). */
export type PublicTeamBooking = PublicBooking & { hosts: { handle: string | null; name: string | null }[] };

/**
 * `POST /api/public/teams/{org}/{page}/bookings`: the personal booking path with the team's pick inside
 * the page-locked transaction (round-robin: the fairest free member; collective: every member).
 * A round-robin booking that loses its member to a concurrent booking elsewhere (the per-host exclusion
 * constraint) is tried again — the next attempt sees that booking and picks the next free member —
 * before answering 409 slot_unavailable.
 */
export async function createTeamBooking(input: CreateTeamBookingInput, now: Date = new Date()): Promise<PublicTeamBooking> {
  await consumeClientRequest(input.clientKey);
  return bookTeamPage(input, now);
}

/** POST /api/public/teams/{org}/{page}/bookings: the personal endpoint's body and answer, plus `hosts`. */
export async function apiCreateTeamBooking(
  orgSlug: string,
  slug: string,
  readBody: () => Promise<unknown>,
  meta: { idempotencyKey: string | null; clientKey: string },
): Promise<{ booking: PublicTeamBooking }> {
  const request = await apiBookingRequest(readBody, meta);
  return { booking: await bookTeamPage({ orgSlug, slug, ...request }, new Date()) };
}

async function bookTeamPage(input: CreateTeamBookingInput, now: Date): Promise<PublicTeamBooking> {
  const found = await getPublicTeamPage(String(input.orgSlug ?? ''), String(input.slug ?? ''));
  if (!found) throw new AppError('not_found', 'Booking page not found');
  const attempts = found.page.teamKind === 'round_robin' ? found.members.length : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      const booking = await bookOnPage(found.page, input, async (db, parsed, idempotencyKey) => {
        // Every member's calendar around the slot, read before the transaction (network calls must not hold the page lock).
        const calendarBusy = await membersCalendarBusy(found, parsed.start);
        return insertBooking(db, { pageId: found.page.id, input: parsed, idempotencyKey, now, inlineDeadlineMs: env().zoomInlineDeadlineMs, team: { calendarBusy } });
      });
      return teamBookingAnswer(found, booking);
    } catch (error) {
      // Only a lost race is worth another try (the next attempt sees the winner and picks the next free
      // member); "nobody is free" was read under the page lock and stays true.
      if (!(error instanceof AppError && error.code === 'slot_unavailable' && error.details.lostRace === true) || attempt >= attempts) throw error;
    }
  }
}

async function membersCalendarBusy(found: TeamPage, start: Date) {
  const { page } = found;
  const from = new Date(start.getTime() - page.bufferBeforeMinutes * MINUTE);
  const to = new Date(start.getTime() + (page.durationMinutes + page.bufferAfterMinutes) * MINUTE);
  const busy = await Promise.all(found.members.map(async (m) => [m.id, (await getCalendarBusy(m.id, from, to)).busy] as const));
  return new Map(busy);
}

export function teamBookingAnswer(found: Pick<TeamPage, 'page' | 'members'>, booking: BookingRow): PublicTeamBooking {
  const asHost = (m: TeamMember) => ({ handle: m.handle, name: m.name });
  const hosts =
    found.page.teamKind === 'collective'
      ? found.members.map(asHost)
      : found.members.filter((m) => m.id === booking.userId).map(asHost);
  return { ...toPublicBooking(booking), hosts };
}

/** The guest's team confirmation (/team/{org}/{page}/booked/{uid}): the booking as on a personal page, where it was made, and who the guest meets. */
export type TeamBookingConfirmation = {
  view: BookingConfirmationView;
  /** The page it was made on (null: since deleted, or its organisation has no public address any more). */
  page: PageOfBooking | null;
  hosts: { handle: string | null; name: string | null }[];
};

/** Under the manage token's proof, as the personal confirmation; null when unknown or the token does not match. */
export async function getTeamBookingForConfirmation(uid: string, token: string): Promise<TeamBookingConfirmation | null> {
  const view = await getBookingForConfirmation(uid, token);
  if (!view) return null;
  const db = await getDb();
  const booking = await getBookingByUid(uid, db);
  if (!booking) return null;
  const [page, hosts] = await Promise.all([pageOfBooking(db, booking.pageId), bookedHostsOf(db, booking)]);
  return { view, page, hosts };
}
