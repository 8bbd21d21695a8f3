'use server';

import { headers } from 'next/headers';
import { type ActionResult, runAction } from '@/lib/actions';
import { clientIp } from '@/lib/http';
import { type CreateTeamBookingInput, createTeamBooking, type PublicTeamBooking } from './booking';

/**
 * The guest's Confirm on a team page (/team/{org}/{page}): lib/bookings/actions.ts confirmBookingAction
 * for a team page. The service validates; the answer names who the guest meets (`booking.hosts`).
 */

/** What the guest page sends: every field of a team booking request except the caller's address (read here). */
export type ConfirmTeamInput = Required<Omit<CreateTeamBookingInput, 'clientKey'>>;

export async function confirmTeamBookingAction(input: ConfirmTeamInput): Promise<ActionResult<{ booking: PublicTeamBooking; next: string }>> {
  return runAction('confirmTeamBookingAction', async () => {
    const booking = await createTeamBooking({
      orgSlug: String(input.orgSlug),
      slug: String(input.slug),
      start: String(input.start),
      name: String(input.name),
      email: String(input.email),
      timeZone: String(input.timeZone),
      answers: input.answers,
      locale: input.locale,
      hour12: input.hour12 === true,
      idempotencyKey: String(input.idempotencyKey).slice(0, 200),
      // The per-client rate limit reads the address the way the API routes do (lib/http.ts clientIp).
      clientKey: clientIp(await headers()),
    });
    // The confirmation page carries the manage token (the same the mails carry) so it can show the manage link.
    let token = '';
    try {
      token = new URL(booking.manageUrl).searchParams.get('token') ?? '';
    } catch {
      token = '';
    }
    const base = `/team/${encodeURIComponent(input.orgSlug)}/${encodeURIComponent(input.slug)}/booked/${encodeURIComponent(booking.uid)}`;
    return { booking, next: token ? `${base}?token=${encodeURIComponent(token)}` : base };
  });
}
