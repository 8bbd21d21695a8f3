import { describe, expect, it } from 'vitest';
import { renderBookingMail } from '@/lib/mail/templates/booking';
import { timeZoneChoices, zoneDisplayName } from './zone-names';

const NOW = new Date('2026-01-15T00:00:00Z');

describe('the one time-zone list (issue 14, defect 7)', () => {
  it('has current IANA names only, each once, with its offset', () => {
    for (const locale of ['en', 'ja'] as const) {
      const choices = timeZoneChoices(NOW, locale);
      const ids = choices.map((c) => c.id);
      expect(ids).toContain('Asia/Kolkata');
      expect(ids).toContain('Europe/Kyiv');
      expect(ids).toContain('Asia/Kathmandu');
      expect(ids).toContain('UTC');
      for (const legacy of ['Asia/Calcutta', 'Asia/Katmandu', 'Europe/Kiev', 'Asia/Saigon']) expect(ids).not.toContain(legacy);
      expect(new Set(ids).size).toBe(ids.length);
      for (const choice of choices) expect(choice.label).toMatch(/\(UTC([+−-]\d{2}:\d{2})?\)$/);
    }
  });

  it('labels in the UI language: Japanese shows cities, never "Asia / Tokyo"', () => {
    const ja = timeZoneChoices(NOW, 'ja');
    expect(ja.find((c) => c.id === 'Asia/Tokyo')!.label).toBe('東京 (UTC+09:00)');
    expect(ja.find((c) => c.id === 'Asia/Kathmandu')!.label).toBe('カトマンズ (UTC+05:45)');
    const en = timeZoneChoices(NOW, 'en');
    expect(en.find((c) => c.id === 'America/New_York')!.label).toBe('America / New York — Eastern Time (UTC-05:00)');
    // sorted by offset: New York before Tokyo
    expect(en.findIndex((c) => c.id === 'America/New_York')).toBeLessThan(en.findIndex((c) => c.id === 'Asia/Tokyo'));
    expect(zoneDisplayName('Asia/Tokyo', 'ja')).toBe('東京');
    expect(zoneDisplayName('Europe/Lisbon', 'ja')).not.toMatch(/Europe|\//);
  });

  it('a host mail while Zoom is pending says so in Japanese without an English "(pending)"', () => {
    const mail = renderBookingMail({
      kind: 'confirmed',
      recipient: 'host',
      locale: 'ja',
      timeZone: 'Asia/Tokyo',
      title: '相談',
      start: NOW,
      end: new Date(NOW.getTime() + 30 * 60_000),
      hostName: 'Host',
      hostEmail: 'host@example.com',
      guestName: 'Guest',
      guestEmail: 'guest@example.com',
      guestTimeZone: 'America/New_York',
      location: { type: 'zoom' },
      meeting: { status: 'pending', joinUrl: null, password: null },
    });
    expect(mail.text).toContain('Zoom ミーティングはまだ作成されていません。');
    expect(mail.text).not.toMatch(/pending|Asia\/Tokyo|Asia \/ Tokyo/);
  });
});
