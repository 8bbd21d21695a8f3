import { z } from 'zod';
import { isKnownTimeZone, parseIsoDate } from '@/lib/availability/time-zone';
import { multiLineText, oneLineText, withoutControlCharacters } from '@/lib/text-input';
import { meetingSettingsSchema } from '@/lib/organisations/meeting-settings';

/** Isomorphic zod schemas for booking pages: the host editor, the host API v1 and the database share them. */

/**
 * Size limits no real page comes near. They keep one page's JSON small (a 16 MB page made every
 * slots read cost 0.75 s) and are enforced wherever a page is written (editor, host API).
 */
export const PAGE_LIMITS = {
  windowsPerDay: 24,
  dateOverrides: 400,
  overrideIntervals: 2000,
  questions: 20,
  questionOptions: 50,
  reminders: 5,
} as const;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'time_format');
const minutesOf = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));

export const intervalSchema = z
  .object({ start: hhmm, end: hhmm })
  .refine((i) => minutesOf(i.end) > minutesOf(i.start), { message: 'end_before_start', path: ['end'] });
export type TimeInterval = z.infer<typeof intervalSchema>;

/** Overlapping windows are almost always a typing mistake, so they are refused; touching ones are fine (they merge). */
const intervalList = z.array(intervalSchema).max(PAGE_LIMITS.windowsPerDay, 'too_many_windows').superRefine((list, ctx) => {
  const sorted = list.map((i, index) => ({ ...i, index })).sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1]!;
    const cur = sorted[k]!;
    if (minutesOf(cur.start) < minutesOf(prev.end)) {
      ctx.addIssue({ code: 'custom', message: 'overlapping_windows', path: [cur.index, 'start'] });
    }
  }
});

/** A day left out is a day without hours (API clients may send only the days they use). */
export const weeklyHoursSchema = z.object({
  mon: intervalList.default([]),
  tue: intervalList.default([]),
  wed: intervalList.default([]),
  thu: intervalList.default([]),
  fri: intervalList.default([]),
  sat: intervalList.default([]),
  sun: intervalList.default([]),
});
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

/** The years Aki accepts in any YYYY-MM-DD it is given: wide enough for any booking, narrow enough that date arithmetic never overflows. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

/** A real calendar date (2026-02-30 is refused) between MIN_YEAR and MAX_YEAR. */
export const isSupportedIsoDate = (value: string) => {
  if (parseIsoDate(value) === null) return false;
  const year = Number(value.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
};

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date_format').refine(isSupportedIsoDate, 'date_invalid');

export const dateOverrideSchema = z.object({ date: isoDateSchema, intervals: intervalList });
export type DateOverride = z.infer<typeof dateOverrideSchema>;

export const locationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('zoom') }),
  z.object({ type: z.literal('phone'), phone: oneLineText(40).optional() }),
  z.object({ type: z.literal('in_person'), address: oneLineText(300).min(1) }),
  z.object({
    type: z.literal('link'),
    url: z.string().max(500).refine(withoutControlCharacters(), 'control_characters').pipe(z.url({ protocol: /^https?$/, message: 'url_format' })),
  }),
]);
export type Location = z.infer<typeof locationSchema>;

export const questionSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/)
    .refine((id) => id !== 'name' && id !== 'email', 'reserved_question_id'),
  label: oneLineText(200).min(1),
  type: z.enum(['text', 'multiline', 'phone', 'select']),
  required: z.boolean().default(false),
  options: z.array(oneLineText(100).min(1)).max(PAGE_LIMITS.questionOptions).optional(),
});
export type BookingQuestion = z.infer<typeof questionSchema>;

/** A reminder mail: to the guest or the host, this many minutes before the start (5 min … 7 days). */
export const reminderSchema = z.object({
  to: z.enum(['guest', 'host']),
  minutesBefore: z
    .number()
    .int()
    .min(5, 'reminder_too_soon')
    .max(7 * 24 * 60, 'reminder_too_far'),
});
export type Reminder = z.infer<typeof reminderSchema>;
export const DEFAULT_REMINDERS: Reminder[] = [
  { to: 'guest', minutesBefore: 1440 },
  { to: 'guest', minutesBefore: 60 },
];

/**
 * The guest's mail after the meeting: thanks (with the host's message, the recording link when the page
 * shares it, a "book again" link). A guest marked as no-show gets none (`noShow: 'skip'`) or a
 * "sorry we missed you" mail instead (`'sorry'`).
 */
export const followUpSchema = z.object({
  message: multiLineText(2000).default(''),
  noShow: z.enum(['skip', 'sorry']).default('skip'),
});
export type FollowUp = z.infer<typeof followUpSchema>;

/**
 * Slugs that would clash with routes under /{handle}/… or are confusing as a page address.
 * Static route segments win in Next's routing, so a clash would silently hide a page.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'api',
  'admin',
  'book',
  'booking',
  'bookings',
  'cancel',
  'confirmed',
  'dashboard',
  'edit',
  'embed',
  'login',
  'logout',
  'manage',
  'new',
  'pages',
  'public',
  'reschedule',
  'settings',
  'slots',
]);

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'slug_format')
  .refine((slug) => !RESERVED_SLUGS.has(slug), 'slug_reserved');

export const timeZoneSchema = z.string().refine(isKnownTimeZone, 'time_zone');

/** Overrides as a whole (pages and schedules): a bounded number of windows, one override per date. */
function refineDateOverrides(dateOverrides: readonly DateOverride[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  const intervals = dateOverrides.reduce((sum, o) => sum + o.intervals.length, 0);
  if (intervals > PAGE_LIMITS.overrideIntervals) {
    ctx.addIssue({ code: 'custom', message: 'too_many_intervals', path: ['dateOverrides'], params: { max: PAGE_LIMITS.overrideIntervals } });
  }
  dateOverrides.forEach((o, i) => {
    if (seen.has(o.date)) ctx.addIssue({ code: 'custom', message: 'duplicate_date', path: ['dateOverrides', i, 'date'] });
    seen.add(o.date);
  });
}

/**
 * A shared availability schedule ("Working hours", "Evenings"): the same hours, overrides and zone
 * rules as a page's own, under a name. Pages that pick it (scheduleId) offer its hours.
 */
export const scheduleInputSchema = z
  .object({
    name: oneLineText(80).min(1),
    timeZone: timeZoneSchema,
    weeklyHours: weeklyHoursSchema,
    dateOverrides: z.array(dateOverrideSchema).max(PAGE_LIMITS.dateOverrides).default([]),
  })
  .superRefine((schedule, ctx) => refineDateOverrides(schedule.dateOverrides, ctx));
export type ScheduleInput = z.infer<typeof scheduleInputSchema>;
export type ScheduleInputRaw = z.input<typeof scheduleInputSchema>;
/** The top-level fields of a schedule body (what PATCH may carry). */
export const SCHEDULE_FIELDS = Object.keys(scheduleInputSchema.shape) as (keyof ScheduleInput)[];

export const bookingPageInputSchema = z
  .object({
    slug: slugSchema,
    title: oneLineText(120).min(1),
    description: multiLineText(5000).default(''),
    durationMinutes: z.number().int().min(5).max(720),
    location: locationSchema,
    timeZone: timeZoneSchema,
    weeklyHours: weeklyHoursSchema,
    dateOverrides: z.array(dateOverrideSchema).max(PAGE_LIMITS.dateOverrides).default([]),
    bufferBeforeMinutes: z.number().int().min(0).max(240).default(0),
    bufferAfterMinutes: z.number().int().min(0).max(240).default(0),
    minimumNoticeMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 60)
      .default(0),
    bookingWindowDays: z.number().int().min(1).max(365).default(60),
    slotIntervalMinutes: z.number().int().min(5).max(720).nullable().default(null),
    maxBookingsPerDay: z.number().int().min(1).max(100).nullable().default(null),
    questions: z.array(questionSchema).max(PAGE_LIMITS.questions).default([]),
    published: z.boolean().default(true),
    /** Zoom pages only (false is stored for other locations): the guest becomes a meeting registrant. Absent = off. */
    registerGuests: z.boolean().optional(),
    /** Zoom pages only (false is stored for other locations): the guest gets the recording link too. Absent = off. */
    shareRecordingWithGuest: z.boolean().optional(),
    /** Zoom pages of organisation members: every meeting setting, overriding the organisation's defaults; null/absent = the defaults. */
    meetingSettings: meetingSettingsSchema.nullable().optional(),
    /** Reminder mails; absent = the defaults (guest 24 h and 1 h before), [] = none. */
    reminders: z.array(reminderSchema).max(PAGE_LIMITS.reminders).optional(),
    /** The guest's follow-up mail after the meeting; null/absent = none. */
    followUp: followUpSchema.nullable().optional(),
    /** A shared schedule of the host (its hours, overrides and zone replace the page's own); null/absent = the page's own hours. */
    scheduleId: z.string().min(1).max(64).nullable().optional(),
  })
  .superRefine((page, ctx) => {
    refineDateOverrides(page.dateOverrides, ctx);
    const ids = new Set<string>();
    page.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', message: 'duplicate_question', path: ['questions', i, 'id'] });
      ids.add(q.id);
      if (q.type === 'select' && (!q.options || q.options.length === 0)) {
        ctx.addIssue({ code: 'custom', message: 'options_required', path: ['questions', i, 'options'] });
      }
    });
    // The same reminder twice would mail the same person twice at once.
    const reminders = new Set<string>();
    page.reminders?.forEach((r, i) => {
      const key = `${r.to}:${r.minutesBefore}`;
      if (reminders.has(key)) ctx.addIssue({ code: 'custom', message: 'duplicate_reminder', path: ['reminders', i, 'minutesBefore'] });
      reminders.add(key);
    });
  });
export type BookingPageInput = z.infer<typeof bookingPageInputSchema>;
/** What a client may send (defaults not yet applied). */
export type BookingPageInputRaw = z.input<typeof bookingPageInputSchema>;

/** The top-level fields of a page body (what PATCH may carry). */
export const BOOKING_PAGE_FIELDS = Object.keys(bookingPageInputSchema.shape) as (keyof BookingPageInput)[];

/**
 * A validation problem as a stable code the UI translates (`pages.errors.<code>`), with the limit
 * when there is one. Our own refinements already use codes as messages; zod's built-in checks are
 * mapped from their issue kind.
 */
export type FieldIssue = { code: string; min?: number; max?: number };
export type FieldIssues = Record<string, FieldIssue>;

type Issue = z.ZodError['issues'][number];
const OWN_CODE = /^[a-z][a-z_]*$/;

export function fieldIssue(issue: Issue): FieldIssue {
  if (OWN_CODE.test(issue.message)) {
    // Our refinements may carry their limit (custom issues: params.max; built-in checks: maximum).
    const max = issue.code === 'custom' ? issue.params?.max : issue.code === 'too_big' ? issue.maximum : undefined;
    return max === undefined ? { code: issue.message } : { code: issue.message, max: Number(max) };
  }
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? { code: 'required' } : { code: 'too_short', min };
      if (issue.origin === 'array') return { code: 'too_few', min };
      return { code: 'too_small', min };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { code: 'too_long', max };
      if (issue.origin === 'array') return { code: 'too_many', max };
      return { code: 'too_big', max };
    }
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return { code: 'number' };
      return { code: 'invalid' };
    default:
      return { code: 'invalid' };
  }
}

/** zod error → {"weeklyHours.mon.0.end": {code:"end_before_start"}} (first problem per path). */
export function fieldIssues(error: z.ZodError): FieldIssues {
  const out: FieldIssues = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    out[key] ??= fieldIssue(issue);
  }
  return out;
}
