import 'server-only';
import { and, asc, desc, eq, gte, inArray, lt, lte, ne, notInArray, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { BookingQuestion } from '@/lib/booking-pages/schema';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { checkDatabase } from '@/lib/db/health';
import { instantParam, iso, preparedFor } from '@/lib/db/prepared';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { users } from '@/lib/db/schema/hosts';
import { organisations } from '@/lib/db/schema/organisations';
import { workerAlive, type WorkerStatus, workerStatus } from './effects/heartbeat';
import { bookingTextConditions } from '@/lib/meetings/queries';
import { manageUrlFor } from './manage-token';
import { hostReminderViews } from './reminders';
import type {
  BookingConfirmationView,
  BookingRow,
  BookingStepRow,
  HostBookingView,
  ManagedBookingView,
  PublicBooking,
  PublicLocation,
  PublicMeeting,
} from './types';

/** Reads of bookings and the views built from them (public-safe, guest manage, host list). */

export async function getBookingByUid(uid: string, db?: DbOrTx): Promise<BookingRow | null> {
  const client = db ?? (await getDb());
  const [row] = await client.select().from(bookings).where(eq(bookings.uid, uid)).limit(1);
  return row ?? null;
}

/** A host's booking (invariant 6: another host's booking is not found). */
export async function getHostBooking(userId: string, uid: string, db?: DbOrTx): Promise<BookingRow | null> {
  const client = db ?? (await getDb());
  const [row] = await client
    .select()
    .from(bookings)
    .where(and(eq(bookings.uid, uid), eq(bookings.userId, userId)))
    .limit(1);
  return row ?? null;
}

export function publicMeeting(booking: BookingRow): PublicMeeting | null {
  if (booking.location.type !== 'zoom') return null;
  // A meeting deleted in Zoom has a dead link: the guest is told it is being replaced, not shown it.
  const created =
    booking.meetingStatus === 'created' && booking.zoomJoinUrl !== null && booking.status === 'confirmed' && booking.meetingChangedInZoom !== 'deleted';
  // A failed create is retried by the host; to the guest it stays "the link will follow".
  // The guest's own registrant link when the page registers guests (the host keeps the meeting's link).
  return { provider: 'zoom', status: created ? 'created' : 'pending', joinUrl: created ? (booking.guestJoinUrl ?? booking.zoomJoinUrl) : null };
}

export function toPublicBooking(booking: BookingRow): PublicBooking {
  return {
    uid: booking.uid,
    start: booking.startAt.toISOString(),
    end: booking.endAt.toISOString(),
    status: booking.status,
    meeting: publicMeeting(booking),
    manageUrl: manageUrlFor(booking.uid, booking.id),
  };
}

function publicLocation(booking: BookingRow): PublicLocation {
  const loc = booking.location;
  switch (loc.type) {
    case 'zoom': {
      const meeting = publicMeeting(booking)!;
      return { type: 'zoom', joinUrl: meeting.joinUrl, status: meeting.status };
    }
    case 'phone':
      return { type: 'phone', phone: loc.phone ?? null };
    case 'in_person':
      return { type: 'in_person', address: loc.address };
    case 'link':
      return { type: 'link', url: loc.url };
  }
}

/** The fields the guest's and the host's views of a booking share. */
function bookingBasics(booking: BookingRow) {
  return {
    uid: booking.uid,
    title: booking.title,
    status: booking.status,
    start: booking.startAt.toISOString(),
    end: booking.endAt.toISOString(),
    guestName: booking.guestName,
    guestTimeZone: booking.guestTimeZone,
    guestLocale: booking.guestLocale,
  };
}

async function confirmationView(booking: BookingRow, db: DbOrTx): Promise<BookingConfirmationView> {
  const [host] = await db
    .select({ name: users.name, handle: users.handle, timeZone: users.timeZone })
    .from(users)
    .where(eq(users.id, booking.userId))
    .limit(1);
  let page: BookingConfirmationView['page'] = null;
  if (booking.pageId && host?.handle) {
    const [row] = await db
      .select({ slug: bookingPages.slug, team: organisations.slug })
      .from(bookingPages)
      .leftJoin(organisations, eq(organisations.id, bookingPages.organisationId))
      .where(eq(bookingPages.id, booking.pageId))
      .limit(1);
    if (row) page = { handle: host.handle, slug: row.slug, team: row.team };
  }
  const guestMail = booking.status === 'confirmed' ? await guestMailState(booking.id, db) : { status: 'none' as const, workerRunning: false };
  return {
    ...bookingBasics(booking),
    durationMinutes: Math.round((booking.endAt.getTime() - booking.startAt.getTime()) / 60_000),
    host: { name: host?.name ?? null, handle: host?.handle ?? null, timeZone: host?.timeZone ?? 'UTC' },
    page,
    location: publicLocation(booking),
    meeting: publicMeeting(booking),
    guestMail,
    meetingChangedInZoom: booking.status === 'confirmed' && booking.location.type === 'zoom' ? booking.meetingChangedInZoom : null,
  };
}

/** The guest's latest confirmation (or reschedule) mail step, and whether a worker is alive to send it. */
async function guestMailState(bookingId: string, db: DbOrTx): Promise<BookingConfirmationView['guestMail']> {
  const [step] = await db
    .select({ status: bookingSteps.status })
    .from(bookingSteps)
    .where(and(eq(bookingSteps.bookingId, bookingId), inArray(bookingSteps.kind, ['mail.guest.confirmed', 'mail.guest.rescheduled'])))
    .orderBy(desc(bookingSteps.id))
    .limit(1);
  const status = !step || step.status === 'skipped' ? 'none' : step.status === 'done' ? 'sent' : step.status === 'failed' ? 'failed' : 'pending';
  return { status, workerRunning: status === 'pending' ? await workerAlive(db) : false };
}

export async function bookingConfirmationView(booking: BookingRow, db?: DbOrTx): Promise<BookingConfirmationView> {
  return confirmationView(booking, db ?? (await getDb()));
}

export async function managedBookingView(booking: BookingRow, now: Date, db?: DbOrTx): Promise<ManagedBookingView> {
  const client = db ?? (await getDb());
  const base = await confirmationView(booking, client);
  const open = booking.status === 'confirmed' && booking.startAt > now;
  return {
    ...base,
    guestEmail: booking.guestEmail,
    answers: booking.answers,
    cancelReason: booking.cancelReason,
    cancelledBy: booking.cancelledBy,
    cancelledAt: booking.cancelledAt?.toISOString() ?? null,
    canCancel: open,
    canReschedule: open && base.page !== null,
  };
}

const latest = (steps: BookingStepRow[], kinds: string[]) => {
  let found: BookingStepRow | undefined;
  for (const s of steps) if (kinds.includes(s.kind) && (!found || s.id > found.id)) found = s;
  return found;
};

const NEEDS_RECONNECT = /revoked|not connected|lacks the scope/i;

/** What the zoom.create step recorded about registering the guest (zoom-steps.ts registerGuest). */
function registrationOf(step: BookingStepRow | undefined): HostBookingView['guestRegistration'] {
  const status = step?.payload.registration;
  if (status !== 'registered' && status !== 'failed') return null;
  return { status, reason: typeof step?.payload.registrationError === 'string' ? step.payload.registrationError : null };
}

/** What the zoom.create step recorded about a collective meeting's alternative hosts (zoom-steps.ts). */
function alternativeHostsOf(step: BookingStepRow | undefined): HostBookingView['alternativeHosts'] {
  const recorded = step?.payload.alternativeHosts as Partial<NonNullable<HostBookingView['alternativeHosts']>> | undefined;
  if (!recorded || typeof recorded !== 'object') return null;
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const refused = Array.isArray(recorded.refused)
    ? recorded.refused.filter((r) => typeof r?.email === 'string').map((r) => ({ email: r.email, reason: String(r.reason ?? '') }))
    : [];
  return { added: strings(recorded.added), refused, withoutZoom: strings(recorded.withoutZoom) };
}

/** The page a host's booking view names; `team` when it is a team page (its organisation's slug and kind). */
export type HostViewPage = { id: string; slug: string; team?: { org: string | null; kind: 'round_robin' | 'collective' } | null };

/**
 * `leadZoomStep`: for a member's hold of a collective booking, the zoom.create step of the booking that
 * holds the meeting (its alternative hosts concern the member too).
 */
export function hostBookingView(
  booking: BookingRow,
  steps: BookingStepRow[],
  questions: BookingQuestion[],
  viewPage: HostViewPage | null,
  now: Date,
  leadZoomStep?: BookingStepRow,
): HostBookingView {
  const page = viewPage ? { id: viewPage.id, slug: viewPage.slug } : null;
  const team = viewPage?.team ? { ...viewPage.team, part: booking.teamLeadId ? ('member' as const) : ('host' as const) } : null;
  const zoomStep = latest(steps, ['zoom.create']);
  const meetingReason = booking.meetingStatus === 'pending' || booking.meetingStatus === 'failed' ? (zoomStep?.lastError ?? null) : null;
  const calStep = latest(steps, ['calendar.create', 'calendar.update', 'calendar.delete']);
  let calendar: HostBookingView['calendar'] = { status: 'none', reason: null };
  if (calStep) {
    const reason = typeof calStep.payload.reason === 'string' ? calStep.payload.reason : calStep.lastError;
    calendar = {
      status: calStep.status === 'done' ? 'written' : calStep.status === 'skipped' ? 'skipped' : calStep.status === 'failed' ? 'failed' : 'pending',
      reason: reason ?? null,
    };
  }
  const mailState = (who: 'guest' | 'host'): HostBookingView['mails']['guest'] => {
    const mails = steps.filter((s) => s.kind.startsWith(`mail.${who}.`) && s.kind !== 'mail.host.zoom_problem');
    if (mails.length === 0) return 'none';
    if (mails.some((s) => s.status === 'failed')) return 'failed';
    if (mails.some((s) => s.status === 'pending' || s.status === 'running')) return 'pending';
    return 'sent';
  };
  const open = steps.filter((s) => s.status === 'failed' || (s.status === 'pending' && s.lastError));
  // What a cancellation did: its own steps (the create steps' states would be stale).
  const undone = (kind: string): 'done' | 'pending' | 'failed' | 'none' => {
    const step = latest(steps, [kind]);
    if (!step || step.status === 'skipped') return 'none';
    return step.status === 'done' ? 'done' : step.status === 'failed' ? 'failed' : 'pending';
  };
  const cancellation: HostBookingView['cancellation'] =
    booking.status === 'cancelled'
      ? {
          meeting: ((state) => (state === 'done' ? 'deleted' : state))(undone('zoom.delete')),
          calendar: ((state) => (state === 'done' ? 'removed' : state))(undone('calendar.delete')),
          guestMail: ((state) => (state === 'done' ? 'sent' : state))(undone('mail.guest.cancelled')),
        }
      : null;
  return {
    ...bookingBasics(booking),
    guestEmail: booking.guestEmail,
    answers: Object.entries(booking.answers).map(([id, value]) => ({ id, label: questions.find((q) => q.id === id)?.label ?? id, value })),
    location: booking.location,
    page,
    team,
    cancelReason: booking.cancelReason,
    cancelledBy: booking.cancelledBy,
    createdAt: booking.createdAt.toISOString(),
    meeting: {
      status: booking.meetingStatus,
      joinUrl: booking.meetingStatus === 'created' ? booking.zoomJoinUrl : null,
      reason: meetingReason,
      needsReconnect: meetingReason !== null && NEEDS_RECONNECT.test(meetingReason),
    },
    guestRegistration: registrationOf(zoomStep),
    alternativeHosts: alternativeHostsOf(booking.teamLeadId ? leadZoomStep : zoomStep),
    calendar,
    mails: { guest: mailState('guest'), host: mailState('host') },
    cancellation,
    canRetry: open.length > 0,
    // A member's hold has the meeting's link but not the meeting: its start link (the host's ZAK) is the hosting booking's.
    canStart: booking.status === 'confirmed' && booking.meetingStatus === 'created' && booking.endAt > now && booking.teamLeadId === null,
    steps: steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      status: s.status,
      attempts: s.attempts,
      lastError: s.lastError,
      runAt: s.runAt.toISOString(),
      doneAt: s.doneAt?.toISOString() ?? null,
    })),
    reminders: hostReminderViews(steps),
  };
}

/** Host bookings with their steps: upcoming (end ≥ now, soonest first) or past (newest first). */
export async function hostBookings(
  userId: string,
  filter: {
    scope?: 'upcoming' | 'past';
    from?: Date;
    to?: Date;
    status?: 'confirmed' | 'cancelled';
    uid?: string;
    limit?: number;
    newestFirst?: boolean;
    /** Words found in the guest's name or email or the booking's title (case-insensitive). */
    text?: string;
    pageId?: string;
  },
  now: Date,
  db?: DbOrTx,
): Promise<HostBookingView[]> {
  const client = db ?? (await getDb());
  const conditions = [eq(bookings.userId, userId)];
  if (filter.scope === 'upcoming') conditions.push(gte(bookings.endAt, now));
  if (filter.scope === 'past') conditions.push(lt(bookings.endAt, now));
  if (filter.from) conditions.push(gte(bookings.startAt, filter.from));
  if (filter.to) conditions.push(lte(bookings.startAt, filter.to));
  if (filter.status) conditions.push(eq(bookings.status, filter.status));
  if (filter.uid) conditions.push(eq(bookings.uid, filter.uid));
  if (filter.pageId) conditions.push(eq(bookings.pageId, filter.pageId));
  conditions.push(...bookingTextConditions(filter.text));
  const rows = await client
    .select()
    .from(bookings)
    .where(and(...conditions))
    .orderBy(filter.scope === 'past' || filter.newestFirst ? desc(bookings.startAt) : asc(bookings.startAt))
    .limit(filter.limit ?? 200);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const steps = await client.select().from(bookingSteps).where(inArray(bookingSteps.bookingId, ids)).orderBy(asc(bookingSteps.id));
  const pageIds = [...new Set(rows.map((r) => r.pageId).filter((id): id is string => id !== null))];
  const pages =
    pageIds.length > 0
      ? await client
          .select({ id: bookingPages.id, slug: bookingPages.slug, questions: bookingPages.questions, teamKind: bookingPages.teamKind, org: organisations.slug })
          .from(bookingPages)
          .leftJoin(organisations, eq(organisations.id, bookingPages.organisationId))
          .where(inArray(bookingPages.id, pageIds))
      : [];
  // Members' holds of collective bookings: the meeting (and its zoom.create step) is the lead booking's.
  const leadIds = [...new Set(rows.map((r) => r.teamLeadId).filter((id): id is string => id !== null))];
  const leadSteps =
    leadIds.length > 0
      ? await client
          .select()
          .from(bookingSteps)
          .where(and(inArray(bookingSteps.bookingId, leadIds), eq(bookingSteps.kind, 'zoom.create')))
          .orderBy(asc(bookingSteps.id))
      : [];
  const leadZoomStep = new Map(leadSteps.map((s) => [s.bookingId, s]));
  const stepsBy = new Map<string, BookingStepRow[]>();
  for (const s of steps) {
    const list = stepsBy.get(s.bookingId) ?? [];
    list.push(s);
    stepsBy.set(s.bookingId, list);
  }
  return rows.map((b) => {
    const page = pages.find((p) => p.id === b.pageId) ?? null;
    return hostBookingView(
      b,
      stepsBy.get(b.id) ?? [],
      page?.questions ?? [],
      page ? { id: page.id, slug: page.slug, team: page.teamKind ? { org: page.org, kind: page.teamKind } : null } : null,
      now,
      b.teamLeadId ? leadZoomStep.get(b.teamLeadId) : undefined,
    );
  });
}

/** Confirmed bookings for the host's private ICS feed (from `since` on). */
export async function feedBookings(userId: string, since: Date, db?: DbOrTx): Promise<BookingRow[]> {
  const client = db ?? (await getDb());
  return client
    .select()
    .from(bookings)
    .where(and(eq(bookings.userId, userId), eq(bookings.status, 'confirmed'), gte(bookings.endAt, since)))
    .orderBy(asc(bookings.startAt))
    .limit(2000);
}

/**
 * Whether the follow-up workers run and keep up (for /api/health and the host's banner). With `userId`
 * the waiting steps are that host's only.
 */
export async function getWorkerStatus(now: Date = new Date(), options: { userId?: string } = {}, db?: DbOrTx): Promise<WorkerStatus> {
  return workerStatus(db ?? (await getDb()), now, options);
}

/** What the slot engine needs of a booking that blocks time. */
export type BookingSpan = { id: string; pageId: string | null; startAt: Date; blockedStartAt: Date; blockedEndAt: Date };

/**
 * The host's confirmed bookings whose blocked range (start/end widened by their page's buffers)
 * overlaps `[from, to)`. The predicate is written exactly like the exclusion constraint's index
 * (`bookings_no_overlap`: gist on user_id + tstzrange(blocked_start_at, blocked_end_at, '[)') for
 * confirmed rows), so Postgres answers it from that index however many past bookings a host has.
 */
export async function confirmedBookingsOverlapping(db: DbOrTx, userId: string, from: Date, to: Date, ignoreBookingId?: string): Promise<BookingSpan[]> {
  // Built once (it runs in every booking transaction); the booking being moved is a second shape.
  const ignoring = ignoreBookingId !== undefined;
  const statement = preparedFor(db, ignoring ? 'confirmedBookingsOverlappingExcept' : 'confirmedBookingsOverlapping', (client, name) =>
    client
      .select({
        id: bookings.id,
        pageId: bookings.pageId,
        startAt: bookings.startAt,
        blockedStartAt: bookings.blockedStartAt,
        blockedEndAt: bookings.blockedEndAt,
      })
      .from(bookings)
      .where(
        and(
          eq(bookings.userId, sql.placeholder('userId')),
          // a literal (not a bound parameter) so the planner can match the partial index's predicate
          sql`${bookings.status} = 'confirmed'`,
          sql`tstzrange(${bookings.blockedStartAt}, ${bookings.blockedEndAt}, '[)') && tstzrange(${instantParam('from')}, ${instantParam('to')}, '[)')`,
          ignoring ? ne(bookings.id, sql.placeholder('ignoreBookingId')) : undefined,
        ),
      )
      .prepare(name),
  );
  return statement.execute({ userId, from: iso(from), to: iso(to), ...(ignoring ? { ignoreBookingId } : {}) });
}

/** The member rows of a collective team booking (they move and cancel with it). */
export async function memberHoldIds(leadId: string, db?: DbOrTx): Promise<string[]> {
  const client = db ?? (await getDb());
  const rows = await client.select({ id: bookings.id }).from(bookings).where(eq(bookings.teamLeadId, leadId));
  return rows.map((r) => r.id);
}

/** What blocks one host, as the engine takes it: busy ranges and the starts of this page's bookings (its daily cap). */
export type HostBusy = { busy: { start: Date; end: Date }[]; pageBookingStarts: Date[] };

/**
 * The confirmed bookings of several hosts (a team page's members) overlapping [from, to), in ONE
 * indexed query, grouped per host. A team of 20 busy hosts is tens of thousands of bookings: each host's
 * come back as one text of epoch milliseconds instead of a row per booking, since turning rows and
 * timestamp text into objects is most of the cost of reading them.
 */
export async function busyOfHosts(
  db: DbOrTx,
  userIds: readonly string[],
  pageId: string,
  from: Date,
  to: Date,
  ignoreBookingIds: readonly string[] = [],
): Promise<Map<string, HostBusy>> {
  const result = new Map<string, HostBusy>(userIds.map((id) => [id, { busy: [], pageBookingStarts: [] }]));
  if (userIds.length === 0) return result;
  const ms = (column: AnyPgColumn) => sql`(extract(epoch from ${column}) * 1000)::bigint`;
  const rows = await db
    .select({
      userId: bookings.userId,
      busy: sql<string>`string_agg(${ms(bookings.blockedStartAt)} || ',' || ${ms(bookings.blockedEndAt)}, ',')`,
      pageStarts: sql<string | null>`string_agg(${ms(bookings.startAt)}::text, ',') filter (where ${bookings.pageId} = ${pageId})`,
    })
    .from(bookings)
    .where(
      and(
        inArray(bookings.userId, [...userIds]),
        sql`${bookings.status} = 'confirmed'`,
        sql`tstzrange(${bookings.blockedStartAt}, ${bookings.blockedEndAt}, '[)') && tstzrange(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz, '[)')`,
        ignoreBookingIds.length > 0 ? notInArray(bookings.id, [...ignoreBookingIds]) : undefined,
      ),
    )
    .groupBy(bookings.userId);
  for (const row of rows) {
    const host = result.get(row.userId);
    if (!host) continue;
    const numbers = row.busy.split(',');
    for (let i = 0; i + 1 < numbers.length; i += 2) host.busy.push({ start: new Date(Number(numbers[i])), end: new Date(Number(numbers[i + 1])) });
    if (row.pageStarts) for (const start of row.pageStarts.split(',')) host.pageBookingStarts.push(new Date(Number(start)));
  }
  return result;
}

// ---- GET /api/health ----------------------------------------------------------------------------

const WORKER_CHECK_TIMEOUT_MS = 5_000;

export type HealthBody =
  | {
      ok: true;
      database: 'postgres' | 'pglite';
      /** null when the worker state could not be read in time. */
      worker: Pick<WorkerStatus, 'lastSeenAt' | 'workers' | 'pendingSteps' | 'oldestPendingAgeSeconds'> | null;
      /** What works but not as it should; "worker": no live worker, or due steps waiting over 5 minutes. */
      degraded: 'worker'[];
    }
  | { ok: false; database: 'postgres' | 'pglite'; error: 'database_unreachable' };

/**
 * GET /api/health: 200 while the database answers (a late or absent worker is "degraded", not down:
 * bookings are still taken and kept), 503 when it does not.
 */
export async function healthReport(now?: Date): Promise<{ status: 200 | 503; body: HealthBody }> {
  const db = await checkDatabase();
  if (!db.ok) return { status: 503, body: { ok: false, database: db.kind, error: 'database_unreachable' } };
  let timer: NodeJS.Timeout | undefined;
  const status = await Promise.race([
    getWorkerStatus(now),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), WORKER_CHECK_TIMEOUT_MS);
    }),
  ])
    .catch(() => null)
    .finally(() => clearTimeout(timer));
  const worker = status
    ? { lastSeenAt: status.lastSeenAt, workers: status.workers, pendingSteps: status.pendingSteps, oldestPendingAgeSeconds: status.oldestPendingAgeSeconds }
    : null;
  return { status: 200, body: { ok: true, database: db.kind, worker, degraded: !status || status.degraded ? ['worker'] : [] } };
}
