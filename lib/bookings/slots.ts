import 'server-only';
import { type Busy, computeSlots, isSlotOpen, type PageRules, type SlotsResult } from '@/lib/availability/engine';
import {
  addCalendarDays,
  calendarDaysBetween,
  isIsoDate,
  isKnownTimeZone,
  localDateOf,
  localDateRangeUtc,
  localDayRangeUtc,
  todayIn,
} from '@/lib/availability/time-zone';
import { type Flight, processCache, sharedLoad } from '@/lib/cache';
import { getCalendarBusy } from '@/lib/calendar/host-calendar';
import type { BusyInterval } from '@/lib/calendar/types';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { AppError, type FieldErrors } from '@/lib/errors';
import { type BookingPage, cachedPublicPage, forgetCachedPages, getPageForHost, hostSlotsGeneration, type PublicHost } from '@/lib/booking-pages/queries';
import { isSupportedIsoDate } from '@/lib/booking-pages/schema';
import { manageTokenMatches } from './manage-token';
import { type BookingSpan, busyOfHosts, confirmedBookingsOverlapping, getBookingByUid, getHostBooking } from './queries';

/**
 * Slots I/O: loads what the pure engine (lib/availability/engine.ts) needs — the page, the host's
 * confirmed bookings (ONE indexed query) and calendar busy times — and runs it. Three callers:
 * the public slots endpoint (docs/api.md), the booking transaction's re-check, and the editor preview.
 */

/** The widest range the public endpoint answers in one request (docs/api.md). */
export const MAX_SLOT_RANGE_DAYS = 62;

const MINUTE = 60_000;
const DAY = 86_400_000;

export type SlotsParams = { from: string; to: string; timeZone: string };

/**
 * Validates the endpoint's query parameters. `timeZone` may be left out: the page's zone is used.
 * Every problem is reported at once in `fields` with a stable code.
 */
export function parseSlotsParams(raw: { from: string | null; to: string | null; timeZone: string | null }): {
  from: string;
  to: string;
  timeZone: string | null;
} {
  const fields: FieldErrors = {};
  const from = raw.from?.trim() ?? '';
  const to = raw.to?.trim() ?? '';
  const timeZone = raw.timeZone?.trim() || null;
  if (!from) fields.from = 'required';
  else if (!isIsoDate(from)) fields.from = 'date_format';
  else if (!isSupportedIsoDate(from)) fields.from = 'date_range';
  if (!to) fields.to = 'required';
  else if (!isIsoDate(to)) fields.to = 'date_format';
  else if (!isSupportedIsoDate(to)) fields.to = 'date_range';
  if (timeZone !== null && !isKnownTimeZone(timeZone)) fields.timeZone = 'time_zone';
  if (!fields.from && !fields.to) {
    const span = calendarDaysBetween(from, to);
    if (span < 0) fields.to = 'before_from';
    else if (span + 1 > MAX_SLOT_RANGE_DAYS) fields.to = 'range_too_long';
  }
  if (Object.keys(fields).length > 0) throw new AppError('invalid_parameter', 'Invalid slots parameters', { fields });
  return { from, to, timeZone };
}

/** Bookings → the engine's inputs: every booking blocks its widened range; this page's count for the daily cap. */
function engineInputs(spans: readonly BookingSpan[], pageId: string | null, calendarBusy: readonly BusyInterval[]) {
  const busy: Busy[] = spans.map((b) => ({ start: b.blockedStartAt, end: b.blockedEndAt }));
  for (const b of calendarBusy) busy.push(b);
  const pageBookingStarts = pageId === null ? [] : spans.filter((b) => b.pageId === pageId).map((b) => b.startAt);
  return { busy, pageBookingStarts };
}

/**
 * One second of in-process caching for the public endpoint: a popular link gets many slot requests
 * per second, and each would otherwise cost a page lookup and a bookings query (PGlite runs one
 * query at a time for the whole process). Page lookups are cached beside the page queries
 * (lib/booking-pages/queries.ts); computed answers here, keyed by page URL + range + zone and tagged
 * with the host's slots generation, which `invalidateHostSlots` bumps whenever a booking or page of
 * the host changes — so in this process a taken slot disappears at once; other processes (several
 * app servers on one Postgres) show it for at most a second, and the booking transaction's re-check
 * refuses it anyway. Entries hold the PROMISE, so concurrent requests that miss together share one
 * computation instead of all querying at once when an entry expires.
 */
const cachedAnswers = processCache<Flight<PublicSlotsAnswer>>('bookings:public-slots', { max: 5000, ttlMs: 1000 });

/** Drops every cached page lookup and answer (tests). */
export function forgetCachedPublicPages(): void {
  forgetCachedPages();
  cachedAnswers.clear();
}

export type PublicSlots = {
  /** The docs/api.md body. */
  body: SlotsResult;
  /** The host's calendar could not be read: the slots ignore it (the endpoint then tells caches not to keep them). */
  calendarDegraded: boolean;
};

/** What the endpoint sends: the answer plus its JSON text, serialised once and shared by cache hits. */
export type PublicSlotsAnswer = PublicSlots & { json: string };

/**
 * The query of both public slots endpoints: `from`, `to`, `timeZone` (checked by the loaders) and, with
 * `reschedule=<uid>`, the booking being moved with its manage token from `X-Manage-Token`.
 */
export function slotsQuery(request: Request) {
  const query = new URL(request.url).searchParams;
  const uid = query.get('reschedule');
  return {
    from: query.get('from'),
    to: query.get('to'),
    timeZone: query.get('timeZone'),
    now: new Date(),
    reschedule: uid ? { uid, token: request.headers.get('x-manage-token') ?? '' } : null,
  };
}

/**
 * The HTTP answer of both public slots endpoints (a host's page and a team page). Browsers always
 * revalidate (max-age=0), so a guest who just booked — or got a 409 — never sees the old list again;
 * a shared cache may keep it 5 s and serve it stale 5 s more while refreshing. An answer without the
 * host's calendar (incomplete) or for someone moving their booking (theirs alone) is never stored.
 */
export function slotsResponse(answer: PublicSlotsAnswer, options: { reschedule: boolean }): Response {
  const cacheControl = answer.calendarDegraded || options.reschedule ? 'private, no-store' : 'public, max-age=0, s-maxage=5, stale-while-revalidate=5';
  return new Response(answer.json, { headers: { 'Content-Type': 'application/json', 'Cache-Control': cacheControl } });
}

/**
 * `GET /api/public/pages/{host}/{page}/slots`: validates the parameters (400 `invalid_parameter`),
 * finds the published page (404 `not_found`), loads the host's bookings and calendar busy time for
 * the range and runs the engine.
 */
export async function loadPublicSlots(args: {
  handle: string;
  slug: string;
  from: string | null;
  to: string | null;
  timeZone: string | null;
  now: Date;
  /**
   * Someone moving a booking: it does not block the slots offered instead of it. The guest proves it
   * is theirs with the manage token, the host by owning it (`hostId`: the signed-in host).
   */
  reschedule?: { uid: string; token: string } | { uid: string; hostId: string } | null;
}): Promise<PublicSlotsAnswer> {
  const params = parseSlotsParams(args);
  const found = await cachedPublicPage(args.handle, args.slug);
  if (!found) throw new AppError('not_found', 'Booking page not found');
  const { page, host } = found;
  const timeZone = params.timeZone ?? page.timeZone;

  if (args.reschedule) {
    const moving = await getBookingByUid(args.reschedule.uid);
    // Wrong token, another page's booking and an unknown uid look the same.
    const allowed =
      moving !== null &&
      ('hostId' in args.reschedule ? moving.userId === args.reschedule.hostId : manageTokenMatches(args.reschedule.token, moving.manageTokenHash));
    if (!moving || !allowed || moving.pageId !== page.id || moving.status !== 'confirmed') {
      throw new AppError('not_found', 'Booking not found');
    }
    // Rare and guest-specific: computed without the shared cache.
    const computed = await computePublicSlots(page, host, params.from, params.to, timeZone, args.now, moving.id);
    return { ...computed, json: JSON.stringify(computed.body) };
  }

  // The generation is read BEFORE the queries: an answer computed across a booking's commit is stale.
  return sharedLoad(
    cachedAnswers,
    `${page.id}|${params.from}|${params.to}|${timeZone}`,
    async () => {
      const computed = await computePublicSlots(page, host, params.from, params.to, timeZone, args.now);
      return { ...computed, json: JSON.stringify(computed.body) };
    },
    // A degraded answer is incomplete: don't keep it.
    { generation: hostSlotsGeneration(host.id), keep: (value) => !value.calendarDegraded },
  );
}

/**
 * The slots a host can move their own booking to: its page's public slots as if the booking were not
 * there, exactly as the guest's reschedule sees them. Another host's booking is not_found.
 */
export async function loadHostRescheduleSlots(args: {
  host: { id: string; handle: string };
  uid: string;
  from: string | null;
  to: string | null;
  timeZone: string | null;
  now: Date;
}): Promise<PublicSlotsAnswer> {
  const booking = await getHostBooking(args.host.id, args.uid);
  const page = booking?.pageId ? await getPageForHost(args.host.id, booking.pageId) : null;
  if (!booking || !page) throw new AppError('not_found', 'Booking not found');
  return loadPublicSlots({ ...args, handle: args.host.handle, slug: page.slug, reschedule: { uid: booking.uid, hostId: args.host.id } });
}

async function computePublicSlots(
  page: BookingPage,
  host: PublicHost,
  from: string,
  to: string,
  timeZone: string,
  now: Date,
  ignoreBookingId?: string,
): Promise<PublicSlots> {
  const range = localDateRangeUtc(from, to, timeZone);
  const earliest = Math.max(range.start.getTime(), now.getTime());
  if (earliest >= range.end.getTime()) {
    // Entirely in the past: nothing to look up.
    return { body: computeSlots({ rules: page, busy: [], pageBookingStarts: [], now, from, to, timeZone }), calendarDegraded: false };
  }
  // Bookings: the range widened by two days so whole page-local days are seen for the daily cap
  // (a page-zone day can start up to ~26 h before the viewer's) — this also covers every buffer.
  const bookingsFrom = new Date(earliest - 2 * DAY);
  const bookingsTo = new Date(range.end.getTime() + 2 * DAY);
  // Calendar busy: only what a buffered slot in the range can touch (stable bounds keep its cache useful).
  const busyFrom = new Date(range.start.getTime() - page.bufferBeforeMinutes * MINUTE);
  const busyTo = new Date(range.end.getTime() + (page.durationMinutes + page.bufferAfterMinutes) * MINUTE);
  const db = await getDb();
  const [spans, calendar] = await Promise.all([
    confirmedBookingsOverlapping(db, host.id, bookingsFrom, bookingsTo, ignoreBookingId),
    getCalendarBusy(host.id, busyFrom, busyTo),
  ]);
  const { busy, pageBookingStarts } = engineInputs(spans, page.id, calendar.busy);
  const body = computeSlots({ rules: page, busy, pageBookingStarts, now, from, to, timeZone });
  return { body, calendarDegraded: calendar.degraded };
}

/**
 * The booking transaction's re-check (docs/api.md, slot semantics, last rule): is `start` still exactly one of the
 * page's slots, given the rules and the host's confirmed bookings as this transaction sees them?
 *
 * - Call it INSIDE the booking/reschedule transaction, after locking the page row: the lock is what
 *   makes `maxBookingsPerDay` race-free (two bookings of one page can't both count "one left");
 *   overlaps are refused by the exclusion constraint anyway.
 * - `ignoreBookingId`: the booking being rescheduled neither blocks its new time nor counts for the cap.
 * - `calendarBusy`: the host's calendar busy times around the slot, fetched BEFORE opening the
 *   transaction (see `calendarBusyForSlot`) — network calls must not hold a transaction (PGlite has
 *   a single session). Left out, calendars are not consulted.
 */
export async function isSlotAvailable(
  tx: DbOrTx,
  page: BookingPage,
  start: Date,
  now: Date,
  opts: { ignoreBookingId?: string; calendarBusy?: readonly BusyInterval[]; known?: KnownSpans } = {},
): Promise<boolean> {
  if (Number.isNaN(start.getTime())) return false;
  // One query: everything that can block the buffered slot, and — when the page has a daily cap —
  // every booking of its page-local day. Without a cap nothing else matters to the engine, so the
  // (page-locked) transaction reads only what overlaps the buffered slot. The page-lock statement may
  // have read them already (`known`), for the range the cached page gave: used when it is the same.
  const { from, to } = slotCheckRange(page, start);
  const spans =
    opts.known && opts.known.from === from && opts.known.to === to && opts.ignoreBookingId === undefined
      ? opts.known.spans
      : await confirmedBookingsOverlapping(tx, page.userId, new Date(from), new Date(to), opts.ignoreBookingId);
  const { busy, pageBookingStarts } = engineInputs(spans, page.id, opts.calendarBusy ?? []);
  return isSlotOpen({ rules: page, busy, pageBookingStarts, now, start });
}

/**
 * `isSlotAvailable` for a team page's members at once, with ONE bookings query: the ids of the members
 * for whom `start` is one of the page's slots under their own rules, bookings and calendar.
 */
export async function freeMembersAt(
  tx: DbOrTx,
  pageId: string,
  members: readonly { id: string; page: BookingPage }[],
  start: Date,
  now: Date,
  calendarBusy: ReadonlyMap<string, readonly BusyInterval[]>,
  ignoreBookingIds: ReadonlySet<string> = new Set(),
): Promise<Set<string>> {
  const free = new Set<string>();
  if (Number.isNaN(start.getTime()) || members.length === 0) return free;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const { page } of members) {
    const range = slotCheckRange(page, start);
    from = Math.min(from, range.from);
    to = Math.max(to, range.to);
  }
  const booked = await busyOfHosts(
    tx,
    members.map((m) => m.id),
    pageId,
    new Date(from),
    new Date(to),
    [...ignoreBookingIds],
  );
  for (const member of members) {
    const own = booked.get(member.id)!;
    const busy = [...own.busy, ...(calendarBusy.get(member.id) ?? [])];
    if (isSlotOpen({ rules: member.page, busy, pageBookingStarts: own.pageBookingStarts, now, start })) free.add(member.id);
  }
  return free;
}

/** A range of instants (epoch ms) to read bookings in. */
export type SlotCheckRange = { from: number; to: number };

/** The host's confirmed bookings in `from`–`to`, as read with the page lock (lib/bookings/mutations.ts). */
export type KnownSpans = SlotCheckRange & { spans: BookingSpan[] };

/** What can block booking `start` on `page`: its buffered range, widened to the page-local day when the page has a daily cap. */
export function slotCheckRange(page: Pick<BookingPage, 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes' | 'maxBookingsPerDay' | 'timeZone'>, start: Date): SlotCheckRange {
  const end = start.getTime() + page.durationMinutes * MINUTE;
  let from = start.getTime() - page.bufferBeforeMinutes * MINUTE;
  let to = end + page.bufferAfterMinutes * MINUTE;
  if (page.maxBookingsPerDay !== null) {
    const day = localDayRangeUtc(localDateOf(start, page.timeZone), page.timeZone);
    from = Math.min(day.start.getTime(), from);
    to = Math.max(day.end.getTime(), to);
  }
  return { from, to };
}

/**
 * The host's calendar busy times that matter for booking `start` on `page` (its buffered range).
 * For the booking pipeline to call before its transaction and hand to `isSlotAvailable`.
 */
export async function calendarBusyForSlot(page: BookingPage, start: Date): Promise<{ busy: BusyInterval[]; degraded: boolean }> {
  const from = new Date(start.getTime() - page.bufferBeforeMinutes * MINUTE);
  const to = new Date(start.getTime() + (page.durationMinutes + page.bufferAfterMinutes) * MINUTE);
  return getCalendarBusy(page.userId, from, to);
}

/** A booking as the editor preview needs it (the columns of a `bookings` row). */
export type PreviewBooking = { pageId: string | null; startAt: Date; blockedStartAt: Date; blockedEndAt: Date };

/** How many days the editor's preview looks at by default. */
export const PREVIEW_DAYS = 14;

/**
 * The editor's live preview: slots of the UNSAVED page values for the next `days` days (from today in
 * the page's zone, or in `opts.timeZone`), against the host's existing bookings. Pure: no I/O.
 * `opts.pageId` (when editing an existing page) lets its own bookings count for the daily cap.
 */
export function previewSlots(
  pageInput: PageRules,
  hostBookings: readonly PreviewBooking[] | undefined,
  now: Date,
  opts: { days?: number; timeZone?: string; pageId?: string | null; calendarBusy?: readonly BusyInterval[] } = {},
): SlotsResult {
  const timeZone = opts.timeZone ?? pageInput.timeZone;
  const from = todayIn(timeZone, now);
  const days = Math.max(1, Math.min(opts.days ?? PREVIEW_DAYS, MAX_SLOT_RANGE_DAYS));
  const spans = (hostBookings ?? []).map((b) => ({ id: '', ...b }));
  const { busy, pageBookingStarts } = engineInputs(spans, opts.pageId ?? null, opts.calendarBusy ?? []);
  return computeSlots({ rules: pageInput, busy, pageBookingStarts, now, from, to: addCalendarDays(from, days - 1), timeZone });
}

/**
 * `previewSlots` with the host's real bookings and calendar busy time loaded — what the editor's
 * server action calls. `pageId` is null for a page not saved yet.
 */
export async function loadPreviewSlots(
  userId: string,
  pageId: string | null,
  pageInput: PageRules,
  now: Date,
  opts: { days?: number; timeZone?: string } = {},
): Promise<PublicSlots> {
  const timeZone = opts.timeZone ?? pageInput.timeZone;
  const days = Math.max(1, Math.min(opts.days ?? PREVIEW_DAYS, MAX_SLOT_RANGE_DAYS));
  const from = todayIn(timeZone, now);
  const range = localDateRangeUtc(from, addCalendarDays(from, days - 1), timeZone);
  const db = await getDb();
  const [spans, calendar] = await Promise.all([
    confirmedBookingsOverlapping(db, userId, new Date(now.getTime() - 2 * DAY), new Date(range.end.getTime() + 2 * DAY)),
    getCalendarBusy(
      userId,
      new Date(range.start.getTime() - pageInput.bufferBeforeMinutes * MINUTE),
      new Date(range.end.getTime() + (pageInput.durationMinutes + pageInput.bufferAfterMinutes) * MINUTE),
    ),
  ]);
  const body = previewSlots(pageInput, spans, now, { days, timeZone, pageId, calendarBusy: calendar.busy });
  return { body, calendarDegraded: calendar.degraded };
}
