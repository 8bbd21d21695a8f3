import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { AppError } from '@/lib/errors';
import { localDayRangeUtc } from '@/lib/availability/time-zone';
import { bookingsCsv, csvFilename } from './csv';
import { type BookingListFilter, getHostMeetingBooking, listBookingsForExport, parseAttendanceFilter } from './queries';
import { recreateZoomMeeting, requestMeetingSync } from './service';

/**
 * The host's commands and exports about meetings after the fact, shared by the server actions, the
 * CSV route and the v1 API (ownership checked here: another host's booking is not_found).
 */

/** "Refresh from Zoom": 'queued', or 'no_meeting' when the booking has no Zoom meeting to read. */
export async function refreshMeetingForHost(db: Db, hostId: string, uid: string, now: Date = new Date()): Promise<'queued' | 'no_meeting'> {
  const row = await getHostMeetingBooking(db, hostId, uid);
  if (row.location.type !== 'zoom' || !row.zoomMeetingId) return 'no_meeting';
  return (await requestMeetingSync(db, row.id, now)) ? 'queued' : 'no_meeting';
}

/** "Recreate meeting" after the Zoom meeting was deleted in Zoom; conflict when it was not. */
export async function recreateMeetingForHost(db: Db, hostId: string, uid: string, now: Date = new Date()): Promise<void> {
  const row = await getHostMeetingBooking(db, hostId, uid);
  if (row.location.type !== 'zoom' || row.status !== 'confirmed' || row.meetingChangedInZoom !== 'deleted') {
    throw new AppError('conflict', 'The Zoom meeting of this booking was not deleted in Zoom');
  }
  if (!(await recreateZoomMeeting(db, row.id, now))) throw new AppError('conflict', 'The Zoom meeting of this booking was not deleted in Zoom');
}

const exportQuerySchema = z.object({
  scope: z.enum(['upcoming', 'past']).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  status: z.enum(['confirmed', 'cancelled']).optional(),
  attendance: z.enum(['no_show']).optional(),
  q: z.string().trim().max(100, 'q_length').optional(),
  page: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'page_format').optional(),
});

/**
 * The filters of the bookings list / v1 list as query parameters (scope, from, to, status,
 * attendance=no_show, q = search words, page = booking page id). A bad value is invalid_input {fields}
 * (422, as the JSON list answers). A date-only `from`/`to` is a day in `dayZone`: the host's zone for
 * the bookings list's export (as the list's own date range), UTC for the v1 API.
 */
export function parseExportQuery(query: URLSearchParams, dayZone = 'UTC'): BookingListFilter {
  const pick = (name: string) => query.get(name) ?? undefined;
  const parsed = exportQuerySchema.safeParse({
    scope: pick('scope'),
    from: pick('from'),
    to: pick('to'),
    status: pick('status'),
    attendance: pick('attendance'),
    q: pick('q'),
    page: pick('page') || undefined,
  });
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || '_'] ??= issue.message;
    throw new AppError('invalid_input', 'Invalid query', { fields });
  }
  const toDate = (value: string | undefined, endOfDay: boolean) => {
    if (value === undefined) return undefined;
    if (value.length !== 10) return new Date(value);
    const day = localDayRangeUtc(value, dayZone);
    return endOfDay ? new Date(day.end.getTime() - 1) : day.start;
  };
  const from = toDate(parsed.data.from, false);
  const to = toDate(parsed.data.to, true);
  if (from && to && from > to) throw new AppError('invalid_input', 'from is after to', { fields: { from: 'from_after_to' } });
  return {
    scope: parsed.data.scope,
    from,
    to,
    status: parsed.data.status,
    attendance: parseAttendanceFilter(parsed.data.attendance),
    text: parsed.data.q || undefined,
    pageId: parsed.data.page,
  };
}

/** The CSV file of the host's bookings matching `filter`, times also in the host's zone. */
export async function exportBookingsCsv(db: Db, hostId: string, filter: BookingListFilter, now: Date = new Date()): Promise<{ filename: string; body: string }> {
  const [host] = await db.select({ timeZone: users.timeZone }).from(users).where(eq(users.id, hostId)).limit(1);
  const items = await listBookingsForExport(db, hostId, filter, now);
  return { filename: csvFilename(now), body: bookingsCsv(items, host?.timeZone ?? 'UTC') };
}
