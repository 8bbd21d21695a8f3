import { describe, expect, it } from 'vitest';
import { filterZones, localDateIn, zoneOptions } from './zones';

const at = new Date('2026-01-15T12:00:00Z');

describe('zone options', () => {
  it('lists every zone with its offset, sorted by offset', () => {
    const options = zoneOptions('en', [], at);
    expect(options.length).toBeGreaterThan(300);
    const tokyo = options.find((o) => o.zone === 'Asia/Tokyo');
    expect(tokyo?.offset).toBe('GMT+09:00');
    expect(options.find((o) => o.zone === 'America/New_York')?.offset).toBe('GMT-05:00');
    expect(options.find((o) => o.zone === 'UTC')).toBeTruthy();
    for (let i = 1; i < options.length; i++) expect(options[i]!.offsetMinutes).toBeGreaterThanOrEqual(options[i - 1]!.offsetMinutes);
  });

  it('keeps an alias the browser reports', () => {
    const options = zoneOptions('en', ['Asia/Calcutta', 'Asia/Kolkata'], at);
    expect(options.find((o) => o.zone === 'Asia/Calcutta')?.offset).toBe('GMT+05:30');
    expect(options.find((o) => o.zone === 'Asia/Kolkata')?.offset).toBe('GMT+05:30');
  });

  it('searches by city words, offset and the localized generic name', () => {
    const en = zoneOptions('en', [], at);
    expect(filterZones(en, 'new york').map((o) => o.zone)).toContain('America/New_York');
    expect(filterZones(en, 'York').map((o) => o.zone)).toContain('America/New_York');
    // ICU may spell some zones the old way (Asia/Katmandu, Europe/Kiev); either spelling is found by the new name.
    expect(filterZones(en, '+05:45').map((o) => o.zone)).toEqual(expect.arrayContaining([expect.stringMatching(/^Asia\/Kath?mandu$/)]));
    expect(filterZones(en, 'kolkata').map((o) => o.zone)).toEqual(expect.arrayContaining([expect.stringMatching(/^Asia\/(Kolkata|Calcutta)$/)]));
    expect(filterZones(en, 'Kyiv').map((o) => o.zone)).toEqual(expect.arrayContaining([expect.stringMatching(/^Europe\/(Kyiv|Kiev)$/)]));
    expect(filterZones(en, 'zzzz-nothing')).toEqual([]);
    const ja = zoneOptions('ja', [], at);
    expect(filterZones(ja, '日本').map((o) => o.zone)).toContain('Asia/Tokyo');
    expect(filterZones(ja, '東京').map((o) => o.zone)).toEqual(['Asia/Tokyo']);
    expect(filterZones(ja, 'ニューヨーク').map((o) => o.zone)).toEqual(['America/New_York']);
  });

  it('gives today in a zone regardless of the machine zone', () => {
    // 2026-01-15T20:00Z is already the 16th in Tokyo and still the 15th in New York.
    const instant = new Date('2026-01-15T20:00:00Z');
    expect(localDateIn('Asia/Tokyo', instant)).toBe('2026-01-16');
    expect(localDateIn('America/New_York', instant)).toBe('2026-01-15');
  });
});
