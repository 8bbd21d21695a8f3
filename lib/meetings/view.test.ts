import { describe, expect, it } from 'vitest';
import { highlightParts, transcriptLines } from '@/components/host/transcript-search';
import { bookingsCsv, CSV_BOM, csvCell, localDateTime } from './csv';
import { apiBookingDetail, attendanceRate, buildTimeline, effectiveAttendance, meetingLifecycleStatus, passcodeHint } from './view';

const at = (hhmm: string) => new Date(`2026-11-20T${hhmm}:00Z`);

describe('buildTimeline', () => {
  it('orders every event by time, a person who rejoined appears with both segments, the story order breaks ties', () => {
    const events = buildTimeline({
      createdAt: at('01:00'),
      meetingCreatedAt: at('01:00'),
      meetingStartedAt: at('10:00'),
      meetingEndedAt: at('10:40'),
      segments: [
        { name: 'Guest', role: 'guest', joinAt: at('10:20'), leaveAt: at('10:40') },
        { name: 'Host', role: 'host', joinAt: at('10:00'), leaveAt: at('10:40') },
        { name: 'Guest', role: 'guest', joinAt: at('10:02'), leaveAt: at('10:10') },
        { name: 'Late leave only', role: 'other', joinAt: null, leaveAt: at('10:30') },
      ],
      firstRecordingAt: at('10:55'),
      changedInZoom: null,
      changedInZoomAt: null,
      cancelledAt: null,
    });
    expect(events.map((e) => `${e.at.slice(11, 16)} ${e.kind}${e.name ? ` ${e.name}` : ''}`)).toEqual([
      '01:00 booked',
      '01:00 meeting_created',
      '10:00 started',
      '10:00 joined Host',
      '10:02 joined Guest',
      '10:10 left Guest',
      '10:20 joined Guest',
      '10:30 left Late leave only',
      '10:40 left Guest',
      '10:40 left Host',
      '10:40 ended',
      '10:55 recording_ready',
    ]);
    expect(events.find((e) => e.kind === 'ended')?.durationSeconds).toBe(40 * 60);
  });

  it('ends with a change made in Zoom and a cancellation when they happened', () => {
    const events = buildTimeline({
      createdAt: at('01:00'),
      meetingCreatedAt: null,
      meetingStartedAt: null,
      meetingEndedAt: null,
      segments: [],
      firstRecordingAt: null,
      changedInZoom: 'deleted',
      changedInZoomAt: at('03:00'),
      cancelledAt: at('02:00'),
    });
    expect(events.map((e) => e.kind)).toEqual(['booked', 'cancelled', 'changed_in_zoom']);
    expect(events[2]?.change).toBe('deleted');
  });
});

describe('attendance helpers', () => {
  it('the rate counts final verdicts only (pending/unknown are not decided); none decided → null', () => {
    expect(attendanceRate(['attended', 'guest_no_show', 'pending', 'unknown', 'attended', 'nobody'])).toEqual({ attended: 2, decided: 4, rate: 0.5 });
    expect(attendanceRate(['pending', 'unknown'])).toEqual({ attended: 0, decided: 0, rate: null });
    expect(attendanceRate([])).toEqual({ attended: 0, decided: 0, rate: null });
  });

  it('the override wins over the measured verdict', () => {
    expect(effectiveAttendance('unknown', 'attended')).toBe('attended');
    expect(effectiveAttendance('guest_no_show', null)).toBe('guest_no_show');
  });

  it('meeting status: deleted in Zoom, else ended, started, else the stored status; none → null', () => {
    const row = { meetingStatus: 'created' as const, meetingChangedInZoom: null, meetingStartedAt: null, meetingEndedAt: null };
    expect(meetingLifecycleStatus(row)).toBe('created');
    expect(meetingLifecycleStatus({ ...row, meetingStartedAt: at('10:00') })).toBe('started');
    expect(meetingLifecycleStatus({ ...row, meetingStartedAt: at('10:00'), meetingEndedAt: at('10:30') })).toBe('ended');
    expect(meetingLifecycleStatus({ ...row, meetingEndedAt: at('10:30'), meetingChangedInZoom: 'deleted' })).toBe('deleted');
    expect(meetingLifecycleStatus({ ...row, meetingStatus: 'none' })).toBeNull();
  });

  it('shows only a hint of the recording passcode', () => {
    expect(passcodeHint('x7Qp!93a')).toBe('x7•••');
    expect(passcodeHint(null)).toBeNull();
  });

  it('the v1 detail keeps the list item fields and widens meeting with the lifecycle', () => {
    const item = { uid: 'u', title: 'T', meeting: { status: 'created', joinUrl: 'https://j', reason: null, needsReconnect: false } };
    const meeting = { provider: 'zoom' as const, id: '123', joinUrl: 'https://j', status: 'ended' as const, startedAt: 'a', endedAt: 'b' };
    const detail = apiBookingDetail(item, { meeting, attendance: { status: 'attended' }, recordings: [] });
    expect(detail).toEqual({ uid: 'u', title: 'T', meeting: { ...meeting, reason: null, needsReconnect: false }, attendance: { status: 'attended' }, recordings: [] });
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+81 3')).toBe("'+81 3");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });

  it('formats the local time in the given zone', () => {
    expect(localDateTime(new Date('2026-11-20T15:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-21 00:30');
    expect(localDateTime(new Date('2026-11-20T15:30:00Z'), 'America/New_York')).toBe('2026-11-20 10:30');
  });

  it('an empty export is the BOM and the header line', () => {
    const csv = bookingsCsv([], 'UTC');
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.slice(1).split('\r\n')[0]).toMatch(/^uid,title,start_utc,end_utc,start_local,status,guest_name,guest_email,meeting_status,attendance,/);
  });
});

describe('transcript highlighting', () => {
  it('splits a line around every case-insensitive match', () => {
    expect(highlightParts('Price, price and PRICE', 'price')).toEqual([
      { text: 'Price', match: true },
      { text: ', ', match: false },
      { text: 'price', match: true },
      { text: ' and ', match: false },
      { text: 'PRICE', match: true },
    ]);
    expect(highlightParts('料金について', '料金')).toEqual([
      { text: '料金', match: true },
      { text: 'について', match: false },
    ]);
    expect(highlightParts('nothing', '  ')).toEqual([{ text: 'nothing', match: false }]);
  });
});

describe('transcriptLines', () => {
  it('turns WebVTT cues into "start text" lines and keeps plain text', () => {
    const vtt = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nHost: こんにちは\n\n2\n00:01:05.500 --> 00:01:09.000\nGuest: Hello\nsecond line\n';
    expect(transcriptLines(vtt)).toEqual(['00:00:01 Host: こんにちは', '00:01:05 Guest: Hello', 'second line']);
    expect(transcriptLines('just text\nmore')).toEqual(['just text', 'more']);
  });
});
