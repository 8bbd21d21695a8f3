import { describe, expect, it } from 'vitest';
import { parseIcs, unescapeIcsText } from '@/lib/bookings/testing';
import { buildIcs, type IcsEvent, icsUid } from './ics';

const event = (overrides: Partial<IcsEvent> = {}): IcsEvent => ({
  bookingUid: 'abc123',
  sequence: 0,
  status: 'confirmed',
  start: new Date('2026-12-01T01:00:00Z'),
  end: new Date('2026-12-01T01:30:00Z'),
  summary: 'Intro call (Guest)',
  description: 'Zoom: https://zoom.example/j/1',
  location: 'https://zoom.example/j/1?pwd=x',
  organizer: { name: 'Host', email: 'host@example.com' },
  attendee: { name: 'Guest', email: 'guest@example.com' },
  stamp: new Date('2026-11-21T00:00:00Z'),
  ...overrides,
});

describe('buildIcs', () => {
  it('writes METHOD:REQUEST with a stable UID, SEQUENCE, UTC times and CRLF lines', () => {
    const text = buildIcs('REQUEST', [event({ sequence: 3 })]);
    const ics = parseIcs(text);
    expect(ics.method).toBe('REQUEST');
    const [e] = ics.events;
    expect(e!.props.UID).toBe(icsUid('abc123'));
    expect(e!.props.SEQUENCE).toBe('3');
    expect(e!.props.DTSTART).toBe('20261201T010000Z');
    expect(e!.props.DTEND).toBe('20261201T013000Z');
    expect(e!.props.STATUS).toBe('CONFIRMED');
    expect(e!.props.ORGANIZER).toBe('mailto:host@example.com');
    expect(e!.attendees).toEqual(['MAILTO:guest@example.com']);
  });

  it('writes METHOD:CANCEL with STATUS:CANCELLED and the same UID', () => {
    const ics = parseIcs(buildIcs('CANCEL', [event({ sequence: 4, status: 'cancelled' })]));
    expect(ics.method).toBe('CANCEL');
    expect(ics.events[0]!.props.STATUS).toBe('CANCELLED');
    expect(ics.events[0]!.props.UID).toBe(icsUid('abc123'));
  });

  it('keeps hostile text inside values (escaped, folded) and strips what parameters cannot hold', () => {
    const evil = 'Evil";CN=x:\r\nATTENDEE:mailto:attacker@example.com\nBEGIN:VEVENT,;\\ <script>';
    const text = buildIcs('REQUEST', [
      event({ summary: evil, description: `${evil}\n${'長い説明'.repeat(40)}`, attendee: { name: evil, email: 'guest@example.com' }, organizer: { name: evil, email: 'bad email@x' } }),
    ]);
    const ics = parseIcs(text);
    expect(ics.events).toHaveLength(1);
    const [e] = ics.events;
    expect(e!.attendees).toHaveLength(1);
    expect(unescapeIcsText(e!.props.SUMMARY!)).toBe(evil.replace(/\r\n/g, '\n'));
    expect(e!.params.ATTENDEE).not.toMatch(/[\r\n]/);
    expect(e!.props.ORGANIZER).toBe('mailto:invalid@invalid.invalid');
  });

  it('publishes several events for a feed', () => {
    const ics = parseIcs(buildIcs('PUBLISH', [event(), event({ bookingUid: 'other' })], { name: 'Aki' }));
    expect(ics.method).toBe('PUBLISH');
    expect(ics.events.map((e) => e.props.UID)).toEqual([icsUid('abc123'), icsUid('other')]);
  });
});
