import 'server-only';
import { z } from 'zod';
import { type BookingPage, cachedPublicPage, getPageForHost, invalidateHostSlots } from '@/lib/booking-pages/queries';
import { calendarBusyForSlot, slotCheckRange } from './slots';
import { type Db, getDb } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError, appErrorFor, IntegrationError } from '@/lib/errors';
import { buildIcs } from '@/lib/calendar/ics';
import { getMeeting } from '@/lib/zoom/client';
import { credentialForBooking } from '@/lib/meetings/credentials';
import { loadHost } from './effects/context';
import { bookingIcsEvent } from './notifications';
import { kickWorker, releaseFollowUps, runClaimedStepInline, runStepInline, wakeCalendarSteps, wakeZoomSteps } from './effects/worker';
import { manageTokenMatches } from './manage-token';
import { cancelBookingRow, type InsertBookingResult, insertBooking, requeueSteps, rescheduleBookingRow } from './mutations';
import {
  bookingConfirmationView,
  getBookingByUid,
  getHostBooking,
  hostBookings,
  managedBookingView,
  toPublicBooking,
} from './queries';
import { assertPageWritable, consumeClientRequest, countPageWrite } from './rate-limit';
import {
  bookingBodySchema,
  cancelBodySchema,
  cancelReasonSchema,
  idempotencyKeySchema,
  instantSchema,
  type ParsedBookingInput,
  parseBookingInput,
  rescheduleBodySchema,
} from './schema';
import type { BookingConfirmationView, BookingRow, HostBookingView, ManagedBookingView, PublicBooking } from './types';

export type {
  BookingConfirmationView,
  HostBookingView,
  HostStepView,
  ManagedBookingView,
  PublicBooking,
  PublicLocation,
  PublicMeeting,
} from './types';
export { wakeCalendarSteps, wakeZoomSteps };

/**
 * The booking service (docs/api.md): the confirm server action, the public JSON API, the manage
 * page and the host's bookings list all call these. Core functions take explicit ids and never read
 * cookies. Errors are AppError: slot_unavailable, invalid_input {fields}, not_found,
 * rate_limited {retryAfterSeconds}, conflict, integration_*.
 */

export type CreateBookingInput = BookingRequest & {
  handle: string;
  slug: string;
};

/** What a guest sends to book a slot of any page (personal or team). */
export type BookingRequest = {
  /** ISO instant with offset or Z. */
  start: string;
  name: string;
  email: string;
  timeZone: string;
  answers?: Record<string, string>;
  locale?: 'ja' | 'en';
  /** The clock the guest chose (12 h: true): their mails follow it. */
  hour12?: boolean;
  idempotencyKey?: string;
  /** Rate-limit key of the caller (IP). */
  clientKey?: string;
};

/**
 * A guest page's confirm as a booking request: the fields the page sends (a server action passes them
 * on untrusted: the service validates) and the caller's rate-limit key. One mapping for host and team pages.
 */
export function guestConfirmRequest(input: Required<Omit<BookingRequest, 'clientKey'>>, clientKey: string): BookingRequest {
  return {
    start: String(input.start),
    name: String(input.name),
    email: String(input.email),
    timeZone: String(input.timeZone),
    answers: input.answers,
    locale: input.locale,
    hour12: input.hour12 === true,
    idempotencyKey: String(input.idempotencyKey).slice(0, 200),
    clientKey,
  };
}

/**
 * Books a slot: one transaction (page row locked, slot re-checked, booking + step rows inserted; the
 * exclusion constraint has the last word), then the Zoom meeting is created inline within
 * AKI_ZOOM_INLINE_DEADLINE_MS; mails and calendar go to the worker. The same Idempotency-Key with the
 * same request, or the same guest submitting the same request again shortly after, returns the same
 * booking; the key with another request is idempotency_key_reused.
 */
export async function createBooking(input: CreateBookingInput, now: Date = new Date()): Promise<PublicBooking> {
  await consumeClientRequest(input.clientKey);
  return book(input, now);
}

/** createBooking once the client's request has been counted. */
async function book(input: CreateBookingInput, now: Date): Promise<PublicBooking> {
  // The cached lookup (as the slots endpoint's): the transaction below locks and re-reads the page.
  const found = await cachedPublicPage(String(input.handle ?? ''), String(input.slug ?? ''));
  if (!found) throw new AppError('not_found', 'Booking page not found');
  const result = await bookOnPage(found.page, input, async (db, parsed, key) => {
    // The host's calendar is read before the transaction (a network call must not hold the page lock).
    const { busy } = await calendarBusyForSlot(found.page, parsed.start);
    return insertBooking(db, {
      pageId: found.page.id,
      input: parsed,
      idempotencyKey: key,
      now,
      inlineDeadlineMs: env().zoomInlineDeadlineMs,
      calendarBusy: busy,
      recheck: slotCheckRange(found.page, parsed.start),
    });
  });
  return toPublicBooking(result);
}

/** The guest's input as a booking of `page` expects it: 422 with every field problem, then the page's write backstop. */
async function validatedInput(page: BookingPage, input: BookingRequest): Promise<{ parsed: ParsedBookingInput; idempotencyKey: string | null }> {
  const parsed = parseBookingInput(input, page.questions);
  let idempotencyKey: string | null = null;
  const fields = parsed.ok ? {} : { ...parsed.fields };
  if (input.idempotencyKey !== undefined && input.idempotencyKey !== null && input.idempotencyKey !== '') {
    const key = idempotencyKeySchema.safeParse(input.idempotencyKey);
    if (key.success) idempotencyKey = key.data;
    else Object.assign(fields, { idempotencyKey: 'idempotency_key_format' });
  }
  if (!parsed.ok || Object.keys(fields).length > 0) throw new AppError('invalid_input', 'Please check the highlighted fields', { fields });
  // Only a well-formed request gets this far; the page's backstop counts writes that happen (below).
  await assertPageWritable(page.id);
  return { parsed: parsed.value, idempotencyKey };
}

/**
 * The one booking path of personal and team pages: validate, run the page's transaction (`insert`),
 * then the inline Zoom create within AKI_ZOOM_INLINE_DEADLINE_MS. Answers the booking row as it stands.
 */
export async function bookOnPage(
  page: BookingPage,
  input: BookingRequest,
  insert: (db: Db, parsed: ParsedBookingInput, idempotencyKey: string | null) => Promise<InsertBookingResult>,
): Promise<BookingRow> {
  const { parsed, idempotencyKey } = await validatedInput(page, input);
  const db = await getDb();
  const deadline = env().zoomInlineDeadlineMs;
  const result = await insert(db, parsed, idempotencyKey);
  if (!result.created) {
    // A replay (same key and request, or a double submit of the same guest) — never someone else's booking and manage link.
    if (result.booking.guestEmail.toLowerCase() !== parsed.email.toLowerCase()) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
    }
    return result.booking;
  }
  await countPageWrite(page.id);
  // The slot is taken: this process must stop serving cached slot lists that still show it.
  for (const userId of result.bookedHostIds) invalidateHostSlots(userId);

  if (!result.inline) {
    // Nothing ran since the commit (no Zoom, or no inline attempt): the inserted row is the answer.
    await releaseFollowUps(result.booking.id, new Date(), db);
    return result.booking;
  }
  const outcome = await runClaimedStepInline(db, result.inline.step, deadline, { subject: result.inline.subject, releaseFollowUps: true });
  const done = outcome?.type === 'done' ? outcome : null;
  if (done?.followUpsReleased) kickWorker();
  else await releaseFollowUps(result.booking.id, new Date(), db);
  // The Zoom step hands back the row it wrote; any other outcome (failure, wait, deadline) is read.
  const written = done?.booking;
  const fresh = written ?? (await getBookingByUid(result.booking.uid, db));
  return fresh ?? result.booking;
}

async function bookingWithToken(uid: string, token: string): Promise<BookingRow> {
  const booking = typeof uid === 'string' && typeof token === 'string' && token.length > 0 ? await getBookingByUid(uid) : null;
  // Wrong token and unknown booking look the same.
  if (!booking || !manageTokenMatches(token, booking.manageTokenHash)) throw new AppError('not_found', 'Booking not found');
  return booking;
}

/** The manage page's data; not_found unless the token matches. */
export async function getManagedBooking(uid: string, token: string, now: Date = new Date()): Promise<ManagedBookingView> {
  const booking = await bookingWithToken(uid, token);
  return managedBookingView(booking, now);
}

const notStarted = (now: Date) => (booking: BookingRow) => {
  if (booking.startAt <= now) throw new AppError('conflict', 'This booking has already started');
};

/** Guest cancel (manage link). Idempotent: cancelling a cancelled booking changes nothing. Mails both, deletes meeting + event. */
export async function cancelBookingAsGuest(
  uid: string,
  token: string,
  reason?: string,
  options: { clientKey?: string; now?: Date } = {},
): Promise<ManagedBookingView> {
  // Counted before the token check: guessing tokens costs the guesser.
  await consumeClientRequest(options.clientKey);
  return cancelAsGuest(uid, token, reason, options.now ?? new Date());
}

async function cancelAsGuest(uid: string, token: string, reason: string | undefined, now: Date): Promise<ManagedBookingView> {
  const booking = await bookingWithToken(uid, token);
  const pageKey = booking.pageId ?? booking.uid;
  await assertPageWritable(pageKey);
  const parsedReason = cancelReasonSchema.safeParse(reason ?? undefined);
  if (!parsedReason.success) throw new AppError('invalid_input', 'Invalid reason', { fields: { reason: parsedReason.error.issues[0]?.message ?? 'invalid' } });
  const db = await getDb();
  const result = await cancelBookingRow(db, { bookingId: booking.id, by: 'guest', reason: parsedReason.data ?? null, now, guard: notStarted(now) });
  if (result.changed) {
    await countPageWrite(pageKey);
    invalidateHostSlots(booking.userId);
    kickWorker();
  }
  return managedBookingView(result.booking, now);
}

/** Guest reschedule to another free slot of the same page (the slot is re-checked in the transaction). */
export async function rescheduleBookingAsGuest(
  uid: string,
  token: string,
  start: string,
  options: { clientKey?: string; now?: Date } = {},
): Promise<PublicBooking> {
  await consumeClientRequest(options.clientKey);
  return rescheduleAsGuest(uid, token, start, options.now ?? new Date());
}

async function rescheduleAsGuest(uid: string, token: string, start: string, now: Date): Promise<PublicBooking> {
  const booking = await bookingWithToken(uid, token);
  return moveBooking(booking, start, now, { by: 'guest' });
}

/**
 * Moves a booking to another free slot of its page — the one path of a guest's and a host's
 * reschedule: the slot is re-checked in the transaction (the booking's own time and buffers do not
 * block it), then the Zoom meeting, the calendar event and both mails follow.
 */
async function moveBooking(booking: BookingRow, start: string, now: Date, who: { by: 'guest' | 'host'; note?: string | null }): Promise<PublicBooking> {
  const pageKey = booking.pageId ?? booking.uid;
  const parsedStart = instantSchema.safeParse(start);
  if (!parsedStart.success) throw new AppError('invalid_input', 'Invalid start', { fields: { start: 'start_format' } });
  await assertPageWritable(pageKey);
  const db = await getDb();
  const deadline = env().zoomInlineDeadlineMs;
  const page = booking.pageId ? await getPageForHost(booking.userId, booking.pageId, db) : null;
  const busy = page ? (await calendarBusyForSlot(page, parsedStart.data)).busy : [];
  const result = await rescheduleBookingRow(db, {
    bookingId: booking.id,
    start: parsedStart.data,
    now,
    inlineDeadlineMs: deadline,
    calendarBusy: busy,
    guard: notStarted(now),
    by: who.by,
    note: who.note ?? null,
  });
  if (!result.changed) return toPublicBooking(result.booking);
  await countPageWrite(pageKey);
  invalidateHostSlots(booking.userId);
  if (result.zoomStepId !== null && deadline > 0) await runStepInline(result.zoomStepId, deadline);
  await releaseFollowUps(result.booking.id);
  const fresh = await getBookingByUid(result.booking.uid, db);
  return toPublicBooking(fresh ?? result.booking);
}

/**
 * Host reschedule (bookings list and booking page): the same path as the guest's, with ownership as
 * the authority (another host's booking is not_found). The guest's mail says the host moved it and
 * carries the host's optional note.
 */
export async function rescheduleBookingAsHost(
  userId: string,
  uid: string,
  input: { start: string; note?: string | null },
  now: Date = new Date(),
): Promise<HostBookingView> {
  const booking = await getHostBooking(userId, uid);
  if (!booking) throw new AppError('not_found', 'Booking not found');
  const parsedNote = cancelReasonSchema.safeParse(input.note ?? undefined);
  if (!parsedNote.success) throw new AppError('invalid_input', 'Invalid note', { fields: { note: parsedNote.error.issues[0]?.message ?? 'invalid' } });
  await moveBooking(booking, input.start, now, { by: 'host', note: parsedNote.data ?? null });
  return hostView(userId, uid, now);
}

async function hostView(userId: string, uid: string, now: Date): Promise<HostBookingView> {
  const [view] = await hostBookings(userId, { uid }, now);
  if (!view) throw new AppError('not_found', 'Booking not found');
  return view;
}

/** Host cancel (bookings list, API v1). Another host's booking is not_found (invariant 6). */
export async function cancelBookingAsHost(userId: string, uid: string, reason?: string, now: Date = new Date()): Promise<HostBookingView> {
  const booking = await getHostBooking(userId, uid);
  if (!booking) throw new AppError('not_found', 'Booking not found');
  const parsedReason = cancelReasonSchema.safeParse(reason ?? undefined);
  if (!parsedReason.success) throw new AppError('invalid_input', 'Invalid reason', { fields: { reason: parsedReason.error.issues[0]?.message ?? 'invalid' } });
  const db = await getDb();
  const result = await cancelBookingRow(db, { bookingId: booking.id, by: 'host', reason: parsedReason.data ?? null, now });
  if (result.changed) {
    invalidateHostSlots(userId);
    kickWorker();
  }
  return hostView(userId, uid, now);
}

/** The host's bookings with the status of every follow-up step. */
/**
 * The host's list tabs: upcoming and past hold confirmed bookings; cancelled ones are filed apart
 * (newest first), so a cancelled booking never sits under "Upcoming".
 */
export async function listHostBookings(
  userId: string,
  options: { scope: 'upcoming' | 'past' | 'cancelled'; search?: HostBookingSearch },
  now: Date = new Date(),
): Promise<HostBookingView[]> {
  const search = options.search ?? {};
  if (options.scope === 'cancelled') return hostBookings(userId, { status: 'cancelled', newestFirst: true, ...search }, now);
  return hostBookings(userId, { scope: options.scope, status: 'confirmed', ...search }, now);
}

/** The bookings list's search form: words, one page, a date range (start times, in the host's zone). */
export type HostBookingSearch = { text?: string; pageId?: string; from?: Date; to?: Date };

/** One host booking with its steps (not_found for another host's). */
export async function getHostBookingView(userId: string, uid: string, now: Date = new Date()): Promise<HostBookingView> {
  return hostView(userId, uid, now);
}

/** The retry button: failed and waiting steps run again now (the worker picks them up). */
export async function retryBookingSteps(userId: string, uid: string, now: Date = new Date()): Promise<HostBookingView> {
  const booking = await getHostBooking(userId, uid);
  if (!booking) throw new AppError('not_found', 'Booking not found');
  const db = await getDb();
  await requeueSteps(db, booking.id, now);
  kickWorker();
  return hostView(userId, uid, now);
}

/** A fresh Zoom start link for the host (Zoom's expires after 2 hours). Never given to guests. */
export async function getStartUrl(userId: string, uid: string): Promise<string> {
  const booking = await getHostBooking(userId, uid);
  if (!booking) throw new AppError('not_found', 'Booking not found');
  if (booking.status !== 'confirmed' || !booking.zoomMeetingId) throw new AppError('conflict', 'This booking has no Zoom meeting');
  try {
    // The credential that made the meeting, never the host's current choice (lib/meetings/credentials.ts).
    const db = await getDb();
    const meeting = await getMeeting((await credentialForBooking(db, booking)).source, booking.zoomMeetingId);
    if (!meeting.startUrl) throw new AppError('integration_error', 'Zoom did not return a start link');
    return meeting.startUrl;
  } catch (error) {
    // Mapped here, not only in the route wrapper: server actions call this too.
    throw error instanceof IntegrationError ? appErrorFor(error) : error;
  }
}

/**
 * The confirmation page (/{handle}/{slug}/booked/{uid}?token=…): public-safe fields only, and only to
 * the holder of the manage token (the guest is sent there with it after booking). Null — the page's
 * 404 — when the uid is unknown or the token is missing or wrong (the same answer for both).
 */
export async function getBookingForConfirmation(uid: string, token: string | null | undefined): Promise<BookingConfirmationView | null> {
  const booking = await bookingForToken(uid, token);
  return booking ? bookingConfirmationView(booking) : null;
}

/**
 * The .ics download of the confirmation page (METHOD:PUBLISH, the guest's copy, without the manage
 * link), under the same proof as the page. Null when unknown or the token does not match.
 */
export async function getBookingIcs(uid: string, token: string | null | undefined): Promise<{ filename: string; ics: string } | null> {
  const booking = await bookingForToken(uid, token);
  if (!booking) return null;
  const db = await getDb();
  const host = await loadHost(db, booking.userId);
  if (!host) return null;
  const event = bookingIcsEvent(booking, host, 'guest', [], { withManageUrl: false });
  return { filename: `aki-${booking.uid}.ics`, ics: buildIcs('PUBLISH', [event]) };
}

async function bookingForToken(uid: string, token: string | null | undefined): Promise<BookingRow | null> {
  if (typeof uid !== 'string' || uid.length > 64 || typeof token !== 'string' || token.length === 0 || token.length > 200) return null;
  try {
    return await bookingWithToken(uid, token);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  }
}

// ---- JSON API (docs/api.md: public API, host API v1) --------------------------------------------------

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('invalid_input', 'Body must be a JSON object', { fields: { _: 'expected_object' } });
  }
  return body as Record<string, unknown>;
}

const typeErrors = (error: z.ZodError) => {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.map(String).join('.') || '_'] ??= issue.message;
  return new AppError('invalid_input', 'Invalid input', { fields });
};

/** POST /api/public/pages/{host}/{page}/bookings → 201 {booking}. */
export async function apiCreateBooking(
  handle: string,
  slug: string,
  readBody: () => Promise<unknown>,
  meta: { idempotencyKey: string | null; clientKey: string },
): Promise<{ booking: PublicBooking }> {
  const request = await apiBookingRequest(readBody, meta);
  return { booking: await book({ handle, slug, ...request }, new Date()) };
}

/** The JSON body of a public booking request (any page), counted for its client first — malformed ones too, before the body is read. */
export async function apiBookingRequest(readBody: () => Promise<unknown>, meta: { idempotencyKey: string | null; clientKey: string }): Promise<BookingRequest> {
  await consumeClientRequest(meta.clientKey);
  const parsed = bookingBodySchema.safeParse(bodyObject(await readBody()));
  if (!parsed.success) throw typeErrors(parsed.error);
  const locale = parsed.data.locale;
  if (locale !== undefined && locale !== 'ja' && locale !== 'en') throw new AppError('invalid_input', 'Invalid locale', { fields: { locale: 'locale' } });
  return { ...parsed.data, locale, idempotencyKey: meta.idempotencyKey ?? undefined };
}

/** POST /api/public/bookings/{uid}/cancel {token, reason?}. */
export async function apiCancelBookingAsGuest(uid: string, readBody: () => Promise<unknown>, clientKey: string): Promise<{ booking: PublicBooking }> {
  await consumeClientRequest(clientKey);
  const parsed = cancelBodySchema.safeParse(bodyObject(await readBody()));
  if (!parsed.success) throw typeErrors(parsed.error);
  await cancelAsGuest(uid, parsed.data.token, parsed.data.reason, new Date());
  const booking = await getBookingByUid(uid);
  if (!booking) throw new AppError('not_found', 'Booking not found');
  return { booking: toPublicBooking(booking) };
}

/** POST /api/public/bookings/{uid}/reschedule {token, start}. */
export async function apiRescheduleBookingAsGuest(uid: string, readBody: () => Promise<unknown>, clientKey: string): Promise<{ booking: PublicBooking }> {
  await consumeClientRequest(clientKey);
  const parsed = rescheduleBodySchema.safeParse(bodyObject(await readBody()));
  if (!parsed.success) throw typeErrors(parsed.error);
  return { booking: await rescheduleAsGuest(uid, parsed.data.token, parsed.data.start, new Date()) };
}

/** A booking in the host API v1. */
export type ApiBooking = Omit<HostBookingView, 'steps' | 'canRetry' | 'canStart'> & { steps: { kind: string; status: string; attempts: number; lastError: string | null }[] };

const toApiBooking = (view: HostBookingView): ApiBooking => {
  const { steps, canRetry: _r, canStart: _s, ...rest } = view;
  return { ...rest, steps: steps.map((s) => ({ kind: s.kind, status: s.status, attempts: s.attempts, lastError: s.lastError })) };
};

const apiQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  status: z.enum(['confirmed', 'cancelled']).optional(),
});

/** GET /api/v1/bookings?from&to&status (from/to: ISO instants or UTC dates; bounds on the start time). */
export async function apiListBookings(userId: string, query: URLSearchParams): Promise<{ bookings: ApiBooking[] }> {
  const parsed = apiQuerySchema.safeParse({
    from: query.get('from') ?? undefined,
    to: query.get('to') ?? undefined,
    status: query.get('status') ?? undefined,
  });
  if (!parsed.success) throw typeErrors(parsed.error);
  const toDate = (value: string | undefined, endOfDay: boolean) =>
    value === undefined ? undefined : value.length === 10 ? new Date(`${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z`) : new Date(value);
  const from = toDate(parsed.data.from, false);
  const to = toDate(parsed.data.to, true);
  if (from && to && from > to) throw new AppError('invalid_input', 'from is after to', { fields: { from: 'from_after_to' } });
  const views = await hostBookings(userId, { from, to, status: parsed.data.status, limit: 1000 }, new Date());
  return { bookings: views.map(toApiBooking) };
}

/** One booking as a v1 list item (GET /api/v1/bookings/{uid} adds the meeting after the fact); not_found for another host's. */
export async function apiGetBooking(userId: string, uid: string): Promise<ApiBooking> {
  return toApiBooking(await hostView(userId, uid, new Date()));
}

/** POST /api/v1/bookings/{uid}/cancel {reason?}. */
export async function apiCancelBookingAsHost(userId: string, uid: string, body: unknown): Promise<{ booking: ApiBooking }> {
  const object = body === null || body === undefined ? {} : bodyObject(body);
  const reason = object.reason;
  if (reason !== undefined && typeof reason !== 'string') throw new AppError('invalid_input', 'Invalid reason', { fields: { reason: 'invalid_type' } });
  return { booking: toApiBooking(await cancelBookingAsHost(userId, uid, reason)) };
}
