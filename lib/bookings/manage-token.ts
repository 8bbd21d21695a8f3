import 'server-only';
import { createHmac } from 'node:crypto';
import { safeEqual, sha256Hex } from '@/lib/crypto';
import { env } from '@/lib/env';

/**
 * The manage token in a guest's manageUrl. Only its SHA-256 is stored (invariant 5). The token is
 * HMAC(server secret, booking id): unguessable without the server secret and the booking's internal
 * random id (never exposed; the public uid is a different value), and re-derivable by the server so
 * an idempotent replay of a booking request and every later mail can carry the same manageUrl.
 */
export function manageTokenFor(bookingId: string): string {
  return createHmac('sha256', env().authSecret).update(`aki-manage-token:v1:${bookingId}`).digest('base64url');
}

export const manageTokenHash = (token: string) => sha256Hex(token);

export function manageTokenMatches(token: string, storedHash: string): boolean {
  return safeEqual(sha256Hex(token), storedHash);
}

export const manageUrlFor = (uid: string, bookingId: string) =>
  `${env().appUrl}/booking/${encodeURIComponent(uid)}?token=${encodeURIComponent(manageTokenFor(bookingId))}`;

/**
 * Where the guest goes after confirming: the page's confirmation (`pagePath`: /{handle}/{slug} or
 * /team/{org}/{slug}) with the manage token from the booking's manageUrl, so it can show the manage link.
 */
export function confirmationPath(pagePath: string, booking: { uid: string; manageUrl: string }): string {
  let token = '';
  try {
    token = new URL(booking.manageUrl).searchParams.get('token') ?? '';
  } catch {
    token = '';
  }
  const base = `${pagePath}/booked/${encodeURIComponent(booking.uid)}`;
  return token ? `${base}?token=${encodeURIComponent(token)}` : base;
}
