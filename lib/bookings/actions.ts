'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { type ActionResult, runAction } from '@/lib/actions';
import { requireHost } from '@/lib/auth/session';
import { effectiveRulesOf } from '@/lib/booking-pages/schedules';
import { bookingPageInputSchema } from '@/lib/booking-pages/schema';
import { clientIp } from '@/lib/http';
import {
  cancelBookingAsGuest,
  cancelBookingAsHost,
  type CreateBookingInput,
  createBooking,
  getStartUrl,
  guestConfirmRequest,
  rescheduleBookingAsGuest,
  rescheduleBookingAsHost,
  retryBookingSteps,
} from './service';
import { confirmationPath } from './manage-token';
import { getIcsFeedUrl, regenerateIcsFeedUrl } from './ics-feed';
import { loadPreviewSlots } from './slots';
import type { PublicBooking } from './types';

/**
 * Server actions of the guest booking UI (public: the manage token or the page is the authority) and
 * of the host's bookings list and settings (requireHost). Each one parses nothing itself (the service
 * validates), calls one service function and returns an ActionResult (lib/actions.ts).
 */

/** The client address, for the per-client rate limit (the rule of the API routes: lib/http.ts clientIp). */
async function clientKey(): Promise<string> {
  return clientIp(await headers());
}

/** What the guest page sends: every field of a booking request except the caller's address (read here). */
export type ConfirmInput = Required<Omit<CreateBookingInput, 'clientKey'>>;

/**
 * The guest's Confirm button. Returns the booking and where to go next: the confirmation page,
 * carrying the manage token so it can show the manage link (the same token the mails carry).
 */
export async function confirmBookingAction(input: ConfirmInput): Promise<ActionResult<{ booking: PublicBooking; next: string }>> {
  return runAction('confirmBookingAction', async () => {
    const booking = await createBooking({ handle: String(input.handle), slug: String(input.slug), ...guestConfirmRequest(input, await clientKey()) });
    return { booking, next: confirmationPath(`/${encodeURIComponent(input.handle)}/${encodeURIComponent(input.slug)}`, booking) };
  });
}

export async function cancelAsGuestAction(uid: string, token: string, reason: string): Promise<ActionResult<true>> {
  return runAction('cancelAsGuestAction', async () => {
    await cancelBookingAsGuest(String(uid), String(token), reason ? String(reason) : undefined, { clientKey: await clientKey() });
    return true as const;
  });
}

export async function rescheduleAsGuestAction(uid: string, token: string, start: string): Promise<ActionResult<PublicBooking>> {
  return runAction('rescheduleAsGuestAction', async () => rescheduleBookingAsGuest(String(uid), String(token), String(start), { clientKey: await clientKey() }));
}

// ---- host bookings list -------------------------------------------------------------------------

export async function cancelAsHostAction(uid: string, reason: string): Promise<ActionResult<true>> {
  return runAction('cancelAsHostAction', async () => {
    const host = await requireHost();
    await cancelBookingAsHost(host.id, String(uid), reason ? String(reason) : undefined);
    revalidatePath('/bookings');
    revalidatePath('/dashboard');
    return true as const;
  });
}

/** The host's Reschedule: moves their booking to `start` (a slot of its page), with an optional note for the guest. */
export async function rescheduleAsHostAction(uid: string, start: string, note: string): Promise<ActionResult<true>> {
  return runAction('rescheduleAsHostAction', async () => {
    const host = await requireHost();
    await rescheduleBookingAsHost(host.id, String(uid), { start: String(start), note: note ? String(note) : null });
    revalidatePath('/bookings');
    revalidatePath('/dashboard');
    return true as const;
  });
}

export async function retryStepsAction(uid: string): Promise<ActionResult<true>> {
  return runAction('retryStepsAction', async () => {
    const host = await requireHost();
    await retryBookingSteps(host.id, String(uid));
    revalidatePath('/bookings');
    return true as const;
  });
}

/** A fresh host start link (Zoom's expire after two hours), fetched at the moment of the click. */
export async function startMeetingAction(uid: string): Promise<ActionResult<{ url: string }>> {
  return runAction('startMeetingAction', async () => {
    const host = await requireHost();
    return { url: await getStartUrl(host.id, String(uid)) };
  });
}

// ---- host settings ------------------------------------------------------------------------------

/** The host's private ICS feed URL (created on first use). */
export async function getIcsFeedUrlAction(): Promise<ActionResult<{ url: string }>> {
  return runAction('getIcsFeedUrlAction', async () => {
    const host = await requireHost();
    return { url: await getIcsFeedUrl(host.id) };
  });
}

/** The private ICS feed URL regenerated: the old URL stops working. */
export async function regenerateIcsFeedUrlAction(): Promise<ActionResult<{ url: string }>> {
  return runAction('regenerateIcsFeedUrlAction', async () => {
    const host = await requireHost();
    return { url: await regenerateIcsFeedUrl(host.id) };
  });
}

export type PreviewDay = { date: string; slots: string[] };
export type Preview = { timeZone: string; days: PreviewDay[]; calendarDegraded: boolean };

/** How many days with free times the editor's preview shows, looking at most this many days ahead. */
const PREVIEW_SHOWN_DAYS = 4;
const PREVIEW_LOOKAHEAD_DAYS = 31;

/**
 * The editor's live preview: the next days with free slots for the (unsaved) values, in the page's
 * zone, against the host's real bookings and calendar busy times.
 */
export async function previewPageAction(pageId: string | null, values: unknown): Promise<ActionResult<Preview>> {
  return runAction('previewPageAction', async () => {
    const host = await requireHost();
    // A page using a shared schedule previews the schedule's hours.
    const input = await effectiveRulesOf(host.id, bookingPageInputSchema.parse(values));
    const { body, calendarDegraded } = await loadPreviewSlots(host.id, pageId ? String(pageId) : null, input, new Date(), {
      days: PREVIEW_LOOKAHEAD_DAYS,
    });
    return {
      timeZone: body.timeZone,
      days: body.days.filter((d) => d.slots.length > 0).slice(0, PREVIEW_SHOWN_DAYS),
      calendarDegraded,
    };
  });
}
