import { listTimeZones } from './time-zone';

/**
 * How a time zone is named to people, in the UI language: the one list every zone picker of Aki
 * shows (host profile, onboarding, booking page editor) and the names screens and mails print.
 * IANA ids (`Asia/Tokyo`) are for machines; people read "東京" or "Tokyo" with the offset.
 */

type Locale = 'ja' | 'en';

/** Japanese names of frequently chosen cities, then words that should find them (ICU gives zone names, not city names). */
export const JA_CITY: Record<string, string> = {
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
  'Asia/Kathmandu': 'カトマンズ ネパール',
  'Asia/Dubai': 'ドバイ',
  'Australia/Sydney': 'シドニー オーストラリア',
  'Australia/Melbourne': 'メルボルン オーストラリア',
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
  'Europe/Kyiv': 'キーウ ウクライナ',
  'Europe/Moscow': 'モスクワ ロシア',
  UTC: '協定世界時',
};

/** "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export const englishCity = (zone: string) => (zone === 'UTC' ? 'UTC' : (zone.split('/').pop() ?? zone).replace(/_/g, ' '));

/** The zone's generic name from ICU in the language ("Japan Time", "日本時間"), or '' when ICU has none. */
export function genericZoneName(zone: string, locale: Locale, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-US', { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    // ICU answers "GMT+05:45" where it has no name: that is not a name.
    return part && !/^(GMT|UTC)[+-−]/.test(part.value) ? part.value : '';
  } catch {
    return '';
  }
}

/**
 * A zone as people read it: Japanese → the city ("東京"), else ICU's name ("インド時間"), else the city in
 * Latin letters; English → "America / New York" (the region tells the many Springfields apart).
 */
export function zoneDisplayName(zone: string, locale: Locale, at: Date = new Date()): string {
  if (locale === 'ja') {
    const city = JA_CITY[zone]?.split(' ')[0];
    if (city) return city;
    return genericZoneName(zone, 'ja', at) || englishCity(zone);
  }
  return zone.replace(/_/g, ' ').split('/').join(' / ');
}

export type TimeZoneChoice = { id: string; label: string };

/**
 * Every zone under its current IANA name (never the legacy Asia/Calcutta, Europe/Kiev…), labelled in
 * the UI language with its offset now — "東京 (UTC+09:00)", "America / New York — Eastern Time
 * (UTC−05:00)" — sorted by offset, then label: the one list of every zone picker.
 */
export function timeZoneChoices(now: Date, locale: Locale): TimeZoneChoice[] {
  const collator = new Intl.Collator(locale);
  return listTimeZones(now)
    .map((zone) => {
      const name = zoneDisplayName(zone.id, locale, now);
      const generic = locale === 'en' && zone.id !== 'UTC' ? genericZoneName(zone.id, 'en', now) : '';
      const tail = locale === 'ja' && JA_CITY[zone.id] === undefined && name !== englishCity(zone.id) ? ` — ${englishCity(zone.id)}` : '';
      return { id: zone.id, offset: zone.offsetMinutes, label: `${name}${generic ? ` — ${generic}` : ''}${tail} (${zone.offsetLabel})` };
    })
    .sort((a, b) => a.offset - b.offset || collator.compare(a.label, b.label))
    .map(({ id, label }) => ({ id, label }));
}
