import { describe, expect, it } from 'vitest';
import { renderBookingMail } from '@/lib/mail/templates/booking';
import { hostProblem, isZoomProblemCode, ZOOM_PROBLEM_CODES } from './notifications';

describe('host problem notices', () => {
  it('links to the settings page only where reconnecting Zoom fixes the problem', () => {
    expect(ZOOM_PROBLEM_CODES.filter((code) => hostProblem(code).reconnect)).toEqual(['revoked', 'not_connected', 'missing_scope', 'failed']);
    expect(isZoomProblemCode('unavailable')).toBe(true);
    expect(isZoomProblemCode('zoom.unavailable')).toBe(false);
  });

  it('every code has its text in both languages', () => {
    for (const locale of ['en', 'ja'] as const) {
      for (const code of ZOOM_PROBLEM_CODES) {
        const mail = renderBookingMail({
          kind: 'zoom_problem',
          recipient: 'host',
          locale,
          timeZone: 'UTC',
          title: 'Call',
          start: new Date('2026-12-01T01:00:00Z'),
          end: new Date('2026-12-01T01:30:00Z'),
          hostName: 'Host',
          hostEmail: 'host@example.com',
          guestName: 'Guest',
          guestEmail: 'guest@example.com',
          guestTimeZone: 'UTC',
          location: { type: 'zoom' },
          meeting: { status: 'pending', joinUrl: null, password: null },
          reconnectUrl: 'https://aki.example/settings/integrations',
          problem: hostProblem(code),
        });
        expect(mail.text).not.toContain('booking.problem');
        expect(mail.text.includes('https://aki.example/settings/integrations')).toBe(hostProblem(code).reconnect);
      }
    }
  });
});
