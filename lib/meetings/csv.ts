import type { bookings } from '@/lib/db/schema/bookings';
import { effectiveAttendance, meetingLifecycleStatus, minutesOf } from './view';

/**
 * The bookings CSV export (`/bookings/export.csv`, `GET /api/v1/bookings?format=csv`): RFC 4180
 * (CRLF, fields quoted when needed, quotes doubled), UTF-8 with a BOM so Excel reads Japanese, and
 * safe against formula injection (a cell starting with = + - @, tab or CR gets a leading ').
 */

type BookingRow = typeof bookings.$inferSelect;
export type CsvBooking = { row: BookingRow; hostJoined: boolean; recordings: number };

export const CSV_COLUMNS = [
  'uid',
  'title',
  'start_utc',
  'end_utc',
  'start_local',
  'status',
  'guest_name',
  'guest_email',
  'meeting_status',
  'attendance',
  'attendance_measured',
  'attendance_override',
  'attendance_override_note',
  'guest_first_join_utc',
  'guest_total_minutes',
  'guest_joins',
  'host_joined',
  'recording_files',
] as const;

export const CSV_BOM = '\uFEFF';

/** One cell: neutralised against spreadsheet formulas, then quoted per RFC 4180 when needed. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Numbers we write ourselves are safe; text from guests may start a formula.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: (string | number | null | undefined)[]) => cells.map(csvCell).join(',');

/** `YYYY-MM-DD HH:mm` in `timeZone`. */
export function localDateTime(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The whole file (BOM, header line, one line per booking, CRLF after every line). */
export function bookingsCsv(items: CsvBooking[], hostTimeZone: string): string {
  const lines = [csvLine([...CSV_COLUMNS])];
  for (const { row, hostJoined, recordings } of items) {
    const guest = row.attendanceGuest;
    lines.push(
      csvLine([
        row.uid,
        row.title,
        row.startAt.toISOString(),
        row.endAt.toISOString(),
        localDateTime(row.startAt, hostTimeZone),
        row.status,
        row.guestName,
        row.guestEmail,
        row.location.type === 'zoom' ? (meetingLifecycleStatus(row) ?? 'none') : 'none',
        effectiveAttendance(row.attendanceStatus, row.attendanceOverride),
        row.attendanceStatus,
        row.attendanceOverride ?? '',
        row.attendanceOverrideNote ?? '',
        guest?.firstJoinAt ?? '',
        guest ? minutesOf(guest.totalSeconds) : '',
        guest ? guest.joins : '',
        hostJoined ? 'yes' : 'no',
        recordings,
      ]),
    );
  }
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

export const csvFilename = (now: Date) => `aki-bookings-${now.toISOString().slice(0, 10)}.csv`;

export const csvHeaders = (filename: string) => ({
  'Content-Type': 'text/csv; charset=utf-8',
  'Content-Disposition': `attachment; filename="${filename}"`,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
});
