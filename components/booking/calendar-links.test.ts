import { describe, expect, it } from 'vitest';
import { compactUtc, googleCalendarUrl, isoUtc, office365CalendarUrl, outlookCalendarUrl } from './calendar-links';

const event = {
  title: 'Intro call & "demo" <b>',
  start: '2026-04-01T00:30:00.000Z',
  end: '2026-04-01T01:00:00.000Z',
  details: 'Join: https://zoom.example/j/1?pwd=a&b=c\nline 2',
  location: 'https://zoom.example/j/1',
};

describe('calendar links', () => {
  it('formats instants in UTC whatever the machine zone is', () => {
    expect(compactUtc('2026-04-01T09:30:00+09:00')).toBe('20260401T003000Z');
    expect(isoUtc(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('2026-01-02T03:04:05Z');
  });

  it('builds a Google template link with encoded values', () => {
    const url = new URL(googleCalendarUrl(event));
    expect(url.origin + url.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(url.searchParams.get('action')).toBe('TEMPLATE');
    expect(url.searchParams.get('text')).toBe(event.title);
    expect(url.searchParams.get('dates')).toBe('20260401T003000Z/20260401T010000Z');
    expect(url.searchParams.get('details')).toBe(event.details);
    expect(url.searchParams.get('location')).toBe(event.location);
    expect(googleCalendarUrl(event)).not.toContain('<b>');
  });

  it('builds Outlook links with ISO times', () => {
    for (const [build, host] of [
      [outlookCalendarUrl, 'outlook.live.com'],
      [office365CalendarUrl, 'outlook.office.com'],
    ] as const) {
      const url = new URL(build(event));
      expect(url.host).toBe(host);
      expect(url.searchParams.get('rru')).toBe('addevent');
      expect(url.searchParams.get('subject')).toBe(event.title);
      expect(url.searchParams.get('startdt')).toBe('2026-04-01T00:30:00Z');
      expect(url.searchParams.get('enddt')).toBe('2026-04-01T01:00:00Z');
      expect(url.searchParams.get('body')).toBe(event.details);
    }
  });

  it('omits empty optional fields', () => {
    const url = new URL(googleCalendarUrl({ title: 't', start: event.start, end: event.end }));
    expect(url.searchParams.has('details')).toBe(false);
    expect(url.searchParams.has('location')).toBe(false);
  });
});
