import { BASELINE_MEETING_SETTINGS, cleanMeetingSettings } from '@/lib/organisations/meeting-settings';
import type { BookingPage } from './queries';
import { type BookingPageInput, DEFAULT_REMINDERS, type Location, type WeeklyHours } from './schema';

/** Pure helpers for booking pages (no I/O): row ↔ input conversion, URLs, slug suggestions. */

/** The editable fields of a stored page, in the shape of the editor/API body. */
export function toPageInput(page: BookingPage): BookingPageInput {
  return {
    slug: page.slug,
    title: page.title,
    description: page.description,
    durationMinutes: page.durationMinutes,
    location: page.location,
    timeZone: page.timeZone,
    weeklyHours: page.weeklyHours,
    dateOverrides: page.dateOverrides,
    bufferBeforeMinutes: page.bufferBeforeMinutes,
    bufferAfterMinutes: page.bufferAfterMinutes,
    minimumNoticeMinutes: page.minimumNoticeMinutes,
    bookingWindowDays: page.bookingWindowDays,
    slotIntervalMinutes: page.slotIntervalMinutes,
    maxBookingsPerDay: page.maxBookingsPerDay,
    questions: page.questions,
    published: page.published,
    registerGuests: page.registerGuests,
    shareRecordingWithGuest: page.shareRecordingWithGuest,
    scheduleId: page.scheduleId,
    reminders: page.reminders,
    followUp: page.followUp,
    ...(page.meetingSettings ? { meetingSettings: { ...BASELINE_MEETING_SETTINGS, ...cleanMeetingSettings(page.meetingSettings) } } : {}),
  };
}

/** The row values for an input (everything but ids and timestamps). */
export function toPageValues(input: BookingPageInput) {
  return {
    slug: input.slug,
    title: input.title,
    description: input.description,
    durationMinutes: input.durationMinutes,
    location: input.location,
    timeZone: input.timeZone,
    weeklyHours: input.weeklyHours,
    dateOverrides: [...input.dateOverrides].sort((a, b) => a.date.localeCompare(b.date)),
    bufferBeforeMinutes: input.bufferBeforeMinutes,
    bufferAfterMinutes: input.bufferAfterMinutes,
    minimumNoticeMinutes: input.minimumNoticeMinutes,
    bookingWindowDays: input.bookingWindowDays,
    slotIntervalMinutes: input.slotIntervalMinutes,
    maxBookingsPerDay: input.maxBookingsPerDay,
    questions: input.questions,
    published: input.published,
    // Zoom options mean nothing elsewhere: stored off for other locations.
    registerGuests: input.location.type === 'zoom' && input.registerGuests === true,
    shareRecordingWithGuest: input.location.type === 'zoom' && input.shareRecordingWithGuest === true,
    meetingSettings: input.location.type === 'zoom' ? (input.meetingSettings ?? null) : null,
    scheduleId: input.scheduleId ?? null,
    reminders: input.reminders ?? DEFAULT_REMINDERS,
    followUp: input.followUp ?? null,
  };
}

export const publicPageUrl = (appUrl: string, handle: string, slug: string) =>
  `${appUrl.replace(/\/+$/, '')}/${encodeURIComponent(handle)}/${encodeURIComponent(slug)}`;

/** The JSON of a page in the host API v1: the §3.3 body fields plus id, publicUrl, createdAt, updatedAt. */
export type ApiBookingPage = BookingPageInput & { id: string; publicUrl: string | null; createdAt: string; updatedAt: string };

export function toApiPage(page: BookingPage, appUrl: string, handle: string | null): ApiBookingPage {
  return {
    id: page.id,
    ...toPageInput(page),
    publicUrl: handle ? publicPageUrl(appUrl, handle, page.slug) : null,
    createdAt: page.createdAt.toISOString(),
    updatedAt: page.updatedAt.toISOString(),
  };
}

/** `base`, else `base-2`, `base-3`… — the first slug not in `taken` (kept within the 64-character limit). */
export function freeSlug(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const stem = base.slice(0, 58).replace(/-+$/, '') || 'page';
  if (!used.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Mon–Fri 09:00–17:00: what a new page starts with. */
export function defaultWeeklyHours(): WeeklyHours {
  const day = () => [{ start: '09:00', end: '17:00' }];
  return { mon: day(), tue: day(), wed: day(), thu: day(), fri: day(), sat: [], sun: [] };
}

export const defaultLocation = (zoomLinked: boolean): Location => (zoomLinked ? { type: 'zoom' } : { type: 'phone' });

/** A new, valid page with the given title/slug and the host's defaults. */
export function newPageInput(options: { title: string; slug: string; timeZone: string; zoomLinked: boolean }): BookingPageInput {
  return {
    slug: options.slug,
    title: options.title,
    description: '',
    durationMinutes: 30,
    location: defaultLocation(options.zoomLinked),
    timeZone: options.timeZone,
    weeklyHours: defaultWeeklyHours(),
    dateOverrides: [],
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 240,
    bookingWindowDays: 60,
    slotIntervalMinutes: null,
    maxBookingsPerDay: null,
    questions: [],
    published: true,
    registerGuests: false,
    shareRecordingWithGuest: false,
    reminders: DEFAULT_REMINDERS,
    followUp: null,
  };
}
