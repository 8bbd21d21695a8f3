import { isZoomTimeZone, ZOOM_TIME_ZONES } from './time-zone-list';

/**
 * The `timezone` Aki sends Zoom: an entry of Zoom's own list (time-zone-list.ts). The meeting's
 * instant is always `start_time` in UTC with `Z`; the zone only decides how Zoom shows it, so an
 * unlisted zone maps to a listed one with the same offsets (an alias, or a zone with the same
 * rules all year, or at least the same offset at the meeting's start), else to UTC.
 */

// Current IANA names (and old links) whose Zoom entry has another name.
const ALIASES: Record<string, string> = {
  'Asia/Ho_Chi_Minh': 'Asia/Saigon',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Europe/Kyiv': 'Europe/Kiev',
  'America/Nuuk': 'America/Godthab',
  'America/Indiana/Indianapolis': 'America/Indianapolis',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Toronto': 'America/Montreal',
  'Canada/Eastern': 'America/Montreal',
  'US/Eastern': 'America/New_York',
  'US/Central': 'America/Chicago',
  'US/Mountain': 'America/Denver',
  'US/Pacific': 'America/Los_Angeles',
  'US/Alaska': 'America/Anchorage',
  'US/Arizona': 'America/Phoenix',
  'US/Hawaii': 'Pacific/Honolulu',
  'Asia/Istanbul': 'Europe/Istanbul',
  Turkey: 'Europe/Istanbul',
  Japan: 'Asia/Tokyo',
  ROK: 'Asia/Seoul',
  PRC: 'Asia/Shanghai',
  'Etc/UTC': 'UTC',
  'Etc/Universal': 'UTC',
  'Etc/Zulu': 'UTC',
  Universal: 'UTC',
  Zulu: 'UTC',
  GMT: 'UTC',
  'Etc/GMT': 'UTC',
};

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return f;
}

function offsetMinutes(zone: string, at: Date): number | null {
  try {
    const f = formatter(zone);
    if (!f) return null;
    const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
    if (!name) return null;
    const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
    if (!match) return null;
    if (!match[1]) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    return match[1] === '-' ? -minutes : minutes;
  } catch {
    return null;
  }
}

/** Offsets in January, in July and at `at`: two zones with the same triple show the meeting alike. */
function signature(zone: string, at: Date): [number, number, number] | null {
  const year = at.getUTCFullYear();
  const jan = offsetMinutes(zone, new Date(Date.UTC(year, 0, 15)));
  const jul = offsetMinutes(zone, new Date(Date.UTC(year, 6, 15)));
  const now = offsetMinutes(zone, at);
  return jan === null || jul === null || now === null ? null : [jan, jul, now];
}

const region = (zone: string) => zone.split('/')[0];

/** Zoom's entry for `zone` (IANA) as of the meeting's start `at`. */
export function zoomTimeZone(zone: string, at: Date = new Date()): string {
  if (isZoomTimeZone(zone)) return zone;
  const alias = ALIASES[zone];
  if (alias) return alias;
  const wanted = signature(zone, at);
  if (!wanted) return 'UTC';
  let sameRules: string | null = null;
  let sameNow: string | null = null;
  for (const candidate of ZOOM_TIME_ZONES) {
    const sig = signature(candidate, at);
    if (!sig) continue;
    if (sig[0] === wanted[0] && sig[1] === wanted[1] && sig[2] === wanted[2]) {
      if (region(candidate) === region(zone)) return candidate;
      sameRules ??= candidate;
    } else if (sig[2] === wanted[2] && sameNow === null) {
      sameNow = candidate;
    }
  }
  return sameRules ?? sameNow ?? 'UTC';
}
