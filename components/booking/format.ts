import { englishCity, JA_CITY, zoneDisplayName } from '@/lib/availability/zone-names';
import { formatUtcOffset, offsetMinutesAt } from '@/lib/availability/time-zone';
import type { IsoDate, YearMonth } from './calendar-grid';

/**
 * Display formatting for the guest widgets. Every instant is formatted with an explicit IANA zone;
 * local dates ("YYYY-MM-DD") are labels, formatted at UTC noon so no zone can shift them.
 */

export type UiLocale = 'ja' | 'en';

const tag = (locale: UiLocale) => (locale === 'ja' ? 'ja-JP' : 'en-US');
const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: UiLocale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(tag(locale), options);
    cache.set(key, f);
  }
  return f;
}

const labelDate = (date: IsoDate) => new Date(`${date}T12:00:00Z`);

/** "9:30 AM" / "09:30". */
export function formatTime(instant: string | Date, timeZone: string, locale: UiLocale, hour12: boolean): string {
  return fmt(locale, { timeZone, hour: hour12 ? 'numeric' : '2-digit', minute: '2-digit', hourCycle: hour12 ? 'h12' : 'h23' }).format(
    new Date(instant),
  );
}

/** "Saturday, November 21, 2026" / "2026年11月21日土曜日" — the local date of an instant in a zone. */
export function formatInstantDate(instant: string | Date, timeZone: string, locale: UiLocale): string {
  return fmt(locale, { timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(instant));
}

/** A full line for summaries: date, start–end and the zone name. */
export function formatRange(start: string | Date, end: string | Date, timeZone: string, locale: UiLocale, hour12: boolean): string {
  return `${formatInstantDate(start, timeZone, locale)} ${formatTime(start, timeZone, locale, hour12)} – ${formatTime(end, timeZone, locale, hour12)}`;
}

/** "Sat, Nov 21" / "11月21日(土)": the local date of an instant in a zone, short. */
export function formatDateLabelOfInstant(instant: string | Date, timeZone: string, locale: UiLocale): string {
  return fmt(locale, { timeZone, weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(instant));
}

/** "Saturday, November 21" / "11月21日(土)" for a local date label. */
export function formatDateLabel(date: IsoDate, locale: UiLocale): string {
  if (locale === 'ja') {
    const d = labelDate(date);
    const wd = fmt('ja', { timeZone: 'UTC', weekday: 'short' }).format(d);
    return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日(${wd})`;
  }
  return fmt('en', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' }).format(labelDate(date));
}

/** "November 21, 2026" / "2026年11月21日" (accessible name of a calendar day). */
export function formatDateFull(date: IsoDate, locale: UiLocale): string {
  return fmt(locale, { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(labelDate(date));
}

/** "November 2026" / "2026年11月". */
export function formatMonth(month: YearMonth, locale: UiLocale): string {
  return fmt(locale, { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(labelDate(`${month}-15`));
}

/** Short weekday names, 0 = Sunday: "Sun" / "日". */
export function weekdayNames(locale: UiLocale, width: 'long' | 'short' | 'narrow' = 'short'): string[] {
  // 2026-11-01 is a Sunday.
  return Array.from({ length: 7 }, (_, i) => fmt(locale, { timeZone: 'UTC', weekday: width }).format(labelDate(`2026-11-0${i + 1}`)));
}

/** "GMT+09:00" for a zone at an instant (the offset comes from lib/availability/time-zone.ts). */
export function formatOffset(timeZone: string, at: Date = new Date()): string {
  return `GMT${formatUtcOffset(offsetMinutesAt(timeZone, at))}`;
}

/** A zone as people read it: "東京" in Japanese, "America / Argentina / Buenos Aires" in English (lib/availability/zone-names.ts). */
export function zoneLabel(zone: string, locale: UiLocale): string {
  return zoneDisplayName(zone, locale);
}

/** The city of a zone in the UI language: "ニューヨーク" in Japanese where we know it, else "Buenos Aires" (the picker's button). */
export function zoneCity(zone: string, locale: UiLocale): string {
  return (locale === 'ja' ? JA_CITY[zone]?.split(' ')[0] : undefined) ?? englishCity(zone);
}

/** The browser's zone, or UTC when it cannot say. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export const defaultHour12 = (locale: UiLocale) => locale === 'en';

/** Only http(s) URLs become links; anything else is shown as text. */
export const safeHref = (url: string | null | undefined): string | null => (url && /^https?:\/\//i.test(url) ? url : null);
