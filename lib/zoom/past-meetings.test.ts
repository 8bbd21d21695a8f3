import { describe, expect, it } from 'vitest';
import { pastMeetingSegment } from './client';
import { normaliseMeetingId } from './webhooks';

describe('pastMeetingSegment', () => {
  it('numeric ids as they are; UUIDs encoded once, twice when they start with / or contain //', () => {
    expect(pastMeetingSegment('85746065432')).toBe('85746065432');
    expect(pastMeetingSegment('4444AAAiAAAAAiAiAiiAii==')).toBe('4444AAAiAAAAAiAiAiiAii%3D%3D');
    expect(pastMeetingSegment('/ajXp112QmuoKj4854875==')).toBe('%252FajXp112QmuoKj4854875%253D%253D');
    expect(pastMeetingSegment('ab//cd==')).toBe('ab%252F%252Fcd%253D%253D');
    expect(() => pastMeetingSegment('')).toThrow();
  });
});

describe('normaliseMeetingId', () => {
  it('numbers and strings alike, int64 beyond 2^53 kept exact (arrives as a string)', () => {
    expect(normaliseMeetingId(85746065432)).toBe('85746065432');
    expect(normaliseMeetingId('85746065432')).toBe('85746065432');
    expect(normaliseMeetingId('9007199254740993123')).toBe('9007199254740993123');
    expect(normaliseMeetingId(9007199254740993123n)).toBe('9007199254740993123');
  });
  it('anything else is not a meeting id', () => {
    for (const bad of [null, undefined, '', 'abc', 0, -1, 1.5, '0', { id: 1 }]) expect(normaliseMeetingId(bad)).toBeNull();
    // An unsafe JS number was already rounded: refused rather than guessed.
    expect(normaliseMeetingId(2 ** 60)).toBeNull();
  });
});
