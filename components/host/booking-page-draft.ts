import type { MeetingDefaults } from '@/lib/db/schema/organisations';
import {
  type BookingPageInput,
  type BookingPageInputRaw,
  type BookingQuestion,
  DEFAULT_REMINDERS,
  type FieldIssue,
  type FieldIssues,
  type FollowUp,
  type Location,
  type Reminder,
  type TimeInterval,
  type Weekday,
} from '@/lib/booking-pages/schema';

/**
 * The editor's form state and its conversion to the API/editor body. Pure (no React) so it is unit tested.
 * Numbers are kept as the strings the host typed; an empty or non-numeric entry becomes NaN, which the
 * schema reports as "enter a number" in place.
 */

export type WindowDraft = TimeInterval;
export type LocationDraft = { type: Location['type']; phone: string; address: string; url: string };
export type OverrideDraft = { key: string; date: string; intervals: WindowDraft[] };
export type QuestionDraft = { key: string; id: string; label: string; type: BookingQuestion['type']; required: boolean; optionsText: string };
export type NoticeUnit = 'minutes' | 'hours' | 'days';
/** A reminder row: to whom, and "value unit before" (the unit is the host's choice, kept as typed). */
export type ReminderDraft = { key: string; to: Reminder['to']; value: string; unit: NoticeUnit };
/** The follow-up section; `enabled: false` saves as no follow-up (the text is kept while editing). */
export type FollowUpDraft = { enabled: boolean; message: string; noShow: FollowUp['noShow'] };

export type Draft = {
  slug: string;
  title: string;
  description: string;
  durationMinutes: string;
  location: LocationDraft;
  timeZone: string;
  weeklyHours: Record<Weekday, WindowDraft[]>;
  dateOverrides: OverrideDraft[];
  bufferBeforeMinutes: string;
  bufferAfterMinutes: string;
  notice: { value: string; unit: NoticeUnit };
  bookingWindowDays: string;
  /** '' = same as the duration. */
  slotIntervalMinutes: string;
  /** '' = no limit. */
  maxBookingsPerDay: string;
  questions: QuestionDraft[];
  published: boolean;
  /** Zoom pages only. */
  registerGuests: boolean;
  shareRecordingWithGuest: boolean;
  /** Zoom pages of organisation members: the page's own meeting settings; null = the organisation's defaults. */
  meetingSettings: Required<MeetingDefaults> | null;
  /** The shared schedule whose hours the page offers; null = the page's own hours above (kept either way). */
  scheduleId: string | null;
  reminders: ReminderDraft[];
  followUp: FollowUpDraft;
};

const UNIT_MINUTES: Record<NoticeUnit, number> = { minutes: 1, hours: 60, days: 1440 };

let keyCounter = 0;
/** A stable React key for list rows created in the browser. */
export const newKey = (prefix: string) => `${prefix}-${++keyCounter}-${Math.random().toString(36).slice(2, 8)}`;

/** Question ids are stable answer keys, never shown; new questions get a random one. */
export const newQuestionId = () => `q_${Math.random().toString(36).slice(2, 10)}`;

export function noticeFromMinutes(minutes: number): { value: string; unit: NoticeUnit } {
  if (minutes > 0 && minutes % 1440 === 0) return { value: String(minutes / 1440), unit: 'days' };
  if (minutes > 0 && minutes % 60 === 0) return { value: String(minutes / 60), unit: 'hours' };
  return { value: String(minutes), unit: 'minutes' };
}

const toNumber = (value: string): number => (value.trim() === '' ? Number.NaN : Number(value));
const toNullableNumber = (value: string): number | null => (value.trim() === '' ? null : Number(value));

export function draftFromInput(input: BookingPageInput): Draft {
  const location: LocationDraft = { type: input.location.type, phone: '', address: '', url: '' };
  if (input.location.type === 'phone') location.phone = input.location.phone ?? '';
  if (input.location.type === 'in_person') location.address = input.location.address;
  if (input.location.type === 'link') location.url = input.location.url;
  return {
    slug: input.slug,
    title: input.title,
    description: input.description,
    durationMinutes: String(input.durationMinutes),
    location,
    timeZone: input.timeZone,
    weeklyHours: {
      mon: input.weeklyHours.mon.map((w) => ({ ...w })),
      tue: input.weeklyHours.tue.map((w) => ({ ...w })),
      wed: input.weeklyHours.wed.map((w) => ({ ...w })),
      thu: input.weeklyHours.thu.map((w) => ({ ...w })),
      fri: input.weeklyHours.fri.map((w) => ({ ...w })),
      sat: input.weeklyHours.sat.map((w) => ({ ...w })),
      sun: input.weeklyHours.sun.map((w) => ({ ...w })),
    },
    dateOverrides: input.dateOverrides.map((o, i) => ({ key: `o-${i}`, date: o.date, intervals: o.intervals.map((w) => ({ ...w })) })),
    bufferBeforeMinutes: String(input.bufferBeforeMinutes),
    bufferAfterMinutes: String(input.bufferAfterMinutes),
    notice: noticeFromMinutes(input.minimumNoticeMinutes),
    bookingWindowDays: String(input.bookingWindowDays),
    slotIntervalMinutes: input.slotIntervalMinutes === null ? '' : String(input.slotIntervalMinutes),
    maxBookingsPerDay: input.maxBookingsPerDay === null ? '' : String(input.maxBookingsPerDay),
    questions: input.questions.map((q, i) => ({
      key: `q-${i}`,
      id: q.id,
      label: q.label,
      type: q.type,
      required: q.required,
      optionsText: (q.options ?? []).join('\n'),
    })),
    published: input.published,
    registerGuests: input.registerGuests === true,
    shareRecordingWithGuest: input.shareRecordingWithGuest === true,
    meetingSettings: input.meetingSettings ?? null,
    scheduleId: input.scheduleId ?? null,
    reminders: (input.reminders ?? DEFAULT_REMINDERS).map((r, i) => ({ key: `r-${i}`, to: r.to, ...noticeFromMinutes(r.minutesBefore) })),
    followUp: input.followUp ? { enabled: true, message: input.followUp.message, noShow: input.followUp.noShow } : { enabled: false, message: '', noShow: 'skip' },
  };
}

/** A new reminder row: to the guest, one hour before (or the next free whole hour when that one exists). */
export function nextReminder(existing: readonly ReminderDraft[]): ReminderDraft {
  const used = new Set(existing.map((r) => `${r.to}:${minutesOfReminder(r)}`));
  let hours = 1;
  while (used.has(`guest:${hours * 60}`) && hours < 24) hours++;
  return { key: newKey('r'), to: 'guest', value: String(hours), unit: 'hours' };
}

export const minutesOfReminder = (r: Pick<ReminderDraft, 'value' | 'unit'>) => {
  const value = toNumber(r.value);
  return Number.isNaN(value) ? Number.NaN : value * UNIT_MINUTES[r.unit];
};

function locationFromDraft(location: LocationDraft): BookingPageInputRaw['location'] {
  switch (location.type) {
    case 'zoom':
      return { type: 'zoom' };
    case 'phone':
      return location.phone.trim() ? { type: 'phone', phone: location.phone } : { type: 'phone' };
    case 'in_person':
      return { type: 'in_person', address: location.address };
    case 'link':
      return { type: 'link', url: location.url.trim() };
  }
}

/** The body the schema validates and the save action receives. */
export function inputFromDraft(draft: Draft): BookingPageInputRaw {
  const noticeValue = toNumber(draft.notice.value);
  return {
    slug: draft.slug,
    title: draft.title,
    description: draft.description,
    durationMinutes: toNumber(draft.durationMinutes),
    location: locationFromDraft(draft.location),
    timeZone: draft.timeZone,
    weeklyHours: draft.weeklyHours,
    dateOverrides: draft.dateOverrides.map((o) => ({ date: o.date, intervals: o.intervals })),
    bufferBeforeMinutes: toNumber(draft.bufferBeforeMinutes),
    bufferAfterMinutes: toNumber(draft.bufferAfterMinutes),
    minimumNoticeMinutes: Number.isNaN(noticeValue) ? Number.NaN : noticeValue * UNIT_MINUTES[draft.notice.unit],
    bookingWindowDays: toNumber(draft.bookingWindowDays),
    slotIntervalMinutes: toNullableNumber(draft.slotIntervalMinutes),
    maxBookingsPerDay: toNullableNumber(draft.maxBookingsPerDay),
    questions: draft.questions.map((q) => ({
      id: q.id,
      label: q.label,
      type: q.type,
      required: q.required,
      ...(q.type === 'select'
        ? {
            options: q.optionsText
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean),
          }
        : {}),
    })),
    published: draft.published,
    registerGuests: draft.location.type === 'zoom' && draft.registerGuests,
    shareRecordingWithGuest: draft.location.type === 'zoom' && draft.shareRecordingWithGuest,
    ...(draft.location.type === 'zoom' && draft.meetingSettings ? { meetingSettings: draft.meetingSettings } : {}),
    ...(draft.scheduleId ? { scheduleId: draft.scheduleId } : {}),
    reminders: draft.reminders.map((r) => ({ to: r.to, minutesBefore: minutesOfReminder(r) })),
    followUp: draft.followUp.enabled ? { message: draft.followUp.message, noShow: draft.followUp.noShow } : null,
  };
}

/**
 * The first issue at `path` or below it (e.g. `questions.0.options` also matches `questions.0.options.2`);
 * `exact`: only one about `path` itself (a list's own limit, shown once under the list).
 */
export function issueAt(issues: FieldIssues, path: string, exact = false): FieldIssue | undefined {
  if (issues[path] || exact) return issues[path];
  const prefix = `${path}.`;
  for (const [key, issue] of Object.entries(issues)) if (key.startsWith(prefix)) return issue;
  return undefined;
}

/** Wall-clock choices for the hours pickers: every 15 minutes, 00:00 … 24:00, plus any odd value in use. */
export function timeChoices(extra: readonly string[] = []): string[] {
  const set = new Set<string>();
  for (let m = 0; m <= 24 * 60; m += 15) set.add(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  for (const value of extra) if (/^\d{2}:\d{2}$/.test(value)) set.add(value);
  return [...set].sort();
}

/** A new window after the last one of a day (one hour, clamped to the day), or 09:00–17:00 for an empty day. */
export function nextWindow(existing: readonly WindowDraft[]): WindowDraft {
  const last = existing[existing.length - 1];
  if (!last) return { start: '09:00', end: '17:00' };
  const minutes = (v: string) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3, 5));
  const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const end = minutes(last.end);
  const start = end + 60 <= 23 * 60 ? end + 60 : Math.min(end, 23 * 60 + 45);
  return { start: fmt(start), end: fmt(Math.min(start + 60, 24 * 60)) };
}
