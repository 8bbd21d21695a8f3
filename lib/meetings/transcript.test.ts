import { describe, expect, it } from 'vitest';
import { parseVtt, passcodeHint } from './transcript';

const ZOOM_VTT = `WEBVTT

1
00:00:01.000 --> 00:00:04.500
Alice Tanaka: Hello, can you hear me?

2
00:00:05.000 --> 00:00:07.250
Bob: Yes — loud and clear.

3
00:00:08.000 --> 00:00:12.000
Alice Tanaka: Great. Let's talk about
the proposal &amp; the budget.
`;

describe('parseVtt', () => {
  it('keeps cue order as "Speaker: text" lines, dropping the header, ids and timing lines', () => {
    expect(parseVtt(ZOOM_VTT)).toEqual([
      'Alice Tanaka: Hello, can you hear me?',
      'Bob: Yes — loud and clear.',
      "Alice Tanaka: Great. Let's talk about the proposal & the budget.",
    ]);
  });

  it('reads <v Speaker> voice tags, CRLF, a BOM, NOTE blocks and cues without ids', () => {
    const vtt = '\uFEFFWEBVTT - Zoom\r\n\r\nNOTE this is a note\r\nspanning lines\r\n\r\n00:01.000 --> 00:02.000 align:start\r\n<v 佐藤 健>こんにちは</v>\r\n\r\n00:00:03.000 --> 00:00:04.000\r\n<v.loud Ann>Hi <i>there</i></v>\r\n';
    expect(parseVtt(vtt)).toEqual(['佐藤 健: こんにちは', 'Ann: Hi there']);
  });

  it('gives nothing for text that is not VTT cues', () => {
    expect(parseVtt('')).toEqual([]);
    expect(parseVtt('<html>Access denied</html>')).toEqual([]);
    expect(parseVtt('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n\n')).toEqual([]);
  });
});

describe('passcodeHint', () => {
  it('shows the first two characters only', () => {
    expect(passcodeHint('Xy7$kq!')).toBe('Xy•••');
    expect(passcodeHint('a')).toBe('a•••');
    expect(passcodeHint(null)).toBeNull();
    expect(passcodeHint('')).toBeNull();
  });
});
