import { describe, expect, it } from 'vitest';
import { renderMeetingChangedMail } from './meeting-changed';
import { type RecordingReadyMailData, renderRecordingReadyMail } from './recording-ready';

const base = (overrides: Partial<RecordingReadyMailData> = {}): RecordingReadyMailData => ({
  recipient: 'host',
  locale: 'en',
  timeZone: 'America/New_York',
  title: 'Intro call',
  start: new Date('2026-12-01T01:00:00Z'),
  end: new Date('2026-12-01T01:30:00Z'),
  hostName: 'Tanaka',
  guestName: 'Guest <b>',
  shareUrl: 'https://zoom.example/rec/share/abc',
  files: [{ fileType: 'MP4', playUrl: 'https://zoom.example/rec/play/mp4' }],
  passcode: null,
  passcodeHint: 'Xy•••',
  bookingUrl: 'https://aki.example/bookings/u1',
  ...overrides,
});

describe('renderRecordingReadyMail', () => {
  it('host: play links, the passcode hint and the booking link, in the host zone and language', () => {
    const mail = renderRecordingReadyMail(base());
    expect(mail.subject).toContain('Recording ready');
    expect(mail.text).toContain('https://zoom.example/rec/play/mp4');
    expect(mail.text).toContain('https://zoom.example/rec/share/abc');
    expect(mail.text).toContain('Xy•••');
    expect(mail.text).toContain('https://aki.example/bookings/u1');
    expect(mail.text).toContain('8:00 PM – 8:30 PM (America / New York)');
    expect(mail.html).toContain('Guest &lt;b&gt;');
    expect(mail.html).not.toContain('<b>');
    const ja = renderRecordingReadyMail(base({ locale: 'ja', timeZone: 'Asia/Tokyo' }));
    expect(ja.subject).toContain('録画');
    expect(ja.text).toContain('2026年12月1日');
  });

  it('guest: the play link and the passcode, no booking link', () => {
    const mail = renderRecordingReadyMail(base({ recipient: 'guest', passcode: 'Xy7$kq', passcodeHint: null, bookingUrl: null }));
    expect(mail.subject).toContain('Recording of Intro call with Tanaka');
    expect(mail.text).toContain('Passcode: Xy7$kq');
    expect(mail.text).not.toContain('/bookings/');
  });
});

describe('renderMeetingChangedMail', () => {
  it('says the meeting was deleted in Zoom and links the booking', () => {
    const mail = renderMeetingChangedMail({
      locale: 'en',
      timeZone: 'Asia/Tokyo',
      change: 'deleted',
      title: 'Intro call',
      start: new Date('2026-12-01T01:00:00Z'),
      end: new Date('2026-12-01T01:30:00Z'),
      hostName: 'Tanaka',
      guestName: 'Guest',
      bookingUrl: 'https://aki.example/bookings/u1',
    });
    expect(mail.subject).toContain('was deleted in Zoom');
    expect(mail.text).toContain('recreate');
    expect(mail.html).toContain('href="https://aki.example/bookings/u1"');
  });

  it('names the time the meeting now has in Zoom (ja)', () => {
    const mail = renderMeetingChangedMail({
      locale: 'ja',
      timeZone: 'Asia/Tokyo',
      change: 'rescheduled',
      title: 'Intro call',
      start: new Date('2026-12-01T01:00:00Z'),
      end: new Date('2026-12-01T01:30:00Z'),
      hostName: 'Tanaka',
      guestName: 'Guest',
      zoomStart: new Date('2026-12-02T03:00:00Z'),
      bookingUrl: 'https://aki.example/bookings/u1',
    });
    expect(mail.subject).toContain('日時変更');
    expect(mail.text).toContain('12:00');
  });
});
