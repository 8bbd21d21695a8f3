import { createHmac, timingSafeEqual } from 'node:crypto';

/** Zoom webhook signatures (x-zm-signature) and URL-validation answers. Pure functions. */

export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export function zoomSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/**
 * Checks `v0=` + HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`) in constant time and refuses
 * timestamps (epoch seconds) more than 5 minutes away from now.
 */
export function verifyZoomSignature(input: {
  secret: string;
  timestamp: string | null;
  signature: string | null;
  rawBody: string;
  nowMs?: number;
}): SignatureCheck {
  const { secret, timestamp, signature, rawBody } = input;
  if (!secret || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  const ageSeconds = Math.abs((input.nowMs ?? Date.now()) / 1000 - Number(timestamp));
  if (ageSeconds > SIGNATURE_MAX_AGE_SECONDS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(zoomSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/** The answer to endpoint.url_validation: hex HMAC-SHA256(secret, plainToken). */
export function urlValidationAnswer(secret: string, plainToken: string): { plainToken: string; encryptedToken: string } {
  return { plainToken, encryptedToken: createHmac('sha256', secret).update(plainToken).digest('hex') };
}
