/**
 * Wall-clock times of the host's editors ("09:00" in the hours pickers, the schedule summaries, the
 * page preview's slots), in the host's 12/24-hour choice (users.hour12; null: the language's habit —
 * 24-hour in Japanese, 12-hour in English, as on the booking page and in mails). Deterministic (no
 * Intl) so the server and the browser render the same text.
 */

export type UiLocale = 'ja' | 'en';

/** The host's clock: their choice, else the language's habit. */
export const hostHour12 = (choice: boolean | null | undefined, locale: UiLocale): boolean => choice ?? locale === 'en';

/** "HH:MM" (00:00 … 24:00) → "09:00" / "9:00 AM" / "午前9:00". 24:00 is the end of the day: "24:00" / "12:00 AM" / "午前0:00". */
export function formatWallClock(value: string, locale: UiLocale, hour12: boolean): string {
  if (!hour12) return value;
  const h = Number(value.slice(0, 2)) % 24;
  const m = value.slice(3, 5);
  const h12 = h % 12 || 12;
  if (locale === 'ja') return `${h < 12 ? '午前' : '午後'}${h % 12}:${m}`;
  return `${h12}:${m} ${h < 12 ? 'AM' : 'PM'}`;
}

/** "9:00 AM – 12:00 PM, 1:00 PM – 5:00 PM" for a day's windows. */
export function formatWindows(windows: readonly { start: string; end: string }[], locale: UiLocale, hour12: boolean): string {
  return windows.map((w) => `${formatWallClock(w.start, locale, hour12)} – ${formatWallClock(w.end, locale, hour12)}`).join(', ');
}

/**
 * An instant's wall-clock time in a zone, in the host's clock ("09:30" / "9:30 AM" / "午前9:30"), for
 * the preview's slots: the zone's hour and minute come from Intl, the text from formatWallClock, so
 * the preview reads exactly like the pickers.
 */
export function formatInstantClock(instant: Date, timeZone: string, locale: UiLocale, hour12: boolean): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  const hour = parts.find((p) => p.type === 'hour')?.value ?? '00';
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return formatWallClock(`${hour}:${minute}`, locale, hour12);
}
