import { z } from 'zod';
import { isKnownTimeZone } from '@/lib/availability/time-zone';
import type { BookingQuestion } from '@/lib/booking-pages/schema';
import { CONTROL_MULTI_LINE, CONTROL_ONE_LINE, oneLineText, withoutControlCharacters } from '@/lib/text-input';

/**
 * Guest input of the public booking flow (POST /api/public/.../bookings, the confirm server action,
 * the manage page). Everything a guest types is validated here (invariant 7) and escaped wherever it
 * is shown (lib/mail/templates, lib/calendar/ics.ts; React escapes pages).
 */

const oneLine = (max: number) => oneLineText(max, 'too_long');

/** An absolute instant with an explicit offset or Z (a local time without zone would be ambiguous). */
export const instantSchema = z
  .string()
  .trim()
  .max(40)
  .pipe(z.iso.datetime({ offset: true, message: 'start_format' }))
  .transform((value) => new Date(value))
  .refine((d) => !Number.isNaN(d.getTime()), 'start_format');

export const localeSchema = z.enum(['ja', 'en']);

/** The guest's IANA zone (the cached check: building an Intl.DateTimeFormat per request costs more than the rest of the parse). */
const guestTimeZoneSchema = z.string().refine(isKnownTimeZone, 'time_zone');

export const guestNameSchema = oneLine(120).pipe(z.string().min(1, 'required'));
export const guestEmailSchema = z
  .string()
  .trim()
  .max(254, 'too_long')
  .refine(withoutControlCharacters(), 'control_characters')
  .pipe(z.email({ message: 'email_format' }));

export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'idempotency_key_format');

export const cancelReasonSchema = z
  .string()
  .trim()
  .max(1000, 'too_long')
  .refine(withoutControlCharacters(true), 'control_characters')
  .optional()
  .transform((v) => (v ? v : undefined));

/** Shape of the JSON body (types only); the page-specific rules are applied by parseBookingInput. */
export const bookingBodySchema = z.object({
  start: z.string(),
  name: z.string(),
  email: z.string(),
  timeZone: z.string(),
  answers: z.record(z.string(), z.string()).optional(),
  locale: z.string().optional(),
  hour12: z.boolean().optional(),
});
export type BookingBody = z.infer<typeof bookingBodySchema>;

export const cancelBodySchema = z.object({ token: z.string().min(1).max(200), reason: z.string().optional() });
export const rescheduleBodySchema = z.object({ token: z.string().min(1).max(200), start: z.string() });

export type ParsedBookingInput = {
  start: Date;
  name: string;
  email: string;
  timeZone: string;
  answers: Record<string, string>;
  locale: 'ja' | 'en';
  /** The guest's clock (12 h: true); null when the request did not say. */
  hour12: boolean | null;
};

const ANSWER_MAX = { text: 500, phone: 40, select: 100, multiline: 4000 } as const;
const PHONE = /^[+0-9()\-.\s]{3,40}$/;

/** Validates answers against the page's questions: unknown keys refused, required enforced, select options checked. */
export function validateAnswers(
  questions: BookingQuestion[],
  answers: Record<string, unknown> | undefined,
): { answers: Record<string, string>; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const out: Record<string, string> = {};
  const given = answers ?? {};
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) fields[`answers.${key}`.slice(0, 80)] = 'unknown_question';
  }
  for (const q of questions) {
    const raw = given[q.id];
    if (raw !== undefined && typeof raw !== 'string') {
      fields[`answers.${q.id}`] = 'invalid_type';
      continue;
    }
    const value = (raw ?? '').trim();
    if (value === '') {
      if (q.required) fields[`answers.${q.id}`] = 'required';
      continue;
    }
    if (value.length > ANSWER_MAX[q.type]) {
      fields[`answers.${q.id}`] = 'too_long';
      continue;
    }
    const control = q.type === 'multiline' ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE;
    if (control.test(value)) {
      fields[`answers.${q.id}`] = 'control_characters';
      continue;
    }
    if (q.type === 'select' && !(q.options ?? []).includes(value)) {
      fields[`answers.${q.id}`] = 'invalid_option';
      continue;
    }
    if (q.type === 'phone' && !PHONE.test(value)) {
      fields[`answers.${q.id}`] = 'phone_format';
      continue;
    }
    out[q.id] = value;
  }
  return { answers: out, fields };
}

const firstIssue = (result: { success: false; error: z.ZodError }) => result.error.issues[0]?.message ?? 'invalid';

/**
 * Full validation of a booking request for one page. Returns the parsed input or the field errors
 * (keys: start, name, email, timeZone, locale, hour12, answers.<questionId>).
 */
export function parseBookingInput(
  input: { start: unknown; name: unknown; email: unknown; timeZone: unknown; answers?: unknown; locale?: unknown; hour12?: unknown },
  questions: BookingQuestion[],
): { ok: true; value: ParsedBookingInput } | { ok: false; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const start = instantSchema.safeParse(input.start);
  if (!start.success) fields.start = firstIssue(start);
  const name = guestNameSchema.safeParse(input.name);
  if (!name.success) fields.name = firstIssue(name);
  const email = guestEmailSchema.safeParse(input.email);
  if (!email.success) fields.email = firstIssue(email);
  const timeZone = guestTimeZoneSchema.safeParse(input.timeZone);
  if (!timeZone.success) fields.timeZone = 'time_zone';
  const locale = input.locale === undefined || input.locale === null ? null : localeSchema.safeParse(input.locale);
  if (locale && !locale.success) fields.locale = 'locale';
  if (input.hour12 !== undefined && input.hour12 !== null && typeof input.hour12 !== 'boolean') fields.hour12 = 'invalid_type';
  let answers: Record<string, string> = {};
  if (input.answers !== undefined && input.answers !== null && (typeof input.answers !== 'object' || Array.isArray(input.answers))) {
    fields.answers = 'invalid_type';
  } else {
    const checked = validateAnswers(questions, (input.answers ?? undefined) as Record<string, unknown> | undefined);
    Object.assign(fields, checked.fields);
    answers = checked.answers;
  }
  if (Object.keys(fields).length > 0 || !start.success || !name.success || !email.success || !timeZone.success) {
    return { ok: false, fields };
  }
  return {
    ok: true,
    value: {
      start: start.data,
      name: name.data,
      email: email.data,
      timeZone: timeZone.data,
      answers,
      locale: locale?.success ? locale.data : 'en',
      hour12: typeof input.hour12 === 'boolean' ? input.hour12 : null,
    },
  };
}

/** The host's bookings list search (`?q=&page=&from=&to=`): a malformed value is dropped (the list shows unfiltered by it), never a 500. */
export const bookingSearchSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .optional()
    .catch(undefined),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
});
