import { describe, expect, it } from 'vitest';
import { type BookingMailData, formatRange, renderBookingMail } from './booking';

const base = (overrides: Partial<BookingMailData> = {}): BookingMailData => ({
  kind: 'confirmed',
  recipient: 'guest',
  locale: 'en',
  timeZone: 'America/New_York',
  title: 'Intro call',
  start: new Date('2026-12-01T01:00:00Z'),
  end: new Date('2026-12-01T01:30:00Z'),
  hostName: 'Tanaka',
  hostEmail: 'host@example.com',
  guestName: 'Guest',
  guestEmail: 'guest@example.com',
  guestTimeZone: 'America/New_York',
  location: { type: 'zoom' },
  meeting: { status: 'created', joinUrl: 'https://zoom.example/j/123?pwd=abc', password: '111' },
  manageUrl: 'https://aki.example/booking/u1?token=t',
  bookingsUrl: 'https://aki.example/bookings',
  reconnectUrl: 'https://aki.example/settings/integrations',
  withIcs: true,
  ...overrides,
});

describe('renderBookingMail', () => {
  it("formats the time in the recipient's zone and language", () => {
    const en = renderBookingMail(base());
    expect(en.text).toContain('November 30, 2026'); // 01:00Z is the evening before in New York
    // No clock chosen: English reads 12-hour, as on the booking page
    expect(en.text).toContain('8:00 PM – 8:30 PM (America / New York)');
    const ja = renderBookingMail(base({ locale: 'ja', timeZone: 'Asia/Tokyo', recipient: 'host' }));
    expect(ja.subject).toContain('新しい予約');
    expect(ja.text).toContain('2026年12月1日');
    // Japanese mails name the city, never the IANA id
    expect(ja.text).toContain('10:00 – 10:30 (東京)');
    expect(ja.text).not.toContain('Asia/Tokyo');
  });

  it("follows the clock the recipient chose (issue 14: a guest who picked 12 h got '20:00')", () => {
    const twelve = renderBookingMail(base({ hour12: true }));
    expect(twelve.subject).toContain('8:00 PM');
    expect(twelve.text).toContain('8:00 PM – 8:30 PM');
    expect(twelve.text).not.toContain('20:00');
    const twentyFour = renderBookingMail(base({ hour12: false }));
    expect(twentyFour.subject).toContain('20:00');
    expect(twentyFour.text).toContain('20:00 – 20:30');
    expect(twentyFour.text).not.toMatch(/PM/);
    // Japanese reads 24-hour unless the recipient chose 12 h
    const ja = renderBookingMail(base({ locale: 'ja', timeZone: 'Asia/Tokyo' }));
    expect(ja.text).toContain('10:00 – 10:30');
    const ja12 = renderBookingMail(base({ locale: 'ja', timeZone: 'Asia/Tokyo', hour12: true, previousStart: new Date('2026-12-01T05:00:00Z'), previousEnd: new Date('2026-12-01T05:30:00Z'), kind: 'rescheduled' }));
    expect(ja12.text).toMatch(/午前10:00 – 午前10:30/);
    expect(ja12.text).toMatch(/午後2:00 – 午後2:30/);
  });

  it('gives the guest the join link and the manage link; says the link follows while pending', () => {
    const ready = renderBookingMail(base());
    expect(ready.text).toContain('https://zoom.example/j/123?pwd=abc');
    expect(ready.html).toContain('href="https://zoom.example/j/123?pwd=abc"');
    expect(ready.text).toContain('https://aki.example/booking/u1?token=t');
    const pending = renderBookingMail(base({ meeting: { status: 'pending', joinUrl: null, password: null } }));
    expect(pending.text).toContain('we will email it to you');
    expect(pending.text).not.toContain('zoom.example');
  });

  it('escapes every guest value in the HTML and keeps subjects on one line', () => {
    const evil = '<script>alert(1)</script>"\'&';
    const mail = renderBookingMail(
      base({ recipient: 'host', guestName: `${evil}\nBcc: x@evil.test`, answers: [{ label: 'Q <b>', value: `${evil}\nsecond line` }] }),
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(mail.html).toContain('second line');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('tells the host about a revoked Zoom link with a reconnect link, and not the guest', () => {
    const mail = renderBookingMail(base({ kind: 'zoom_problem', recipient: 'host', meeting: { status: 'pending', joinUrl: null, password: null }, problem: { code: 'revoked', detail: 'invalid_grant', reconnect: true } }));
    expect(mail.text).toContain('reconnect Zoom');
    expect(mail.text).toContain('https://aki.example/settings/integrations');
    expect(mail.text).toContain('invalid_grant');
  });

  it('one host mail for a problem lists every affected booking (ja/en), escaped, without answers or .ics', () => {
    const affected = [
      { title: 'Intro call', guestName: 'Ann <b>', start: new Date('2026-12-01T01:00:00Z'), end: new Date('2026-12-01T01:30:00Z') },
      { title: 'Intro call', guestName: 'Bob', start: new Date('2026-12-02T01:00:00Z'), end: new Date('2026-12-02T01:30:00Z') },
    ];
    const data = {
      kind: 'zoom_problem' as const,
      recipient: 'host' as const,
      timeZone: 'Asia/Tokyo',
      meeting: { status: 'pending' as const, joinUrl: null, password: null },
      problem: { code: 'unavailable' as const, detail: 'Zoom POST 500' },
      answers: [{ label: 'Topic', value: 'secret answer' }],
      affected,
      withIcs: false,
    };
    const en = renderBookingMail(base(data));
    expect(en.subject).toBe('Action needed: Zoom meetings for 2 bookings are not created yet');
    expect(en.text).toContain('Ann <b>');
    expect(en.text).toContain('Bob');
    expect(en.text).toContain('10:00 AM – 10:30 AM (Asia / Tokyo)');
    expect(en.html).toContain('Ann &lt;b&gt;');
    expect(en.text).not.toContain('secret answer');
    expect(en.text).not.toContain('reconnect');
    const ja = renderBookingMail(base({ ...data, locale: 'ja' }));
    expect(ja.subject).toContain('2 件の予約');
    expect(ja.text).toContain('対象の予約');
    // One affected booking: the usual single-booking mail.
    expect(renderBookingMail(base({ ...data, affected: affected.slice(1) })).subject).toContain('is not created yet');
  });

  it('a cancellation carries the reason and no join or manage link', () => {
    const mail = renderBookingMail(base({ kind: 'cancelled', cancelledBy: 'host', cancelReason: 'Sick <today>' }));
    expect(mail.subject).toMatch(/^Cancelled/);
    expect(mail.text).toContain('Tanaka cancelled your booking.');
    expect(mail.text).toContain('Sick <today>');
    expect(mail.html).toContain('Sick &lt;today&gt;');
    expect(mail.text).not.toContain('zoom.example');
  });

  it('formatRange needs an explicit zone (the test process runs in Asia/Kathmandu)', () => {
    expect(formatRange(new Date('2026-06-01T00:00:00Z'), new Date('2026-06-01T00:30:00Z'), 'UTC', 'en', false)).toContain('00:00 – 00:30 (UTC)');
  });
});

describe('host mails link to the booking page', () => {
  it('the host (ja and en) gets a link to /bookings/{uid}; the guest never does', () => {
    const bookingUrl = 'https://aki.example/bookings/u1';
    for (const locale of ['en', 'ja'] as const) {
      const host = renderBookingMail(base({ recipient: 'host', locale, bookingUrl }));
      expect(host.text).toContain(bookingUrl);
      expect(host.html).toContain(`href="${bookingUrl}"`);
    }
    const cancelled = renderBookingMail(base({ recipient: 'host', kind: 'cancelled', cancelledBy: 'guest', bookingUrl }));
    expect(cancelled.text).toContain(bookingUrl);
    const guest = renderBookingMail(base({ recipient: 'guest', bookingUrl }));
    expect(guest.text).not.toContain(bookingUrl);
  });
});
