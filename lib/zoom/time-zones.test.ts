import { describe, expect, it } from 'vitest';
import { isZoomTimeZone, ZOOM_TIME_ZONES } from './time-zone-list';
import { zoomTimeZone } from './time-zones';

const summer = new Date('2031-07-01T00:00:00Z');
const winter = new Date('2031-01-10T00:00:00Z');

describe('zoomTimeZone', () => {
  it('keeps zones Zoom lists', () => {
    for (const zone of ['Asia/Tokyo', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Calcutta', 'Asia/Kathmandu', 'UTC']) {
      expect(zoomTimeZone(zone, summer)).toBe(zone);
    }
  });

  it('maps IANA names Zoom spells differently to its entry', () => {
    expect(zoomTimeZone('Asia/Ho_Chi_Minh', summer)).toBe('Asia/Saigon');
    expect(zoomTimeZone('Europe/Kyiv', summer)).toBe('Europe/Kiev');
    expect(zoomTimeZone('America/Toronto', summer)).toBe('America/Montreal');
    expect(zoomTimeZone('Etc/UTC', summer)).toBe('UTC');
  });

  it('maps unlisted zones to a listed zone with the same offsets, preferring the same region', () => {
    // Europe/Ljubljana, Africa/Lagos, Asia/Manila are not on Zoom's list.
    const ljubljana = zoomTimeZone('Europe/Ljubljana', summer);
    expect(ljubljana.startsWith('Europe/')).toBe(true);
    expect(isZoomTimeZone(ljubljana)).toBe(true);
    expect(zoomTimeZone('Asia/Manila', winter)).toMatch(/^Asia\/(Irkutsk|Shanghai|Hong_Kong|Taipei|Kuala_Lumpur|Singapore)$/); // +08:00 all year
    expect(zoomTimeZone('America/Detroit', winter)).toMatch(/^America\/(Montreal|New_York)$/); // US Eastern rules
    const lagos = zoomTimeZone('Africa/Lagos', summer); // +01:00 all year
    expect(lagos).toMatch(/^Africa\//);
  });

  it('falls back to UTC for unknown or unmatched zones; the result is always on Zoom list', () => {
    expect(zoomTimeZone('Not/AZone', summer)).toBe('UTC');
    expect(zoomTimeZone('Asia/Yangon', summer)).toBe('UTC'); // +06:30: no Zoom entry has it
    for (const zone of Intl.supportedValuesOf('timeZone')) expect(ZOOM_TIME_ZONES).toContain(zoomTimeZone(zone, summer));
  });
});
