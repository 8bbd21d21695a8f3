import { z } from 'zod';

/** Isomorphic zod schemas for booking pages: the host editor, the host API v1 and the database share them. */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'time_format');
const minutesOf = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));

export const intervalSchema = z
  .object({ start: hhmm, end: hhmm })
  .refine((i) => minutesOf(i.end) > minutesOf(i.start), { message: 'end_before_start', path: ['end'] });
export type TimeInterval = z.infer<typeof intervalSchema>;

/** Overlapping windows are almost always a typing mistake, so they are refused; touching ones are fine (they merge). */
const intervalList = z.array(intervalSchema).superRefine((list, ctx) => {
  const sorted = list.map((i, index) => ({ ...i, index })).sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1]!;
    const cur = sorted[k]!;
    if (minutesOf(cur.start) < minutesOf(prev.end)) {
      ctx.addIssue({ code: 'custom', message: 'overlapping_windows', path: [cur.index, 'start'] });
    }
  }
});

export const weeklyHoursSchema = z.object({
  mon: intervalList,
  tue: intervalList,
  wed: intervalList,
  thu: intervalList,
  fri: intervalList,
  sat: intervalList,
  sun: intervalList,
});
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date_format');

export const dateOverrideSchema = z.object({ date: isoDateSchema, intervals: intervalList });
export type DateOverride = z.infer<typeof dateOverrideSchema>;

export const locationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('zoom') }),
  z.object({ type: z.literal('phone'), phone: z.string().trim().max(40).optional() }),
  z.object({ type: z.literal('in_person'), address: z.string().trim().min(1).max(300) }),
  z.object({ type: z.literal('link'), url: z.url().max(500) }),
]);
export type Location = z.infer<typeof locationSchema>;

export const questionSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/)
    .refine((id) => id !== 'name' && id !== 'email', 'reserved_question_id'),
  label: z.string().trim().min(1).max(200),
  type: z.enum(['text', 'multiline', 'phone', 'select']),
  required: z.boolean().default(false),
  options: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
});
export type BookingQuestion = z.infer<typeof questionSchema>;

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'slug_format');

export const isValidTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
};
export const timeZoneSchema = z.string().refine(isValidTimeZone, 'time_zone');

export const bookingPageInputSchema = z
  .object({
    slug: slugSchema,
    title: z.string().trim().min(1).max(120),
    description: z.string().max(5000).default(''),
    durationMinutes: z.number().int().min(5).max(720),
    location: locationSchema,
    timeZone: timeZoneSchema,
    weeklyHours: weeklyHoursSchema,
    dateOverrides: z.array(dateOverrideSchema).max(366).default([]),
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
    questions: z.array(questionSchema).max(20).default([]),
    published: z.boolean().default(true),
  })
  .superRefine((page, ctx) => {
    const seen = new Set<string>();
    page.dateOverrides.forEach((o, i) => {
      if (seen.has(o.date)) ctx.addIssue({ code: 'custom', message: 'duplicate_date', path: ['dateOverrides', i, 'date'] });
      seen.add(o.date);
    });
    const ids = new Set<string>();
    page.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', message: 'duplicate_question', path: ['questions', i, 'id'] });
      ids.add(q.id);
      if (q.type === 'select' && (!q.options || q.options.length === 0)) {
        ctx.addIssue({ code: 'custom', message: 'options_required', path: ['questions', i, 'options'] });
      }
    });
  });
export type BookingPageInput = z.infer<typeof bookingPageInputSchema>;
