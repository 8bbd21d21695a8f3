import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, type Tx } from '@/lib/db/client';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { waitFor } from '@/lib/testing/wait';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';
import { AppError } from '@/lib/errors';
import { getMeeting } from '@/lib/zoom/client';
import { userOAuthSource } from '@/lib/zoom/tokens';
import { claimDueSteps, claimStepById } from './effects/queue';
import { drainSteps, executeClaimedStep, runDueSteps, startWorker } from './effects/worker';
import { insertBooking } from './mutations';
import { getIcsFeedUrl, regenerateIcsFeedUrl, renderIcsFeed } from './ics-feed';
import {
  cancelBookingAsGuest,
  cancelBookingAsHost,
  createBooking,
  getBookingForConfirmation,
  getManagedBooking,
  getStartUrl,
  listHostBookings,
  rescheduleBookingAsGuest,
} from './service';
import { calendarParts, copyBookingTo, makeHost, makePage, outboxFor, parseIcs, rawMessage, slotStart, unescapeIcsText } from './testing';

/** The booking pipeline end to end: real database, the Zoom emulator over real HTTP, mail in the outbox. */

const zoom = zoomEmulatorForThisFile();

async function linkedHost(options: { locale?: 'ja' | 'en'; name?: string } = {}) {
  const host = await makeHost({ locale: options.locale, name: options.name });
  return { host, zoomUserId: await zoom.linkNewZoomUser(host.id) };
}

const liveMeetings = zoom.liveMeetings;

const tokenOf = (manageUrl: string) => new URL(manageUrl).searchParams.get('token')!;

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  }
  throw new Error(`expected AppError ${code}`);
}

describe('createBooking — happy path', () => {
  it('creates the Zoom meeting inline, mails guest and host with a valid .ics, and never shows the start link to the guest', async () => {
    const { host, zoomUserId } = await linkedHost({ name: 'Tanaka Aki' });
    const page = await makePage(host.id, { questions: [{ id: 'topic', label: 'What about?', type: 'text', required: true }] });
    const start = slotStart(20);
    const booking = await createBooking({
      handle: host.handle!,
      slug: page.slug,
      start: start.toISOString(),
      name: 'Guest One',
      email: 'guest1@example.com',
      timeZone: 'America/New_York',
      answers: { topic: 'Pricing' },
      locale: 'en',
    });
    expect(booking.status).toBe('confirmed');
    expect(booking.start).toBe(start.toISOString());
    expect(booking.end).toBe(new Date(start.getTime() + 30 * 60_000).toISOString());
    expect(booking.meeting).toMatchObject({ provider: 'zoom', status: 'created' });
    expect(booking.meeting?.joinUrl).toMatch(/\/j\/\d+/);
    expect(booking.manageUrl).toMatch(new RegExp(`/booking/${booking.uid}\\?token=`));

    const meetings = liveMeetings(zoomUserId);
    expect(meetings).toHaveLength(1);
    expect(meetings[0]!.agenda).toContain(`aki:${booking.uid}`);
    expect(meetings[0]!.startTime).toBe(start.toISOString().replace('.000Z', 'Z'));

    // The manage token is stored hashed only.
    const db = await getDb();
    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booking.uid));
    expect(row!.manageTokenHash).not.toContain(tokenOf(booking.manageUrl));
    expect(row!.manageTokenHash).toMatch(/^[0-9a-f]{64}$/);

    await drainSteps();
    const guestMails = await outboxFor('guest1@example.com');
    const hostMails = await outboxFor(host.email);
    expect(guestMails).toHaveLength(1);
    expect(hostMails).toHaveLength(1);
    const startUrl = await getStartUrl(host.id, booking.uid);
    expect(startUrl).toMatch(/\/s\/\d+/);
    const guestRaw = await rawMessage(guestMails[0]!);
    expect(guestMails[0]!.text).toContain(booking.meeting!.joinUrl!);
    expect(guestMails[0]!.text).toContain(booking.manageUrl);
    expect(guestRaw).not.toContain('/s/');
    expect(guestRaw).not.toContain('zak=');
    // One calendar per mail: the invitation (text/calendar alternative) and its download under one name —
    // and the mailbox lists exactly the attachments the .eml holds.
    expect(guestMails[0]!.attachments).toEqual([{ filename: 'invite.ics', contentType: 'application/ics' }]);
    expect(guestRaw.match(/^Content-Type: text\/calendar/gim)).toHaveLength(1);
    expect(guestRaw.match(/^Content-Disposition: attachment/gim)).toHaveLength(1);
    // The guest reads the time in their own zone, the host in theirs.
    expect(guestMails[0]!.text).toContain('(America / New York)');
    expect(hostMails[0]!.text).toContain('(Asia / Tokyo)');
    expect(hostMails[0]!.text).toContain('What about?: Pricing');

    for (const mail of [guestMails[0]!, hostMails[0]!]) {
      const parts = calendarParts(await rawMessage(mail));
      expect(parts.length).toBeGreaterThan(0);
      for (const part of parts) {
        const ics = parseIcs(part);
        expect(ics.method).toBe('REQUEST');
        expect(ics.events).toHaveLength(1);
        expect(ics.events[0]!.props.UID).toBe(`${booking.uid}@aki`);
        expect(Number(ics.events[0]!.props.SEQUENCE)).toBeGreaterThanOrEqual(0);
        expect(ics.events[0]!.props.DTSTART).toBe(start.toISOString().replace(/[-:]/g, '').replace('.000', ''));
        expect(unescapeIcsText(ics.events[0]!.props.LOCATION!)).toBe(booking.meeting!.joinUrl);
      }
    }

    // Host view: steps and statuses.
    const [view] = await listHostBookings(host.id, { scope: 'upcoming' });
    expect(view).toMatchObject({ uid: booking.uid, meeting: { status: 'created' }, calendar: { status: 'skipped' }, mails: { guest: 'sent', host: 'sent' } });
    expect(view!.calendar.reason).toBe('no calendar linked');

    // Confirmation view: public fields only, and only with the manage token.
    expect(await getBookingForConfirmation(booking.uid, null)).toBeNull();
    expect(await getBookingForConfirmation(booking.uid, 'wrong')).toBeNull();
    const confirmation = await getBookingForConfirmation(booking.uid, tokenOf(booking.manageUrl));
    expect(confirmation?.meeting?.joinUrl).toBe(booking.meeting!.joinUrl);
    expect(JSON.stringify(confirmation)).not.toContain('token');
    expect(JSON.stringify(confirmation)).not.toContain('/s/');
    expect(JSON.stringify(confirmation)).not.toContain('guest1@example.com');
  });

  it('books non-Zoom pages without a meeting', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone', phone: '+81 3 1234 5678' } });
    const booking = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(3).toISOString(), name: 'P', email: 'p@example.com', timeZone: 'Asia/Tokyo' });
    expect(booking.meeting).toBeNull();
    await drainSteps();
    expect(await outboxFor('p@example.com')).toHaveLength(1);
  });
});

describe('createBooking — validation, races, idempotency', () => {
  it('answers 422-style field errors for bad input and unknown pages with not_found', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, {
      location: { type: 'phone' },
      questions: [
        { id: 'size', label: 'Team size', type: 'select', required: true, options: ['1-10', '11-50'] },
        { id: 'notes', label: 'Notes', type: 'multiline', required: false },
      ],
    });
    const error = await expectAppError(
      createBooking({
        handle: host.handle!,
        slug: page.slug,
        start: 'tomorrow',
        name: '',
        email: 'not-an-email',
        timeZone: 'Mars/Base',
        answers: { size: '1000', extra: 'x' },
      }),
      'invalid_input',
    );
    expect(Object.keys(error.details.fields ?? {}).sort()).toEqual(['answers.extra', 'answers.size', 'email', 'name', 'start', 'timeZone']);
    const missing = await expectAppError(
      createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(2).toISOString(), name: 'A', email: 'a@example.com', timeZone: 'UTC' }),
      'invalid_input',
    );
    expect(missing.details.fields).toEqual({ 'answers.size': 'required' });
    const injected = await expectAppError(
      createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(2).toISOString(), name: 'A\r\nBcc: x@evil.test', email: 'a@example.com', timeZone: 'UTC', answers: { size: '1-10' } }),
      'invalid_input',
    );
    expect(injected.details.fields).toEqual({ name: 'control_characters' });
    await expectAppError(
      createBooking({ handle: host.handle!, slug: 'nope', start: slotStart(2).toISOString(), name: 'A', email: 'a@example.com', timeZone: 'UTC' }),
      'not_found',
    );
  });

  it('refuses a slot outside availability and a taken slot with slot_unavailable', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const input = { handle: host.handle!, slug: page.slug, name: 'A', email: 'a@example.com', timeZone: 'UTC' };
    // Not on the slot grid.
    await expectAppError(createBooking({ ...input, start: new Date(slotStart(4).getTime() + 7 * 60_000).toISOString() }), 'slot_unavailable');
    // In the past.
    await expectAppError(createBooking({ ...input, start: new Date(Date.now() - 86_400_000).toISOString() }), 'slot_unavailable');
    await createBooking({ ...input, start: slotStart(4).toISOString() });
    await expectAppError(createBooking({ ...input, email: 'b@example.com', start: slotStart(4).toISOString() }), 'slot_unavailable');
  });

  it('50 concurrent confirms of one slot give exactly one booking and 49 clean slot_unavailable', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    const start = slotStart(30).toISOString();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        createBooking({ handle: host.handle!, slug: page.slug, start, name: `Racer ${i}`, email: `racer${i}@example.com`, timeZone: 'UTC' }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(49);
    for (const f of failed) expect((f.reason as AppError).code).toBe('slot_unavailable');
    const db = await getDb();
    const rows = await db.select().from(bookings).where(eq(bookings.pageId, page.id));
    expect(rows).toHaveLength(1);
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
  });

  it('the exclusion constraint refuses overlaps across pages of one host (slot_unavailable, never a 500)', async () => {
    const host = await makeHost();
    const a = await makePage(host.id, { location: { type: 'phone' }, durationMinutes: 60 });
    const b = await makePage(host.id, { location: { type: 'phone' }, durationMinutes: 30 });
    const base = { name: 'A', email: 'a@example.com', timeZone: 'UTC', handle: host.handle! };
    const results = await Promise.allSettled([
      createBooking({ ...base, slug: a.slug, start: slotStart(40).toISOString() }),
      createBooking({ ...base, email: 'b@example.com', slug: b.slug, start: slotStart(41).toISOString() }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect((rejected!.reason as AppError).code).toBe('slot_unavailable');
  });

  it('runs the inline Zoom step from its claimed insert: done at the first attempt, link stored, follow-ups released', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    const booking = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(10).toISOString(), name: 'Inline', email: 'inline@example.com', timeZone: 'UTC' });
    const db = await getDb();
    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booking.uid));
    expect(row!.meetingStatus).toBe('created');
    expect(booking.meeting).toEqual({ provider: 'zoom', status: 'created', joinUrl: row!.zoomJoinUrl });
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
    const steps = await db.select().from(bookingSteps).where(eq(bookingSteps.bookingId, row!.id));
    expect(steps.map((s) => s.kind).sort()).toEqual(['calendar.create', 'mail.guest.confirmed', 'mail.host.confirmed', 'meeting.sync', 'reminder.guest', 'reminder.guest', 'zoom.create']);
    expect(steps.find((s) => s.kind === 'zoom.create')).toMatchObject({
      status: 'done',
      attempts: 1,
      lockedUntil: null,
      lastError: null,
      payload: { meetingId: row!.zoomMeetingId, reconciled: false, recorded: 'recorded' },
      doneAt: expect.any(Date),
    });
    // The page's default reminders wait for their time (24 h and 1 h before the start); nothing releases them early.
    const reminders = steps.filter((s) => s.kind === 'reminder.guest').sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
    expect(reminders.map((s) => [s.status, row!.startAt.getTime() - s.runAt.getTime()])).toEqual([
      ['pending', 24 * 3_600_000],
      ['pending', 3_600_000],
    ]);
    for (const step of steps.filter((s) => s.kind !== 'zoom.create' && s.kind !== 'meeting.sync' && s.kind !== 'reminder.guest')) {
      expect(step.status).toBe('pending');
      expect(step.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
    // The REST read of the meeting waits for the booking's end (+ 15 min).
    expect(steps.find((s) => s.kind === 'meeting.sync')).toMatchObject({ status: 'pending', runAt: new Date(row!.endAt.getTime() + 15 * 60_000) });
  });

  it('a Zoom step taken over by another executor meanwhile stores the meeting but does not record its end over the newer claim', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    const db = await getDb();
    const now = new Date();
    const input = { start: slotStart(11), name: 'Stale', email: 'stale@example.com', timeZone: 'UTC', answers: {}, locale: 'en' as const, hour12: null };
    const { booking, zoomStepId } = await insertBooking(db, { pageId: page.id, input, idempotencyKey: null, now, inlineDeadlineMs: 0 });
    const claimed = await claimStepById(db, zoomStepId!, now);
    // Its lease ran out and another executor claimed it again (second attempt).
    await db.update(bookingSteps).set({ attempts: 2 }).where(eq(bookingSteps.id, zoomStepId!));
    expect(await executeClaimedStep(db, claimed!)).toMatchObject({ type: 'done', finished: false });
    const [row] = await db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(row!.meetingStatus).toBe('created');
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
    const [step] = await db.select().from(bookingSteps).where(eq(bookingSteps.id, zoomStepId!));
    expect(step).toMatchObject({ status: 'running', attempts: 2, doneAt: null });
    expect(step!.payload.recorded).toBeUndefined();
  });

  it('the same Idempotency-Key and a double click both return the same booking', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    const input = { handle: host.handle!, slug: page.slug, start: slotStart(8).toISOString(), name: 'Idem', email: 'Idem@Example.com', timeZone: 'UTC', idempotencyKey: 'key-123' };
    const [first, second] = await Promise.all([createBooking(input), createBooking(input)]);
    expect(second.uid).toBe(first.uid);
    expect(second.manageUrl).toBe(first.manageUrl);
    const third = await createBooking({ ...input, idempotencyKey: 'another-key', email: 'idem@example.com' });
    expect(third.uid).toBe(first.uid);
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
    // A different guest on the same slot is refused.
    await expectAppError(createBooking({ ...input, idempotencyKey: undefined, email: 'other@example.com' }), 'slot_unavailable');
    // Knowing someone's email and slot is not enough to get their booking (and manage link) back.
    await expectAppError(createBooking({ ...input, idempotencyKey: undefined, name: 'Someone Else' }), 'slot_unavailable');
  });

  it('enforces the daily cap under the page lock', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' }, maxBookingsPerDay: 2 });
    const results = await Promise.allSettled(
      [1, 3, 5, 7].map((i) => createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(i).toISOString(), name: 'C', email: `c${i}@example.com`, timeZone: 'UTC' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
  });

  // Both need a second connection to hold the page lock while createBooking waits for it (PGlite has one).
  // The re-check is read in the lock statement (aki_lock_page_and_spans): it must see what the lock's
  // previous holder committed, although that statement began before the commit.
  const guest = (i: number, page: { slug: string }, handle: string) => ({
    handle,
    slug: page.slug,
    start: slotStart(i).toISOString(),
    name: 'Waiting guest',
    email: `wait${i}@example.com`,
    timeZone: 'UTC',
  });

  /** In a transaction of its own: locks `pageId`, runs `change`, starts `waiting`, commits 0.5 s later; `waiting`'s outcome. */
  async function whileLocked(pageId: string, change: (tx: Tx) => Promise<void>, waiting: () => Promise<unknown>) {
    const db = await getDb();
    let result: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from booking_pages where id = ${pageId} for update`);
      await change(tx);
      result = waiting().then(
        (value) => ({ value }),
        (error) => ({ error }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    return (await result) as { value?: unknown; error?: unknown };
  }

  it.skipIf(!process.env.DATABASE_URL)('the re-check sees a booking the page lock holder committed while the confirm waited (daily cap)', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' }, maxBookingsPerDay: 1 });
    // A booking on another day, to copy: the held one goes on the waiting guest's day, at another time.
    const other = await createBooking(guest(60, page, host.handle!));
    const outcome = await whileLocked(
      page.id,
      async (tx) => {
        await tx.execute(copyBookingTo(other.uid, slotStart(2)));
      },
      () => createBooking(guest(10, page, host.handle!)),
    );
    // No overlap (the exclusion constraint has nothing to refuse): only the re-check can see the cap is reached.
    expect(outcome.error).toBeInstanceOf(AppError);
    expect((outcome.error as AppError).code).toBe('slot_unavailable');
  });

  it.skipIf(!process.env.DATABASE_URL)('a page changed while the confirm waited for its lock is read again, as locked', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const other = await createBooking(guest(60, page, host.handle!));
    // The lock holder gives the page a daily cap of 1 and a booking that day: the waiting confirm must apply both.
    const outcome = await whileLocked(
      page.id,
      async (tx) => {
        await tx.execute(sql`update booking_pages set max_bookings_per_day = 1 where id = ${page.id}`);
        await tx.execute(copyBookingTo(other.uid, slotStart(2)));
      },
      () => createBooking(guest(10, page, host.handle!)),
    );
    expect((outcome.error as AppError | undefined)?.code).toBe('slot_unavailable');
    // Unpublished while waiting: not found.
    const unpublished = await whileLocked(
      page.id,
      async (tx) => {
        await tx.execute(sql`update booking_pages set published = false where id = ${page.id}`);
      },
      () => createBooking(guest(70, page, host.handle!)),
    );
    expect((unpublished.error as AppError | undefined)?.code).toBe('not_found');
  });
});

describe('hostile input', () => {
  it('is escaped in mail HTML and keeps the .ics valid', async () => {
    const { host } = await linkedHost();
    const page = await makePage(host.id, {
      questions: [
        { id: 'company', label: 'Company', type: 'text', required: false },
        { id: 'notes', label: 'Notes', type: 'multiline', required: false },
      ],
    });
    const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>'"&;,\\:`;
    const booking = await createBooking({
      handle: host.handle!,
      slug: page.slug,
      start: slotStart(12).toISOString(),
      name: `${evil} Mallory`,
      email: 'mallory+<b>@example.com'.replace('<b>', 'tag'),
      timeZone: 'Europe/London',
      answers: { company: evil, notes: `line1\nBEGIN:VEVENT\nEND:VCALENDAR\n${evil}` },
      locale: 'ja',
    });
    await drainSteps();
    const mails = [...(await outboxFor('mallory+tag@example.com')), ...(await outboxFor(host.email))];
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).toContain('&lt;script&gt;');
      const parts = calendarParts(await rawMessage(mail));
      for (const part of parts) {
        const ics = parseIcs(part);
        expect(ics.events).toHaveLength(1);
        expect(ics.events[0]!.props.UID).toBe(`${booking.uid}@aki`);
      }
    }
    const hostMail = mails.find((m) => m.to === host.email)!;
    expect(hostMail.text).toContain(evil);
    const hostIcs = parseIcs(calendarParts(await rawMessage(hostMail))[0]!);
    expect(unescapeIcsText(hostIcs.events[0]!.props.DESCRIPTION!)).toContain(`BEGIN:VEVENT\nEND:VCALENDAR\n${evil}`);
    // The guest mail is in Japanese (the guest's locale).
    const guestMail = mails.find((m) => m.to !== host.email)!;
    expect(guestMail.subject).toContain('予約確定');
  });
});

describe('cancel and reschedule', () => {
  it('reschedule PATCHes the Zoom meeting, bumps SEQUENCE and mails both; cancel deletes it and mails METHOD:CANCEL', async () => {
    const { host, zoomUserId } = await linkedHost();
    const page = await makePage(host.id);
    const booking = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(16).toISOString(), name: 'Res', email: 'res@example.com', timeZone: 'UTC' });
    await drainSteps();
    const token = tokenOf(booking.manageUrl);
    const managed = await getManagedBooking(booking.uid, token);
    expect(managed).toMatchObject({ uid: booking.uid, canCancel: true, canReschedule: true, guestEmail: 'res@example.com' });
    await expectAppError(getManagedBooking(booking.uid, 'wrong-token'), 'not_found');

    const newStart = slotStart(18);
    const moved = await rescheduleBookingAsGuest(booking.uid, token, newStart.toISOString());
    expect(moved.start).toBe(newStart.toISOString());
    expect(moved.meeting?.status).toBe('created');
    await drainSteps();
    const [meeting] = liveMeetings(zoomUserId);
    expect(meeting!.startTime).toBe(newStart.toISOString().replace('.000Z', 'Z'));
    expect(liveMeetings(zoomUserId)).toHaveLength(1);
    const guestMails = await outboxFor('res@example.com');
    expect(guestMails).toHaveLength(2);
    const rescheduled = guestMails[0]!; // newest first
    expect(rescheduled.subject).toMatch(/^Rescheduled/);
    const confirmedIcs = parseIcs(calendarParts(await rawMessage(guestMails[1]!))[0]!);
    const rescheduledIcs = parseIcs(calendarParts(await rawMessage(rescheduled))[0]!);
    expect(rescheduledIcs.events[0]!.props.UID).toBe(confirmedIcs.events[0]!.props.UID);
    expect(Number(rescheduledIcs.events[0]!.props.SEQUENCE)).toBeGreaterThan(Number(confirmedIcs.events[0]!.props.SEQUENCE));
    expect(await outboxFor(host.email)).toHaveLength(2);

    // The old slot is free again, the new one is taken.
    const other = { handle: host.handle!, slug: page.slug, name: 'O', email: 'o@example.com', timeZone: 'UTC' };
    await expectAppError(createBooking({ ...other, start: newStart.toISOString() }), 'slot_unavailable');

    const cancelled = await cancelBookingAsGuest(booking.uid, token, 'Something came up <b>sorry</b>');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.canCancel).toBe(false);
    await drainSteps();
    expect(liveMeetings(zoomUserId)).toHaveLength(0);
    const afterCancel = await outboxFor('res@example.com');
    expect(afterCancel).toHaveLength(3);
    expect(afterCancel[0]!.subject).toMatch(/^Cancelled/);
    expect(afterCancel[0]!.html).toContain('&lt;b&gt;sorry&lt;/b&gt;');
    const cancelRaw = await rawMessage(afterCancel[0]!);
    expect(afterCancel[0]!.attachments).toEqual([{ filename: 'cancel.ics', contentType: 'application/ics' }]);
    expect(cancelRaw.match(/^Content-Type: text\/calendar/gim)).toHaveLength(1);
    const cancelIcs = parseIcs(calendarParts(cancelRaw)[0]!);
    expect(cancelIcs.method).toBe('CANCEL');
    expect(cancelIcs.events[0]!.props.STATUS).toBe('CANCELLED');
    expect(cancelIcs.events[0]!.props.UID).toBe(`${booking.uid}@aki`);
    expect(Number(cancelIcs.events[0]!.props.SEQUENCE)).toBeGreaterThan(Number(rescheduledIcs.events[0]!.props.SEQUENCE));
    expect(await outboxFor(host.email)).toHaveLength(3);

    // The host's list files it under "Cancelled" and says what the cancellation did (issue 14, defect 4).
    expect((await listHostBookings(host.id, { scope: 'upcoming' })).map((b) => b.uid)).not.toContain(booking.uid);
    const [filed] = await listHostBookings(host.id, { scope: 'cancelled' });
    expect(filed).toMatchObject({ uid: booking.uid, status: 'cancelled', cancellation: { meeting: 'deleted', calendar: 'none', guestMail: 'sent' } });

    // Cancelling twice changes nothing; the slot is bookable again.
    await cancelBookingAsGuest(booking.uid, token);
    await drainSteps();
    expect(await outboxFor('res@example.com')).toHaveLength(3);
    await createBooking({ ...other, start: newStart.toISOString() });
  });

  it('a host cancels from the list; another host gets not_found', async () => {
    const { host, zoomUserId } = await linkedHost();
    const stranger = await makeHost();
    const page = await makePage(host.id);
    const booking = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(22).toISOString(), name: 'H', email: 'h@example.com', timeZone: 'UTC' });
    await drainSteps();
    await expectAppError(cancelBookingAsHost(stranger.id, booking.uid), 'not_found');
    await expectAppError(getStartUrl(stranger.id, booking.uid), 'not_found');
    const view = await cancelBookingAsHost(host.id, booking.uid, 'Host is ill');
    expect(view.status).toBe('cancelled');
    await drainSteps();
    expect(liveMeetings(zoomUserId)).toHaveLength(0);
    const [guestCancel] = await outboxFor('h@example.com');
    expect(guestCancel!.text).toContain('Host is ill');
    const db = await getDb();
    const steps = await db.select().from(bookingSteps).where(eq(bookingSteps.bookingId, (await db.select().from(bookings).where(eq(bookings.uid, booking.uid)))[0]!.id));
    expect(steps.find((s) => s.kind === 'zoom.delete')?.status).toBe('done');
  });
});

describe('private ICS feed', () => {
  it('serves the host bookings to the secret URL only, and regenerating kills the old URL', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const booking = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(26).toISOString(), name: 'F <x>', email: 'f@example.com', timeZone: 'UTC' });
    const url = await getIcsFeedUrl(host.id);
    expect(await getIcsFeedUrl(host.id)).toBe(url);
    const token = url.split('/api/ics/')[1]!;
    const feed = await renderIcsFeed(token);
    const parsed = parseIcs(feed!);
    expect(parsed.method).toBe('PUBLISH');
    expect(parsed.events.map((e) => e.props.UID)).toEqual([`${booking.uid}@aki`]);
    expect(await renderIcsFeed(`${token.split('.')[0]}.wrong.ics`)).toBeNull();
    const fresh = await regenerateIcsFeedUrl(host.id);
    expect(fresh).not.toBe(url);
    expect(await renderIcsFeed(token)).toBeNull();
    expect(await renderIcsFeed(fresh.split('/api/ics/')[1]!)).not.toBeNull();
  });
});

describe('start link', () => {
  it('is fetched fresh from Zoom for the host', async () => {
    const { host } = await linkedHost();
    const page = await makePage(host.id);
    const booking = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(28).toISOString(), name: 'S', email: 's@example.com', timeZone: 'UTC' });
    const url = await getStartUrl(host.id, booking.uid);
    const db = await getDb();
    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booking.uid));
    const meeting = await getMeeting(userOAuthSource(host.id), row!.zoomMeetingId!);
    expect(new URL(url).pathname).toBe(new URL(meeting.startUrl!).pathname);
  });
});

describe('worker', () => {
  it('concurrent claimers run every step exactly once', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    for (let i = 0; i < 10; i++) {
      await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(100 + i).toISOString(), name: 'W', email: `w${i}@example.com`, timeZone: 'UTC' });
    }
    for (let round = 0; round < 20; round++) {
      const ran = await Promise.all([runDueSteps({ limit: 3 }), runDueSteps({ limit: 3 }), runDueSteps({ limit: 3 }), runDueSteps({ limit: 3 })]);
      if (ran.every((n) => n === 0)) break;
    }
    for (let i = 0; i < 10; i++) expect(await outboxFor(`w${i}@example.com`)).toHaveLength(1);
    expect((await outboxFor(host.email)).length).toBe(10);
  });

  it('a step whose executor died is reclaimed after its lease', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(120).toISOString(), name: 'L', email: 'lease@example.com', timeZone: 'UTC' });
    const db = await getDb();
    // Claim everything due and "crash" (never finish).
    const claimed = await claimDueSteps(db, new Date(), 100);
    expect(claimed.length).toBeGreaterThan(0);
    await drainSteps();
    expect(await outboxFor('lease@example.com')).toHaveLength(0);
    await drainSteps({ now: new Date(Date.now() + 5 * 60_000) });
    expect(await outboxFor('lease@example.com')).toHaveLength(1);
  });

  it('the in-process loop sends the mails on its own', async () => {
    const host = await makeHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const worker = startWorker({ pollMs: 200 });
    try {
      await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(130).toISOString(), name: 'Loop', email: 'loop@example.com', timeZone: 'UTC' });
      await waitFor(async () => (await outboxFor('loop@example.com')).length > 0, { what: 'the loop to send the mail' });
      expect(await outboxFor('loop@example.com')).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});
