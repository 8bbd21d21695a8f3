import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/lib/db/client';
import { ATTENDANCE_VERDICTS, bookings } from '@/lib/db/schema/bookings';
import { AppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/http';
import { multiLineText } from '@/lib/text-input';
import type { AttendanceVerdict } from './types';

/** The host's own writes about a meeting after the fact (the measured facts are the pipeline's). */

export const OVERRIDE_NOTE_MAX = 500;

const overrideSchema = z.object({
  verdict: z.enum(ATTENDANCE_VERDICTS, { message: 'verdict' }).nullable(),
  note: multiLineText(OVERRIDE_NOTE_MAX, 'too_long').nullable().optional(),
});

/**
 * Sets (or with `verdict` null, clears) the host's correction of a booking's attendance verdict, kept
 * apart from the measured one. invalid_input {fields} for a bad verdict or note; not_found for an
 * unknown uid or another host's booking.
 */
export async function setAttendanceOverride(
  db: DbOrTx,
  hostId: string,
  uid: string,
  verdict: AttendanceVerdict | null,
  note: string | null | undefined,
  now: Date = new Date(),
): Promise<{ status: AttendanceVerdict; note: string | null; at: string } | null> {
  const parsed = overrideSchema.safeParse({ verdict, note: typeof note === 'string' ? note.trim() : note });
  if (!parsed.success) throw new AppError('invalid_input', 'Invalid override', { fields: fieldErrors(parsed.error) });
  if (typeof uid !== 'string' || uid.length === 0 || uid.length > 64) throw new AppError('not_found', 'Booking not found');
  const value = parsed.data.verdict;
  const text = value && parsed.data.note ? parsed.data.note : null;
  const [row] = await db
    .update(bookings)
    .set({ attendanceOverride: value, attendanceOverrideAt: value ? now : null, attendanceOverrideNote: text, updatedAt: now })
    .where(and(eq(bookings.uid, uid), eq(bookings.userId, hostId)))
    .returning({ id: bookings.id });
  if (!row) throw new AppError('not_found', 'Booking not found');
  return value ? { status: value, note: text, at: now.toISOString() } : null;
}
