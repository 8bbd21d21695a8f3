import { describe, expect, it } from 'vitest';
import { defaultHour12, formatDateLabel, formatMonth, formatOffset, formatTime, safeHref, weekdayNames, zoneCity, zoneLabel } from './format';

describe('guest formatting', () => {
  const instant = '2026-11-23T05:00:00Z'; // 00:00 in New York, 14:00 in Tokyo

  it('formats times in the given zone, not the machine zone (TZ=Asia/Kathmandu here)', () => {
    expect(formatTime(instant, 'America/New_York', 'en', true)).toBe('12:00 AM');
    expect(formatTime(instant, 'America/New_York', 'en', false)).toBe('00:00');
    expect(formatTime(instant, 'Asia/Tokyo', 'ja', false)).toBe('14:00');
    expect(formatTime(instant, 'Asia/Tokyo', 'ja', true)).toMatch(/2:00/);
  });

  it('labels local dates and months without shifting them', () => {
    expect(formatDateLabel('2026-11-23', 'ja')).toBe('11月23日(月)');
    expect(formatDateLabel('2026-11-23', 'en')).toBe('Monday, November 23');
    expect(formatMonth('2026-01', 'en')).toBe('January 2026');
    expect(formatMonth('2026-01', 'ja')).toBe('2026年1月');
    expect(weekdayNames('ja')[0]).toBe('日');
    expect(weekdayNames('en')[6]).toBe('Sat');
  });

  it('shows zones and offsets', () => {
    expect(formatOffset('Asia/Kathmandu', new Date(instant))).toBe('GMT+05:45');
    expect(formatOffset('UTC', new Date(instant))).toBe('GMT+00:00');
    expect(zoneLabel('America/Argentina/Buenos_Aires', 'en')).toBe('America / Argentina / Buenos Aires');
    // Japanese screens never show the IANA id
    expect(zoneLabel('Asia/Tokyo', 'ja')).toBe('東京');
    expect(zoneLabel('America/New_York', 'ja')).toBe('ニューヨーク');
    expect(zoneLabel('Asia/Kolkata', 'ja')).not.toMatch(/Asia|\//);
    expect(zoneCity('America/Argentina/Buenos_Aires', 'en')).toBe('Buenos Aires');
    expect(zoneCity('America/New_York', 'ja')).toBe('ニューヨーク');
    expect(zoneCity('America/Argentina/Buenos_Aires', 'ja')).toBe('Buenos Aires');
  });

  it('defaults the clock by language and only links http(s)', () => {
    expect(defaultHour12('ja')).toBe(false);
    expect(defaultHour12('en')).toBe(true);
    expect(safeHref('https://zoom.us/j/1')).toBe('https://zoom.us/j/1');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(null)).toBeNull();
  });
});
