import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as collection from '@/app/api/v1/booking-pages/route';
import * as item from '@/app/api/v1/booking-pages/[id]/route';
import { createApiToken } from '@/lib/api-tokens/mutations';
import type { FollowUp, Location, Reminder } from '@/lib/booking-pages/schema';
import { getDb } from '@/lib/db/client';
import { bookingPages } from '@/lib/db/schema/booking-pages';
import { bookingSteps, bookings } from '@/lib/db/schema/bookings';
import { setAttendanceOverride } from '@/lib/meetings/mutations';
import { drainSteps } from './effects/worker';
import { ATTENDANCE_WAIT_MS } from './effects/reminder-steps';
import { REMINDER_SKIP } from './reminders';
import { cancelBookingAsGuest, createBooking, getHostBookingView, rescheduleBookingAsGuest, retryBookingSteps } from './service';
import { makeHost, makePage, outboxFor, slotStart } from './testing';

/**
 * Reminders and follow-ups end to end: planned in the booking transaction, run by the worker at a
 * controlled clock (drainSteps({now})), mails read back from the outbox. Real database, no mocks.
 */

const HOUR = 3_600_000;
const MIN = 60_000;
let guests = 0;

async function pageWith(
  hostId: string,
  options: { reminders?: Reminder[]; followUp?: FollowUp | null; location?: Location; share?: boolean } = {},
) {
  const page = await makePage(hostId, { location: options.location ?? { type: 'phone', phone: '+81 3 1234 5678' } });
  const db = await getDb();
  const set: Partial<typeof bookingPages.$inferInsert> = {};
  if (options.reminders) set.reminders = options.reminders;
  if (options.followUp !== undefined) set.followUp = options.followUp;
  if (options.share) set.shareRecordingWithGuest = true;
  if (Object.keys(set).length > 0) await db.update(bookingPages).set(set).where(eq(bookingPages.id, page.id));
  return page;
}

async function book(
  host: { handle: string | null },
  page: { slug: string },
  start: Date,
  options: { now?: Date; locale?: 'ja' | 'en'; timeZone?: string; hour12?: boolean } = {},
) {
  guests++;
  const email = `guest-${process.pid}-${guests}@example.com`;
  const booking = await createBooking(
    {
      handle: host.handle!,
      slug: page.slug,
      start: start.toISOString(),
      name: `Guest ${guests}`,
      email,
      timeZone: options.timeZone ?? 'America/New_York',
      locale: options.locale ?? 'en',
      ...(options.hour12 === undefined ? {} : { hour12: options.hour12 }),
    },
    options.now,
  );
  return { ...booking, email };
}

async function stepsOf(uid: string, kinds?: string[]) {
  const db = await getDb();
  const [row] = await db.select({ id: bookings.id }).from(bookings).where(eq(bookings.uid, uid));
  const steps = await db.select().from(bookingSteps).where(eq(bookingSteps.bookingId, row!.id)).orderBy(bookingSteps.id);
  return kinds ? steps.filter((s) => kinds.includes(s.kind)) : steps;
}

const REMINDER_STEP_KINDS = ['reminder.guest', 'reminder.host', 'followup.guest'];
const tokenOf = (manageUrl: string) => new URL(manageUrl).searchParams.get('token')!;
const reminderMails = async (to: string) => (await outboxFor(to)).filter((m) => /^Reminder|^リマインダー/.test(m.subject));

describe('planning', () => {
  it('plans the page’s reminders and follow-up with the booking, at exact offsets from the start', async () => {
    const host = await makeHost();
    const page = await pageWith(host.id, {
      reminders: [
        { to: 'guest', minutesBefore: 1440 },
        { to: 'guest', minutesBefore: 120 },
        { to: 'host', minutesBefore: 15 },
      ],
      followUp: { message: 'Thanks!', noShow: 'skip' },
    });
    const start = slotStart(10);
    const booking = await book(host, page, start);
    const steps = await stepsOf(booking.uid, REMINDER_STEP_KINDS);
    expect(steps.map((s) => [s.kind, s.status, s.runAt.toISOString(), s.payload])).toEqual([
      ['reminder.guest', 'pending', new Date(start.getTime() - 24 * HOUR).toISOString(), { minutesBefore: 1440, startAt: start.toISOString() }],
      ['reminder.guest', 'pending', new Date(start.getTime() - 2 * HOUR).toISOString(), { minutesBefore: 120, startAt: start.toISOString() }],
      ['reminder.host', 'pending', new Date(start.getTime() - 15 * MIN).toISOString(), { minutesBefore: 15, startAt: start.toISOString() }],
      ['followup.guest', 'pending', new Date(start.getTime() + 30 * MIN + 30 * MIN).toISOString(), { endAt: new Date(start.getTime() + 30 * MIN).toISOString() }],
    ]);
  });

  it('a page with no reminders and no follow-up plans none', async () => {
    const host = await makeHost();
    const page = await pageWith(host.id, { reminders: [], followUp: null });
    const booking = await book(host, page, slotStart(12));
    expect(await stepsOf(booking.uid, REMINDER_STEP_KINDS)).toEqual([]);
  });

  it('a booking made inside a reminder’s window records that reminder as skipped and never sends it late', async () => {
    const host = await makeHost();
    const page = await pageWith(host.id); // the defaults: guest 24 h and 1 h before
    const start = slotStart(14);
    const now = new Date(start.getTime() - 3 * HOUR);
    const booking = await book(host, page, start, { now });
    const steps = await stepsOf(booking.uid, REMINDER_STEP_KINDS);
    expect(steps.map((s) => [s.payload.minutesBefore, s.status, s.payload.reason ?? null])).toEqual([
      [1440, 'skipped', REMINDER_SKIP.insideWindow],
      [60, 'pending', null],
    ]);
    await drainSteps({ now: new Date(start.getTime() - 2 * HOUR) });
    expect(await reminderMails(booking.email)).toHaveLength(0);
    await drainSteps({ now: new Date(start.getTime() - 59 * MIN) });
    expect(await reminderMails(booking.email)).toHaveLength(1);

    const view = await getHostBookingView(host.id, booking.uid, now);
    expect(view.reminders.map((r) => [r.minutesBefore, r.status, r.reason])).toEqual([
      [1440, 'skipped', 'insideWindow'],
      [60, 'sent', null],
    ]);
    // Reminders are not booking mails: the guest's "mail sent" badge counts only the confirmation.
    expect(view.mails.guest).toBe('sent');
  });
});

describe('sending', () => {
  it('the guest’s reminder: their language, zone and clock, the location, the manage link', async () => {
    const host = await makeHost({ name: 'Tanaka Aki' });
    const page = await pageWith(host.id, { reminders: [{ to: 'guest', minutesBefore: 60 }], location: { type: 'in_person', address: '1-1 Chiyoda, Tokyo' } });
    const start = slotStart(16); // 08:00 UTC the day after tomorrow
    const booking = await book(host, page, start, { timeZone: 'Asia/Tokyo', locale: 'ja', hour12: true });
    await drainSteps({ now: new Date(start.getTime() - 30 * MIN) });
    const [mail] = await reminderMails(booking.email);
    expect(mail).toBeDefined();
    expect(mail!.subject).toMatch(/^リマインダー: .*午後5:00/);
    expect(mail!.text).toContain('Tanaka Aki とのご予約が近づいています。');
    expect(mail!.text).toContain('1-1 Chiyoda, Tokyo');
    // The manage link works: the same token the confirmation carried.
    expect(mail!.text).toContain(`token=${tokenOf(booking.manageUrl)}`);
    expect(mail!.attachments).toEqual([]);
  });

  it('the host’s reminder is in the host’s language and zone, with the booking’s page in Aki', async () => {
    const host = await makeHost({ locale: 'ja', timeZone: 'Asia/Tokyo', name: '山田' });
    const page = await pageWith(host.id, { reminders: [{ to: 'host', minutesBefore: 30 }] });
    const start = slotStart(18); // 09:00 UTC = 18:00 in Tokyo
    const booking = await book(host, page, start, { locale: 'en' });
    await drainSteps({ now: new Date(start.getTime() - 10 * MIN) });
    const [mail] = await reminderMails(host.email);
    expect(mail!.subject).toBe(`リマインダー: Guest ${guests} 様 ${new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(start)} ${page.title}`);
    expect(mail!.text).toContain('18:00');
    expect(mail!.text).toContain(`/bookings/${booking.uid}`);
    expect(mail!.text).not.toContain('token=');
    expect(await reminderMails(booking.email)).toHaveLength(0);
  });

  it('a worker that was down sends a due reminder while the meeting is still ahead, never after its start', async () => {
    const host = await makeHost();
    const page = await pageWith(host.id, { reminders: [{ to: 'guest', minutesBefore: 1440 }] });
    const early = await book(host, page, slotStart(20));
    const late = await book(host, page, slotStart(24));
    // The worker comes back an hour after the first reminder was due: still before the meeting → sent.
    await drainSteps({ now: new Date(slotStart(20).getTime() - 23 * HOUR) });
    expect(await reminderMails(early.email)).toHaveLength(1);
    // The second booking's reminder is first run after its meeting started → skipped, nothing sent.
    await drainSteps({ now: new Date(slotStart(24).getTime() + MIN) });
    expect(await reminderMails(late.email)).toHaveLength(0);
    const [step] = await stepsOf(late.uid, ['reminder.guest']);
    expect(step).toMatchObject({ status: 'skipped', payload: { reason: REMINDER_SKIP.started } });
    // Running again never sends twice.
    await drainSteps({ now: new Date(slotStart(24).getTime() + 2 * MIN) });
    expect(await reminderMails(early.email)).toHaveLength(1);
  });

  it('the host’s Retry does not pull a planned reminder forward', async () => {
    const host = await makeHost();
    const page = await pageWith(host.id, { reminders: [{ to: 'guest', minutesBefore: 60 }] });
    const start = slotStart(26);
    const booking = await book(host, page, start);
    await retryBookingSteps(host.id, booking.uid);
    const [step] = await stepsOf(booking.uid, ['reminder.guest']);
    expect(step!.runAt.toISOString()).toBe(new Date(start.getTime() - HOUR).toISOString());
  });
});

describe('reschedule and cancel', () => {
  it('rescheduling skips the pending reminders and plans new ones for the new time', async () => {
    const host = await makeHost();
    const page = await pageWith(host.id, { followUp: { message: '', noShow: 'skip' } });
    const first = slotStart(30);
    const moved = slotStart(40);
    const booking = await book(host, page, first);
    await rescheduleBookingAsGuest(booking.uid, tokenOf(booking.manageUrl), moved.toISOString());
    const steps = await stepsOf(booking.uid, REMINDER_STEP_KINDS);
    expect(steps.filter((s) => s.status === 'skipped').every((s) => s.payload.reason === REMINDER_SKIP.rescheduled)).toBe(true);
    expect(steps.filter((s) => s.status === 'skipped')).toHaveLength(3);
    const pending = steps.filter((s) => s.status === 'pending');
    expect(pending.map((s) => [s.kind, s.runAt.toISOString()])).toEqual([
      ['reminder.guest', new Date(moved.getTime() - 24 * HOUR).toISOString()],
      ['reminder.guest', new Date(moved.getTime() - HOUR).toISOString()],
      ['followup.guest', new Date(moved.getTime() + HOUR).toISOString()],
    ]);
    // The old time's 1 h reminder would be due now: only the new time's 24 h reminder goes out, naming the new time.
    await drainSteps({ now: new Date(first.getTime() - 30 * MIN) });
    const newTime = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit', hourCycle: 'h12' }).format(moved);
    expect((await reminderMails(booking.email)).map((m) => m.subject)).toEqual([`Reminder: ${page.title} with ${host.name} on ${newTime}`]);
    await drainSteps({ now: new Date(moved.getTime() - 30 * MIN) });
    expect(await reminderMails(booking.email)).toHaveLength(2);
    // The host sees the current plan only.
    const view = await getHostBookingView(host.id, booking.uid, new Date(moved.getTime() - 30 * MIN));
    expect(view.reminders.map((r) => [r.kind, r.minutesBefore, r.status])).toEqual([
      ['reminder.guest', 1440, 'sent'],
      ['reminder.guest', 60, 'sent'],
      ['followup.guest', null, 'scheduled'],
    ]);
  });

  it('a reminder planned for another start than the booking’s is skipped (guard)', async () => {
    const host = await makeHost();
    const page = await pageWith(host.id, { reminders: [{ to: 'guest', minutesBefore: 60 }] });
    const start = slotStart(44);
    const booking = await book(host, page, start);
    const db = await getDb();
    const [step] = await stepsOf(booking.uid, ['reminder.guest']);
    await db
      .update(bookingSteps)
      .set({ payload: { minutesBefore: 60, startAt: new Date(start.getTime() - 24 * HOUR).toISOString() } })
      .where(eq(bookingSteps.id, step!.id));
    await drainSteps({ now: new Date(start.getTime() - 30 * MIN) });
    expect(await reminderMails(booking.email)).toHaveLength(0);
    const [after] = await stepsOf(booking.uid, ['reminder.guest']);
    expect(after).toMatchObject({ status: 'skipped', payload: { reason: REMINDER_SKIP.moved } });
  });

  it('cancelling drops the reminders and the follow-up', async () => {
    const host = await makeHost();
    const page = await pageWith(host.id, { followUp: { message: 'Thanks', noShow: 'sorry' } });
    const start = slotStart(50);
    const booking = await book(host, page, start);
    await cancelBookingAsGuest(booking.uid, tokenOf(booking.manageUrl), 'busy');
    const steps = await stepsOf(booking.uid, REMINDER_STEP_KINDS);
    expect(steps).toHaveLength(3);
    expect(steps.every((s) => s.status === 'skipped' && s.payload.reason === REMINDER_SKIP.cancelled)).toBe(true);
    await drainSteps({ now: new Date(start.getTime() + 2 * HOUR) });
    const mails = await outboxFor(booking.email);
    // The confirmation was not out yet when the guest cancelled: only the cancellation goes.
    expect(mails.map((m) => m.subject.split(':')[0])).toEqual(['Cancelled']);
  });
});

describe('follow-up', () => {
  async function heldBooking(options: { followUp: FollowUp; share?: boolean; slot: number }) {
    const host = await makeHost({ name: 'Aki Tanaka' });
    const page = await pageWith(host.id, { reminders: [], followUp: options.followUp, share: options.share });
    const start = slotStart(options.slot);
    const booking = await book(host, page, start);
    return { host, page, booking, start, end: new Date(start.getTime() + 30 * MIN) };
  }
  const followUps = async (to: string) => (await outboxFor(to)).filter((m) => !/^Confirmed/.test(m.subject));

  it('thanks the guest 30 minutes after the end with the host’s message, the shared recording and a book-again link', async () => {
    const { host, page, booking, end } = await heldBooking({ followUp: { message: 'Great talking to you.\nHere are the slides: https://example.com/s', noShow: 'skip' }, share: true, slot: 60 });
    const db = await getDb();
    await db
      .update(bookings)
      .set({ recordingShareUrl: 'https://zoom.example/rec/share/abc', recordingPasscode: 'x7Qp!93a' })
      .where(eq(bookings.uid, booking.uid));
    await drainSteps({ now: new Date(end.getTime() + 29 * MIN) });
    expect(await followUps(booking.email)).toHaveLength(0);
    await drainSteps({ now: new Date(end.getTime() + 31 * MIN) });
    const [mail] = await followUps(booking.email);
    expect(mail!.subject).toBe(`Thank you for meeting Aki Tanaka: ${page.title}`);
    expect(mail!.text).toContain('Great talking to you.\nHere are the slides');
    expect(mail!.html).toContain('Great talking to you.<br>Here are the slides');
    expect(mail!.text).toContain('Recording: https://zoom.example/rec/share/abc');
    expect(mail!.text).toContain('x7Qp!93a');
    expect(mail!.text).toContain(`/${host.handle}/${page.slug}`);
    const view = await getHostBookingView(host.id, booking.uid, new Date(end.getTime() + HOUR));
    expect(view.reminders).toMatchObject([{ kind: 'followup.guest', status: 'sent', mail: 'thanks' }]);
  });

  it('no recording link when the page does not share recordings', async () => {
    const { booking, end } = await heldBooking({ followUp: { message: '', noShow: 'skip' }, slot: 64 });
    const db = await getDb();
    await db.update(bookings).set({ recordingShareUrl: 'https://zoom.example/rec/share/abc' }).where(eq(bookings.uid, booking.uid));
    await drainSteps({ now: new Date(end.getTime() + HOUR) });
    const [mail] = await followUps(booking.email);
    expect(mail!.subject).toMatch(/^Thank you/);
    expect(mail!.text).not.toContain('zoom.example/rec');
  });

  it('a guest no-show gets nothing, or the "sorry we missed you" mail when the page chose it; a host no-show gets nothing', async () => {
    const skip = await heldBooking({ followUp: { message: 'Thanks', noShow: 'skip' }, slot: 70 });
    const sorry = await heldBooking({ followUp: { message: 'Thanks', noShow: 'sorry' }, slot: 74 });
    const hostAbsent = await heldBooking({ followUp: { message: 'Thanks', noShow: 'sorry' }, slot: 78 });
    const db = await getDb();
    await setAttendanceOverride(db, skip.host.id, skip.booking.uid, 'guest_no_show', null);
    await setAttendanceOverride(db, sorry.host.id, sorry.booking.uid, 'nobody', null);
    await setAttendanceOverride(db, hostAbsent.host.id, hostAbsent.booking.uid, 'host_no_show', null);
    await drainSteps({ now: new Date(hostAbsent.end.getTime() + HOUR) });

    expect(await followUps(skip.booking.email)).toHaveLength(0);
    expect((await stepsOf(skip.booking.uid, ['followup.guest']))[0]).toMatchObject({ status: 'skipped', payload: { reason: REMINDER_SKIP.guestNoShow } });
    const [sorryMail] = await followUps(sorry.booking.email);
    expect(sorryMail!.subject).toBe(`Sorry we missed you: ${sorry.page.title} with Aki Tanaka`);
    expect(sorryMail!.text).toContain(`/${sorry.host.handle}/${sorry.page.slug}`);
    expect(await followUps(hostAbsent.booking.email)).toHaveLength(0);
    expect((await stepsOf(hostAbsent.booking.uid, ['followup.guest']))[0]).toMatchObject({ status: 'skipped', payload: { reason: REMINDER_SKIP.hostNoShow } });
  });

  it('the host’s correction wins: a measured no-show corrected to attended gets the thanks', async () => {
    const { host, booking, end } = await heldBooking({ followUp: { message: '', noShow: 'skip' }, slot: 82 });
    const db = await getDb();
    await db.update(bookings).set({ attendanceStatus: 'guest_no_show' }).where(eq(bookings.uid, booking.uid));
    await setAttendanceOverride(db, host.id, booking.uid, 'attended', null);
    await drainSteps({ now: new Date(end.getTime() + HOUR) });
    expect((await followUps(booking.email)).map((m) => m.subject)).toEqual([expect.stringMatching(/^Thank you/)]);
  });

  it('turned off on the page after booking: skipped', async () => {
    const { page, booking, end } = await heldBooking({ followUp: { message: '', noShow: 'skip' }, slot: 86 });
    const db = await getDb();
    await db.update(bookingPages).set({ followUp: null }).where(eq(bookingPages.id, page.id));
    await drainSteps({ now: new Date(end.getTime() + HOUR) });
    expect(await followUps(booking.email)).toHaveLength(0);
    expect((await stepsOf(booking.uid, ['followup.guest']))[0]).toMatchObject({ status: 'skipped', payload: { reason: REMINDER_SKIP.pageChanged } });
  });

  it('a Zoom meeting whose attendance is not known yet: the follow-up waits, at most 6 hours', async () => {
    // No Zoom linked: the meeting stays pending (the reminder says the link follows) and attendance stays pending.
    const host = await makeHost();
    const page = await pageWith(host.id, { location: { type: 'zoom' }, reminders: [{ to: 'guest', minutesBefore: 60 }], followUp: { message: '', noShow: 'skip' } });
    const start = slotStart(90);
    const end = new Date(start.getTime() + 30 * MIN);
    const booking = await book(host, page, start);
    await drainSteps({ now: new Date(start.getTime() - 30 * MIN) });
    const [reminder] = await reminderMails(booking.email);
    expect(reminder!.text).toContain('Zoom (the link will follow by email)');
    expect(reminder!.text).toContain('we will email it to you as soon as it is created');

    await drainSteps({ now: new Date(end.getTime() + 31 * MIN) });
    const [waiting] = await stepsOf(booking.uid, ['followup.guest']);
    expect(waiting).toMatchObject({ status: 'pending', payload: { waitingFor: 'waiting for the attendance' } });
    expect(waiting!.runAt.getTime()).toBe(end.getTime() + 46 * MIN);
    expect(await followUps(booking.email)).toEqual([reminder]);

    await drainSteps({ now: new Date(end.getTime() + ATTENDANCE_WAIT_MS + MIN) });
    const subjects = (await followUps(booking.email)).map((m) => m.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects).toEqual(expect.arrayContaining([reminder!.subject, expect.stringMatching(/^Thank you/)]));
  });
});

describe('host API v1: reminders and followUp', () => {
  const BASE = 'http://localhost/api/v1/booking-pages';
  const req = (method: string, token: string, body?: unknown, url = BASE) =>
    new Request(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

  async function tokenHost() {
    const host = await makeHost();
    const { token } = await createApiToken(host.id, 'test');
    return { host, token };
  }

  it('defaults on create, round trip on PATCH, null/[] turn them off', async () => {
    const { token } = await tokenHost();
    const created = await collection.POST(req('POST', token, { slug: 'intro', title: 'Intro', durationMinutes: 30, location: { type: 'phone' } }));
    expect(created.status).toBe(201);
    const page = ((await created.json()) as { bookingPage: { id: string; reminders: unknown; followUp: unknown } }).bookingPage;
    expect(page.reminders).toEqual([
      { to: 'guest', minutesBefore: 1440 },
      { to: 'guest', minutesBefore: 60 },
    ]);
    expect(page.followUp).toBeNull();

    const reminders = [
      { to: 'guest', minutesBefore: 120 },
      { to: 'host', minutesBefore: 10 },
    ];
    const patched = await item.PATCH(req('PATCH', token, { reminders, followUp: { message: 'Thanks!' } }, `${BASE}/${page.id}`), ctx(page.id));
    expect(patched.status).toBe(200);
    const got = await item.GET(req('GET', token, undefined, `${BASE}/${page.id}`), ctx(page.id));
    const body = ((await got.json()) as { bookingPage: { reminders: unknown; followUp: unknown } }).bookingPage;
    expect(body.reminders).toEqual(reminders);
    expect(body.followUp).toEqual({ message: 'Thanks!', noShow: 'skip' });

    const off = await item.PATCH(req('PATCH', token, { reminders: [], followUp: null }, `${BASE}/${page.id}`), ctx(page.id));
    const offBody = ((await off.json()) as { bookingPage: { reminders: unknown; followUp: unknown } }).bookingPage;
    expect(offBody).toMatchObject({ reminders: [], followUp: null });
    const db = await getDb();
    const [row] = await db.select({ reminders: bookingPages.reminders, followUp: bookingPages.followUp }).from(bookingPages).where(eq(bookingPages.id, page.id));
    expect(row).toEqual({ reminders: [], followUp: null });
  });

  it('422 with field codes for bad reminders and follow-ups', async () => {
    const { host, token } = await tokenHost();
    const page = await makePage(host.id, { location: { type: 'phone' } });
    const patch = async (body: unknown) => {
      const res = await item.PATCH(req('PATCH', token, body, `${BASE}/${page.id}`), ctx(page.id));
      return { status: res.status, fields: ((await res.json()) as { error?: { fields?: Record<string, string> } }).error?.fields };
    };
    expect(await patch({ reminders: [{ to: 'guest', minutesBefore: 2 }] })).toEqual({ status: 422, fields: { 'reminders.0.minutesBefore': 'reminder_too_soon' } });
    expect(await patch({ reminders: [{ to: 'guest', minutesBefore: 8 * 1440 }] })).toEqual({ status: 422, fields: { 'reminders.0.minutesBefore': 'reminder_too_far' } });
    expect(await patch({ reminders: [{ to: 'guest', minutesBefore: 30.5 }] })).toMatchObject({ status: 422 });
    expect(await patch({ reminders: [{ to: 'someone', minutesBefore: 30 }] })).toMatchObject({ status: 422, fields: { 'reminders.0.to': expect.any(String) } });
    expect(
      await patch({
        reminders: [
          { to: 'host', minutesBefore: 30 },
          { to: 'host', minutesBefore: 30 },
        ],
      }),
    ).toEqual({ status: 422, fields: { 'reminders.1.minutesBefore': 'duplicate_reminder' } });
    const six = [5, 10, 15, 20, 25, 30].map((m) => ({ to: 'guest', minutesBefore: m }));
    expect(await patch({ reminders: six })).toEqual({ status: 422, fields: { reminders: expect.any(String) } });
    expect(await patch({ followUp: { message: 'x', noShow: 'maybe' } })).toMatchObject({ status: 422, fields: { 'followUp.noShow': expect.any(String) } });
    expect(await patch({ followUp: { message: 'x'.repeat(2001) } })).toMatchObject({ status: 422, fields: { 'followUp.message': expect.any(String) } });
    // Nothing was stored.
    const db = await getDb();
    const [row] = await db.select({ reminders: bookingPages.reminders }).from(bookingPages).where(and(eq(bookingPages.id, page.id), eq(bookingPages.userId, host.id)));
    expect(row!.reminders).toHaveLength(2);
  });
});
