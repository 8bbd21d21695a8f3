import { describe, expect, it } from 'vitest';
import type { BookingMailData } from '@/lib/mail/templates/booking';
import { renderBookingMail } from '@/lib/mail/templates/booking';
import { renderFollowUpMail } from '@/lib/mail/templates/follow-up';
import { FOLLOW_UP_DELAY_MS, plannedReminderSpecs, REMINDER_SKIP, reminderSkipCode } from './reminders';

const MIN = 60_000;

describe('plannedReminderSpecs', () => {
  const start = new Date('2026-12-03T09:00:00Z');
  const end = new Date('2026-12-03T09:30:00Z');
  const now = new Date('2026-11-20T00:00:00Z');

  it('one step per reminder at start − offset, with the start it is for; the follow-up 30 min after the end', () => {
    const specs = plannedReminderSpecs(
      {
        reminders: [
          { to: 'guest', minutesBefore: 1440 },
          { to: 'host', minutesBefore: 5 },
        ],
        followUp: { message: 'Thanks', noShow: 'skip' },
      },
      start,
      end,
      now,
    );
    expect(specs).toEqual([
      { kind: 'reminder.guest', runAt: new Date('2026-12-02T09:00:00Z'), payload: { minutesBefore: 1440, startAt: start.toISOString() } },
      { kind: 'reminder.host', runAt: new Date('2026-12-03T08:55:00Z'), payload: { minutesBefore: 5, startAt: start.toISOString() } },
      { kind: 'followup.guest', runAt: new Date(end.getTime() + FOLLOW_UP_DELAY_MS), payload: { endAt: end.toISOString() } },
    ]);
    expect(FOLLOW_UP_DELAY_MS).toBe(30 * MIN);
  });

  it('no reminders and no follow-up: nothing', () => {
    expect(plannedReminderSpecs({ reminders: [], followUp: null }, start, end, now)).toEqual([]);
  });

  it('a reminder whose time has come (or passed) at booking is recorded skipped, the others stay planned', () => {
    const bookedAt = new Date(start.getTime() - 60 * MIN); // exactly at the 1 h reminder's time
    const specs = plannedReminderSpecs(
      {
        reminders: [
          { to: 'guest', minutesBefore: 1440 },
          { to: 'guest', minutesBefore: 60 },
          { to: 'host', minutesBefore: 30 },
        ],
        followUp: null,
      },
      start,
      end,
      bookedAt,
    );
    expect(specs.map((s) => [s.kind, s.payload?.minutesBefore, s.skipped ?? null])).toEqual([
      ['reminder.guest', 1440, REMINDER_SKIP.insideWindow],
      ['reminder.guest', 60, REMINDER_SKIP.insideWindow],
      ['reminder.host', 30, null],
    ]);
  });

  it('across a DST change "1 day before" is 24 real hours before the start instant', () => {
    // New York leaves DST on 2026-11-01 at 02:00: the meeting is 10:00 EST (15:00Z); a day earlier is 11:00 EDT.
    const dstStart = new Date('2026-11-01T15:00:00Z');
    const [spec] = plannedReminderSpecs({ reminders: [{ to: 'guest', minutesBefore: 1440 }], followUp: null }, dstStart, new Date('2026-11-01T15:30:00Z'), now);
    expect(spec!.runAt.toISOString()).toBe('2026-10-31T15:00:00.000Z');
    expect(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit' }).format(spec!.runAt)).toBe('11:00 AM');
    // …and the reminder sent then names the meeting's own local time.
    const mail = renderBookingMail({ ...reminderData(), start: dstStart, end: new Date('2026-11-01T15:30:00Z'), hour12: true });
    expect(mail.text).toContain('10:00 AM – 10:30 AM');
  });

  it('skip reasons map to stable codes (the host UI translates them); other text is kept', () => {
    expect(reminderSkipCode(REMINDER_SKIP.insideWindow)).toBe('insideWindow');
    expect(reminderSkipCode('booking cancelled')).toBe('cancelled');
    expect(reminderSkipCode('something else')).toBe('something else');
    expect(reminderSkipCode(undefined)).toBeNull();
  });
});

function reminderData(overrides: Partial<BookingMailData> = {}): BookingMailData {
  return {
    kind: 'reminder',
    recipient: 'guest',
    locale: 'en',
    timeZone: 'America/New_York',
    title: 'Intro call',
    start: new Date('2026-12-01T01:00:00Z'),
    end: new Date('2026-12-01T01:30:00Z'),
    hostName: 'Tanaka',
    hostEmail: 'host@example.com',
    guestName: 'Guest <b>',
    guestEmail: 'guest@example.com',
    guestTimeZone: 'America/New_York',
    location: { type: 'zoom' },
    meeting: { status: 'created', joinUrl: 'https://zoom.example/j/123?pwd=abc', password: '111' },
    manageUrl: 'https://aki.example/booking/u1?token=t',
    bookingsUrl: 'https://aki.example/bookings',
    bookingUrl: 'https://aki.example/bookings/u1',
    withIcs: false,
    ...overrides,
  };
}

describe('reminder mail', () => {
  it('the guest’s: join link, passcode, manage link, no .ics line; 12 h when chosen', () => {
    const mail = renderBookingMail(reminderData({ hour12: true }));
    expect(mail.subject).toBe('Reminder: Intro call with Tanaka on Mon, Nov 30, 8:00 PM');
    expect(mail.text).toContain('This is a reminder of your booking with Tanaka.');
    expect(mail.text).toContain('Join Zoom meeting: https://zoom.example/j/123?pwd=abc');
    expect(mail.text).toContain('Passcode: 111');
    expect(mail.text).toContain('https://aki.example/booking/u1?token=t');
    expect(mail.text).not.toContain('.ics');
    expect(mail.html).toContain('Guest &lt;b&gt;');
  });

  it('24 h when chosen, and Japanese reads 24 h by habit', () => {
    expect(renderBookingMail(reminderData({ hour12: false })).text).toContain('20:00 – 20:30');
    const ja = renderBookingMail(reminderData({ locale: 'ja', timeZone: 'Asia/Tokyo' }));
    expect(ja.subject).toMatch(/^リマインダー: .*10:00 Intro call（Tanaka）$/);
    expect(ja.text).toContain('10:00 – 10:30 (東京)');
  });

  it('while the Zoom meeting is pending the guest is told the link follows by mail', () => {
    const mail = renderBookingMail(reminderData({ meeting: { status: 'pending', joinUrl: null, password: null } }));
    expect(mail.text).toContain('Zoom (the link will follow by email)');
    expect(mail.text).not.toContain('Join Zoom meeting');
  });

  it('the host’s: the guest, the booking’s page in Aki, never a manage link', () => {
    const mail = renderBookingMail(reminderData({ recipient: 'host', manageUrl: null, locale: 'ja', timeZone: 'Asia/Tokyo' }));
    expect(mail.subject).toContain('リマインダー: Guest <b> 様');
    expect(mail.text).toContain('https://aki.example/bookings/u1');
    expect(mail.text).not.toContain('token=');
  });

  it('phone and in-person pages name the place', () => {
    expect(renderBookingMail(reminderData({ location: { type: 'in_person', address: '1-1 Chiyoda' }, meeting: null })).text).toContain('In person: 1-1 Chiyoda');
    expect(renderBookingMail(reminderData({ location: { type: 'phone', phone: '+81 3' }, meeting: null })).text).toContain('Phone: +81 3');
  });
});

describe('follow-up mail', () => {
  const data = {
    kind: 'thanks' as const,
    locale: 'en' as const,
    timeZone: 'Europe/Berlin',
    title: 'Intro call',
    start: new Date('2026-12-01T09:00:00Z'),
    end: new Date('2026-12-01T09:30:00Z'),
    hostName: 'Tanaka',
    guestName: 'Guest',
    message: 'Thanks!\n<script>alert(1)</script>',
    recording: { url: 'https://zoom.example/rec/share/abc', passcode: 'pw1' },
    bookAgainUrl: 'https://aki.example/tanaka/intro',
  };

  it('thanks: the message (escaped, lines kept), the recording and its passcode, book again', () => {
    const mail = renderFollowUpMail(data);
    expect(mail.subject).toBe('Thank you for meeting Tanaka: Intro call');
    expect(mail.text).toContain('Thanks!\n<script>');
    expect(mail.html).toContain('Thanks!<br>&lt;script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('Recording: https://zoom.example/rec/share/abc');
    expect(mail.text).toContain('Passcode: pw1');
    expect(mail.text).toContain('Book another time with Tanaka: https://aki.example/tanaka/intro');
    expect(mail.text).toContain('10:00 AM – 10:30 AM');
  });

  it('sorry: no recording, a book-again link; Japanese in 24 h', () => {
    const mail = renderFollowUpMail({ ...data, kind: 'sorry', locale: 'ja', message: '' });
    expect(mail.subject).toBe('お会いできませんでした: Intro call（Tanaka）');
    expect(mail.text).not.toContain('zoom.example/rec');
    expect(mail.text).toContain('https://aki.example/tanaka/intro');
    expect(mail.text).toContain('10:00 – 10:30');
  });
});
