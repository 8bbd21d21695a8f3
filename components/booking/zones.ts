import { compareTimeZoneOptions, isKnownTimeZone, listTimeZones, RENAMED_ZONES, timeZoneOption, todayIn } from '@/lib/availability/time-zone';
import { genericZoneName, JA_CITY } from '@/lib/availability/zone-names';
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

/** Options sorted by offset then name; `extra` (e.g. the detected zone when it is an alias) is always included. */
export function zoneOptions(locale: 'ja' | 'en', extra: string[] = [], at: Date = new Date()): ZoneOption[] {
  const listed = listTimeZones(at);
  const known = new Set(listed.map((z) => z.id));
  // The browser may report an alias (Asia/Calcutta) that the canonical list spells differently.
  const extras = extra.filter((zone) => zone && !known.has(zone) && isKnownTimeZone(zone)).map((id) => timeZoneOption(id, at));
  const all = extras.length ? [...listed, ...extras].sort(compareTimeZoneOptions) : listed;
  return all.map(({ id, offsetMinutes, offsetLabel }) => {
    const name = genericZoneName(id, locale, at);
    const label = zoneLabel(id, locale);
    const short = offsetLabel.replace(/^UTC/, '').replace(/:00$/, '');
    const offset = offsetLabel.replace(/^UTC/, 'GMT');
    return {
      zone: id,
      label,
      offset,
      offsetMinutes,
      name,
      search: normalize(`${id} ${RENAMED_ZONES[id] ?? ''} ${locale === 'ja' ? (JA_CITY[id] ?? '') : ''} ${label} ${zoneLabel(id, 'en')} ${name} ${offsetLabel} ${offset} UTC${short} GMT${short}`),
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
