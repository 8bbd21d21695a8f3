import 'server-only';
import { and, asc, count, desc, eq, gte, ilike, inArray, isNotNull, lt, lte, min, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { meetingParticipants, meetingRecordings } from '@/lib/db/schema/meetings';
import { AppError } from '@/lib/errors';
import type { BookingMeetingDetail, ParticipantSegment, RecordingFile } from './types';
import { attendanceRate, buildTimeline, effectiveAttendance, meetingLifecycleStatus, passcodeHint, segmentSeconds, type TimelineEvent } from './view';

/**
 * Reads of a booking's meeting after the fact for its host (the booking page, the v1 API, the list's
 * badges and filter, the dashboard rate, the CSV export). Every read is scoped by host: another host's
 * booking is not found (invariant 6).
 */

type BookingRow = typeof bookings.$inferSelect;

/** A recording file as the booking page shows it (never the download URL). */
export type RecordingView = RecordingFile & {
  id: number;
  durationSeconds: number | null;
  transcriptStatus: 'none' | 'pending' | 'fetched' | 'failed' | 'too_large';
  transcriptText: string | null;
};

/** Everything the booking page needs about the meeting, around the v1 shape (`detail`). */
export type MeetingDetailPage = {
  uid: string;
  detail: BookingMeetingDetail;
  timeline: TimelineEvent[];
  isZoom: boolean;
  /** The measured verdict and the one that counts (override wins). */
  effectiveAttendance: BookingMeetingDetail['attendance']['status'];
  attendanceComputedAt: string | null;
  changedInZoom: { change: 'deleted' | 'rescheduled'; at: string | null } | null;
  syncedAt: string | null;
  recordings: RecordingView[];
  recording: { shareUrl: string | null; passcodeHint: string | null };
  /** Whether a host segment exists (the host joined). */
  hostJoined: boolean;
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function hostBookingRow(db: DbOrTx, hostId: string, uid: string): Promise<BookingRow> {
  if (typeof uid !== 'string' || uid.length === 0 || uid.length > 64) throw new AppError('not_found', 'Booking not found');
  const [row] = await db
    .select()
    .from(bookings)
    .where(and(eq(bookings.uid, uid), eq(bookings.userId, hostId)))
    .limit(1);
  if (!row) throw new AppError('not_found', 'Booking not found');
  return row;
}

export const toParticipant = (p: typeof meetingParticipants.$inferSelect): ParticipantSegment => ({
  name: p.name,
  email: p.email,
  joinAt: iso(p.joinAt),
  leaveAt: iso(p.leaveAt),
  durationSeconds: segmentSeconds(p.joinAt, p.leaveAt),
  role: p.role,
});

/** The v1 detail (`BookingMeetingDetail`) of one row with its segments and recordings. */
function detailOf(row: BookingRow, participants: (typeof meetingParticipants.$inferSelect)[], recordings: (typeof meetingRecordings.$inferSelect)[]): BookingMeetingDetail {
  const status = meetingLifecycleStatus(row);
  const isZoom = row.location.type === 'zoom';
  return {
    meeting:
      isZoom && status
        ? { provider: 'zoom', id: row.zoomMeetingId, joinUrl: row.zoomJoinUrl, status, startedAt: iso(row.meetingStartedAt), endedAt: iso(row.meetingEndedAt) }
        : null,
    attendance: {
      status: row.attendanceStatus,
      reason: row.attendanceReason,
      guest: row.attendanceGuest ?? null,
      participants: participants.map(toParticipant),
      override: row.attendanceOverride
        ? { status: row.attendanceOverride, note: row.attendanceOverrideNote, at: iso(row.attendanceOverrideAt ?? row.updatedAt)! }
        : null,
    },
    recordings: recordings.map((r) => ({
      fileType: r.fileType,
      recordingType: r.recordingType,
      startedAt: iso(r.startedAt),
      endedAt: iso(r.endedAt),
      sizeBytes: r.sizeBytes,
      playUrl: r.playUrl,
    })),
  };
}

const segmentOrder = [sql`${meetingParticipants.joinAt} asc nulls last`, asc(meetingParticipants.leaveAt), asc(meetingParticipants.id)];

/** The booking's meeting for its host (not_found for an unknown uid or another host's booking). */
export async function getBookingMeetingDetail(db: DbOrTx, hostId: string, uid: string): Promise<MeetingDetailPage> {
  const row = await hostBookingRow(db, hostId, uid);
  const [participants, recordings, [created]] = await Promise.all([
    db
      .select()
      .from(meetingParticipants)
      .where(eq(meetingParticipants.bookingId, row.id))
      .orderBy(...segmentOrder),
    db.select().from(meetingRecordings).where(eq(meetingRecordings.bookingId, row.id)).orderBy(asc(meetingRecordings.startedAt), asc(meetingRecordings.id)),
    db
      .select({ doneAt: min(bookingSteps.doneAt) })
      .from(bookingSteps)
      .where(and(eq(bookingSteps.bookingId, row.id), eq(bookingSteps.kind, 'zoom.create'), eq(bookingSteps.status, 'done'))),
  ]);
  const detail = detailOf(row, participants, recordings);
  const firstRecordingAt = recordings.reduce<Date | null>((first, r) => (!first || r.createdAt < first ? r.createdAt : first), null);
  const timeline = buildTimeline({
    createdAt: row.createdAt,
    meetingCreatedAt: created?.doneAt ?? null,
    meetingStartedAt: row.meetingStartedAt,
    meetingEndedAt: row.meetingEndedAt,
    segments: participants.map((p) => ({ name: p.name, role: p.role, joinAt: p.joinAt, leaveAt: p.leaveAt })),
    firstRecordingAt,
    changedInZoom: row.meetingChangedInZoom,
    changedInZoomAt: row.meetingChangedInZoomAt,
    cancelledAt: row.status === 'cancelled' ? row.cancelledAt : null,
  });
  return {
    uid: row.uid,
    detail,
    timeline,
    isZoom: row.location.type === 'zoom',
    effectiveAttendance: effectiveAttendance(row.attendanceStatus, row.attendanceOverride),
    attendanceComputedAt: iso(row.attendanceComputedAt),
    changedInZoom: row.meetingChangedInZoom ? { change: row.meetingChangedInZoom, at: iso(row.meetingChangedInZoomAt) } : null,
    syncedAt: iso(row.meetingSyncedAt),
    recordings: recordings.map((r, i) => ({
      ...detail.recordings[i]!,
      id: r.id,
      durationSeconds: segmentSeconds(r.startedAt, r.endedAt),
      transcriptStatus: r.transcriptStatus,
      transcriptText: r.transcriptText,
    })),
    recording: { shareUrl: row.recordingShareUrl, passcodeHint: passcodeHint(row.recordingPasscode) },
    hostJoined: participants.some((p) => p.role === 'host'),
  };
}

/** The booking row a lifecycle command acts on (ownership checked: not_found otherwise). */
export async function getHostMeetingBooking(db: DbOrTx, hostId: string, uid: string): Promise<BookingRow> {
  return hostBookingRow(db, hostId, uid);
}

// ---- lists: badges, the no-show filter, the dashboard rate, the export ------------------------

export type AttendanceFilter = 'no_show';
export const parseAttendanceFilter = (value: unknown): AttendanceFilter | null => (value === 'no_show' ? 'no_show' : null);

/** SQL for "the verdict that counts" (override wins). */
const effectiveSql = sql<string>`coalesce(${bookings.attendanceOverride}, ${bookings.attendanceStatus})`;

/** The bookings list's search words (also lib/bookings' list): each must appear in the guest's name or email or the booking's title (case-insensitive). */
export function bookingTextConditions(text: string | undefined) {
  return (text ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8)
    .map((word) => {
      // LIKE's own wildcards in what the host typed are literal characters.
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return or(ilike(bookings.guestName, pattern), ilike(bookings.guestEmail, pattern), ilike(bookings.title, pattern))!;
    });
}

export type BookingListFilter = {
  scope?: 'upcoming' | 'past';
  from?: Date;
  to?: Date;
  status?: 'confirmed' | 'cancelled';
  attendance?: AttendanceFilter | null;
  /** The bookings list's search: words in the guest's name or email or the title, and one page. */
  text?: string;
  pageId?: string;
  limit?: number;
};

function listConditions(hostId: string, filter: BookingListFilter, now: Date) {
  const conditions = [eq(bookings.userId, hostId)];
  if (filter.scope === 'upcoming') conditions.push(gte(bookings.endAt, now));
  if (filter.scope === 'past') conditions.push(lt(bookings.endAt, now));
  if (filter.from) conditions.push(gte(bookings.startAt, filter.from));
  if (filter.to) conditions.push(lte(bookings.startAt, filter.to));
  if (filter.status) conditions.push(eq(bookings.status, filter.status));
  if (filter.attendance === 'no_show') conditions.push(sql`${effectiveSql} in ('guest_no_show', 'host_no_show')`);
  if (filter.pageId) conditions.push(eq(bookings.pageId, filter.pageId));
  conditions.push(...bookingTextConditions(filter.text));
  return and(...conditions);
}

export type AttendanceBadge = {
  uid: string;
  /** Measured verdict. */
  status: BookingMeetingDetail['attendance']['status'];
  override: BookingMeetingDetail['attendance']['status'] | null;
  /** What counts (override wins). */
  effective: BookingMeetingDetail['attendance']['status'];
  meetingEnded: boolean;
};

/** The attendance of the host's bookings matching `filter` (for the list's badges and the no-show filter), keyed by uid. */
export async function listAttendance(db: DbOrTx, hostId: string, filter: BookingListFilter, now: Date = new Date()): Promise<Map<string, AttendanceBadge>> {
  const rows = await db
    .select({
      uid: bookings.uid,
      status: bookings.attendanceStatus,
      override: bookings.attendanceOverride,
      endedAt: bookings.meetingEndedAt,
    })
    .from(bookings)
    .where(listConditions(hostId, filter, now))
    .orderBy(desc(bookings.startAt))
    .limit(filter.limit ?? 1000);
  return new Map(
    rows.map((r) => [r.uid, { uid: r.uid, status: r.status, override: r.override, effective: effectiveAttendance(r.status, r.override), meetingEnded: r.endedAt !== null }]),
  );
}

/**
 * The dashboard's attendance rate over the last `days` days: attended ÷ bookings with a final verdict
 * (override wins), among confirmed bookings that ended in the window.
 */
export async function attendanceRateSince(db: DbOrTx, hostId: string, now: Date = new Date(), days = 30) {
  const since = new Date(now.getTime() - days * 86_400_000);
  const rows = await db
    .select({ effective: effectiveSql })
    .from(bookings)
    .where(and(eq(bookings.userId, hostId), eq(bookings.status, 'confirmed'), gte(bookings.endAt, since), lt(bookings.endAt, now)));
  return attendanceRate(rows.map((r) => r.effective as BookingMeetingDetail['attendance']['status']));
}

/** One row of the CSV export. */
export type ExportRow = {
  row: BookingRow;
  hostJoined: boolean;
  recordings: number;
};

/** The host's bookings for the CSV export (same filters as the list; newest first for past, else soonest first). */
export async function listBookingsForExport(db: DbOrTx, hostId: string, filter: BookingListFilter, now: Date = new Date()): Promise<ExportRow[]> {
  const rows = await db
    .select()
    .from(bookings)
    .where(listConditions(hostId, filter, now))
    .orderBy(filter.scope === 'past' ? desc(bookings.startAt) : asc(bookings.startAt))
    .limit(filter.limit ?? 5000);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [hosts, files] = await Promise.all([
    db
      .selectDistinct({ bookingId: meetingParticipants.bookingId })
      .from(meetingParticipants)
      .where(and(inArray(meetingParticipants.bookingId, ids), eq(meetingParticipants.role, 'host'), or(isNotNull(meetingParticipants.joinAt), isNotNull(meetingParticipants.leaveAt)))),
    db
      .select({ bookingId: meetingRecordings.bookingId, n: count() })
      .from(meetingRecordings)
      .where(inArray(meetingRecordings.bookingId, ids))
      .groupBy(meetingRecordings.bookingId),
  ]);
  const hostSet = new Set(hosts.map((h) => h.bookingId));
  const fileCount = new Map(files.map((f) => [f.bookingId, Number(f.n)]));
  return rows.map((row) => ({ row, hostJoined: hostSet.has(row.id), recordings: fileCount.get(row.id) ?? 0 }));
}
