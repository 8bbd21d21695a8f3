import { describe, expect, it } from 'vitest';
import { missingGoogleScopes } from './oauth';
import { toGoogleError } from './client';
import { decodeGoogleEventRef, encodeGoogleEventRef, googleEventBody, googleEventIdFor } from './calendar';

/** A gaxios-like failure as googleapis throws it. */
function httpError(status: number | undefined, data: unknown = {}, headers: Record<string, string> = {}) {
  const error = new Error(`status ${status}`) as Error & { status?: number; response?: unknown };
  if (status !== undefined) {
    error.status = status;
    error.response = { status, data, headers: new Headers(headers) };
  }
  return error;
}

describe('Google event ids and references', () => {
  it('derives a stable base32hex id from the booking uid', () => {
    const id = googleEventIdFor('b_123');
    expect(id).toMatch(/^[a-v0-9]{5,1024}$/);
    expect(googleEventIdFor('b_123')).toBe(id);
    expect(googleEventIdFor('b_124')).not.toBe(id);
  });

  it('round-trips the calendar in the stored reference and accepts bare ids', () => {
    const ref = encodeGoogleEventRef('team#holiday@group.calendar.google.com', 'aki0123');
    expect(decodeGoogleEventRef(ref, 'primary')).toEqual({ calendarId: 'team#holiday@group.calendar.google.com', eventId: 'aki0123' });
    expect(decodeGoogleEventRef('plainid123', 'me@example.com')).toEqual({ calendarId: 'me@example.com', eventId: 'plainid123' });
  });

  it('escapes the description, keeps the Zoom link in location and description, invites the guest', () => {
    const body = googleEventBody({
      bookingUid: 'u1',
      title: 'Call <x>',
      description: 'Notes: <script>alert(1)</script>',
      start: new Date('2030-01-01T00:00:00Z'),
      end: new Date('2030-01-01T00:30:00Z'),
      timeZone: 'Asia/Tokyo',
      location: 'https://zoom.example/j/1',
      attendee: { name: 'Ann', email: 'ann@example.com' },
    });
    expect(body.description).toBe('Notes: &lt;script&gt;alert(1)&lt;/script&gt;\n\nhttps://zoom.example/j/1');
    expect(body.location).toBe('https://zoom.example/j/1');
    expect(body.summary).toBe('Call <x>');
    expect(body.attendees).toEqual([{ email: 'ann@example.com', displayName: 'Ann', responseStatus: 'accepted' }]);
    expect(body.start).toEqual({ dateTime: '2030-01-01T00:00:00.000Z', timeZone: 'Asia/Tokyo' });
  });
});

describe('scopes', () => {
  it('accepts the two calendar scopes or the full calendar scope, and names what is missing', () => {
    expect(missingGoogleScopes('https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/calendar.events')).toEqual([]);
    expect(missingGoogleScopes('https://www.googleapis.com/auth/calendar')).toEqual([]);
    expect(missingGoogleScopes('https://www.googleapis.com/auth/calendar.readonly')).toEqual(['https://www.googleapis.com/auth/calendar.events']);
    expect(missingGoogleScopes(undefined)).toHaveLength(2);
  });
});

describe('error classification', () => {
  it('marks network failures, 5xx and rate limits retryable; 4xx not; invalid_grant revoked', () => {
    expect(toGoogleError(httpError(undefined), 'x')).toMatchObject({ reason: 'unavailable', retryable: true });
    expect(toGoogleError(httpError(503), 'x')).toMatchObject({ reason: 'unavailable', retryable: true, status: 503 });
    expect(toGoogleError(httpError(429, {}, { 'retry-after': '3' }), 'x')).toMatchObject({ reason: 'rate_limited', retryable: true, retryAfterMs: 3000 });
    expect(
      toGoogleError(httpError(403, { error: { code: 403, errors: [{ reason: 'rateLimitExceeded' }] } }), 'x'),
    ).toMatchObject({ reason: 'rate_limited', retryable: true });
    expect(
      toGoogleError(httpError(403, { error: { code: 403, errors: [{ reason: 'insufficientPermissions' }] } }), 'x'),
    ).toMatchObject({ reason: 'forbidden', retryable: false });
    expect(toGoogleError(httpError(404), 'x')).toMatchObject({ reason: 'not_found', retryable: false });
    expect(toGoogleError(httpError(410), 'x')).toMatchObject({ reason: 'not_found', retryable: false });
    expect(toGoogleError(httpError(400), 'x')).toMatchObject({ provider: 'google', reason: 'invalid_request', retryable: false });
    expect(toGoogleError(httpError(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }), 'x')).toMatchObject({
      provider: 'google',
      reason: 'revoked',
      retryable: false,
    });
  });
});
