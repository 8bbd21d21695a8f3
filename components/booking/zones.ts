import { compareTimeZoneOptions, isKnownTimeZone, listTimeZones, RENAMED_ZONES, timeZoneOption, todayIn } from '@/lib/availability/time-zone';
import type { IsoDate } from './calendar-grid';
import { zoneLabel } from './format';

/**
 * Time-zone data for the guest picker: every IANA zone the browser knows, with its current offset
 * and its generic name in the UI language (so "日本" or "Pacific" finds a zone too). Zones, offsets
 * and renamed zones come from lib/availability/time-zone.ts; this file only adds names and search.
 * ICU lists some zones under their old names (Asia/Calcutta): the current IANA spelling is part of
 * the search text so "Kolkata" or "Kyiv" find them.
 */

export type ZoneOption = { zone: string; label: string; offset: string; offsetMinutes: number; name: string; search: string };

/** Japanese names of frequently chosen cities (ICU exposes zone names, not city names, through Intl). */
const JA_CITY: Record<string, string> = {
  'Asia/Tokyo': '東京 日本',
  'Asia/Seoul': 'ソウル 韓国',
  'Asia/Shanghai': '上海 北京 中国',
  'Asia/Hong_Kong': '香港',
  'Asia/Taipei': '台北 台湾',
  'Asia/Singapore': 'シンガポール',
  'Asia/Bangkok': 'バンコク タイ',
  'Asia/Saigon': 'ホーチミン ベトナム',
  'Asia/Ho_Chi_Minh': 'ホーチミン ベトナム',
  'Asia/Manila': 'マニラ フィリピン',
  'Asia/Jakarta': 'ジャカルタ インドネシア',
  'Asia/Calcutta': 'コルカタ インド',
  'Asia/Kolkata': 'コルカタ インド',
  'Asia/Dubai': 'ドバイ',
  'Australia/Sydney': 'シドニー オーストラリア',
  'Pacific/Auckland': 'オークランド ニュージーランド',
  'Pacific/Honolulu': 'ホノルル ハワイ',
  'America/Los_Angeles': 'ロサンゼルス サンフランシスコ シアトル',
  'America/Denver': 'デンバー',
  'America/Chicago': 'シカゴ',
  'America/New_York': 'ニューヨーク ワシントン ボストン',
  'America/Toronto': 'トロント カナダ',
  'America/Vancouver': 'バンクーバー カナダ',
  'America/Sao_Paulo': 'サンパウロ ブラジル',
  'America/Mexico_City': 'メキシコシティ',
  'Europe/London': 'ロンドン イギリス',
  'Europe/Paris': 'パリ フランス',
  'Europe/Berlin': 'ベルリン ドイツ',
  'Europe/Madrid': 'マドリード スペイン',
  'Europe/Rome': 'ローマ イタリア',
  'Europe/Amsterdam': 'アムステルダム オランダ',
  'Europe/Moscow': 'モスクワ ロシア',
  UTC: '協定世界時',
};

function genericName(zone: string, locale: string, at: Date): string {
  try {
    const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? '';
  } catch {
    return '';
  }
}

/** Options sorted by offset then name; `extra` (e.g. the detected zone when it is an alias) is always included. */
export function zoneOptions(locale: 'ja' | 'en', extra: string[] = [], at: Date = new Date()): ZoneOption[] {
  const tag = locale === 'ja' ? 'ja-JP' : 'en-US';
  const listed = listTimeZones(at);
  const known = new Set(listed.map((z) => z.id));
  // The browser may report an alias (Asia/Calcutta) that the canonical list spells differently.
  const extras = extra.filter((zone) => zone && !known.has(zone) && isKnownTimeZone(zone)).map((id) => timeZoneOption(id, at));
  const all = extras.length ? [...listed, ...extras].sort(compareTimeZoneOptions) : listed;
  return all.map(({ id, offsetMinutes, offsetLabel }) => {
    const name = genericName(id, tag, at);
    const label = zoneLabel(id);
    const short = offsetLabel.replace(/^UTC/, '').replace(/:00$/, '');
    const offset = offsetLabel.replace(/^UTC/, 'GMT');
    return {
      zone: id,
      label,
      offset,
      offsetMinutes,
      name,
      search: normalize(`${id} ${RENAMED_ZONES[id] ?? ''} ${locale === 'ja' ? (JA_CITY[id] ?? '') : ''} ${label} ${name} ${offsetLabel} ${offset} UTC${short} GMT${short}`),
    };
  });
}

export const normalize = (value: string) => value.toLowerCase().normalize('NFKC').replace(/[_/]/g, ' ');

/** All words of the query must appear (so "new york", "york", "-05" and "東京" work). */
export function filterZones(options: ZoneOption[], query: string): ZoneOption[] {
  const words = normalize(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return options;
  return options.filter((o) => words.every((w) => o.search.includes(w)));
}

/** Today's local date in a zone (lib/availability owns the zone math). */
export const localDateIn = (zone: string, at: Date = new Date()): IsoDate => todayIn(zone, at);
