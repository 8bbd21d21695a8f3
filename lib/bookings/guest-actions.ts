'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import { requireHost } from '@/lib/auth/session';
import { type AppErrorCode, type FieldErrors, isAppError } from '@/lib/errors';
import { clientIp } from '@/lib/http';
import {
  cancelBookingAsGuest,
  cancelBookingAsHost,
  createBooking,
  getStartUrl,
  rescheduleBookingAsGuest,
  retryBookingSteps,
} from './service';
import type { PublicBooking } from './types';

/**
 * Server actions of the guest booking UI and the host bookings list. Each one parses nothing itself
 * (the service validates), calls one service function and maps AppError to a plain result the
 * client can render (never throws for expected failures).
 */

export type ActionFailure = { ok: false; code: AppErrorCode | 'internal'; fields?: FieldErrors; retryAfterSeconds?: number };
export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

async function run<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    // next/navigation redirects (requireHost) must propagate.
    unstable_rethrow(error);
    if (isAppError(error)) {
      const failure: ActionFailure = { ok: false, code: error.code };
      if (error.details.fields) failure.fields = error.details.fields;
      if (error.details.retryAfterSeconds !== undefined) failure.retryAfterSeconds = error.details.retryAfterSeconds;
      return failure;
    }
    console.error('[bookings] action failed', error);
    return { ok: false, code: 'internal' };
  }
}

/** The client address, for the per-client rate limit (the rule of the API routes: lib/http.ts clientIp). */
async function clientKey(): Promise<string> {
  return clientIp(await headers());
}

const tokenOf = (manageUrl: string) => {
  try {
    return new URL(manageUrl).searchParams.get('token') ?? '';
  } catch {
    return '';
  }
};

export type ConfirmInput = {
  handle: string;
  slug: string;
  start: string;
  name: string;
  email: string;
  timeZone: string;
  answers: Record<string, string>;
  locale: 'ja' | 'en';
  idempotencyKey: string;
};

/**
 * The guest's Confirm button. Returns the booking and where to go next: the confirmation page,
 * carrying the manage token so it can show the manage link (the same token the mails carry).
 */
export async function confirmBookingAction(input: ConfirmInput): Promise<ActionResult<{ booking: PublicBooking; next: string }>> {
  return run(async () => {
    const booking = await createBooking({
      handle: String(input.handle),
      slug: String(input.slug),
      start: String(input.start),
      name: String(input.name),
      email: String(input.email),
      timeZone: String(input.timeZone),
      answers: input.answers,
      locale: input.locale,
      idempotencyKey: String(input.idempotencyKey).slice(0, 200),
      clientKey: await clientKey(),
    });
    const token = tokenOf(booking.manageUrl);
    const base = `/${encodeURIComponent(input.handle)}/${encodeURIComponent(input.slug)}/booked/${encodeURIComponent(booking.uid)}`;
    return { booking, next: token ? `${base}?token=${encodeURIComponent(token)}` : base };
  });
}

export async function cancelAsGuestAction(uid: string, token: string, reason: string): Promise<ActionResult<true>> {
  return run(async () => {
    await cancelBookingAsGuest(String(uid), String(token), reason ? String(reason) : undefined, { clientKey: await clientKey() });
    return true as const;
  });
}

export async function rescheduleAsGuestAction(uid: string, token: string, start: string): Promise<ActionResult<PublicBooking>> {
  return run(async () => rescheduleBookingAsGuest(String(uid), String(token), String(start), { clientKey: await clientKey() }));
}

// ---- host bookings list -------------------------------------------------------------------------

export async function cancelAsHostAction(uid: string, reason: string): Promise<ActionResult<true>> {
  return run(async () => {
    const host = await requireHost();
    await cancelBookingAsHost(host.id, String(uid), reason ? String(reason) : undefined);
    revalidatePath('/bookings');
    revalidatePath('/dashboard');
    return true as const;
  });
}

export async function retryStepsAction(uid: string): Promise<ActionResult<true>> {
  return run(async () => {
    const host = await requireHost();
    await retryBookingSteps(host.id, String(uid));
    revalidatePath('/bookings');
    return true as const;
  });
}

/** A fresh host start link (Zoom's expire after two hours), fetched at the moment of the click. */
export async function startMeetingAction(uid: string): Promise<ActionResult<{ url: string }>> {
  return run(async () => {
    const host = await requireHost();
    return { url: await getStartUrl(host.id, String(uid)) };
  });
}
