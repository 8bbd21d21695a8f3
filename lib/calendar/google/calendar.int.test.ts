import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema/hosts';
import { googleConnections } from '@/lib/db/schema/integrations';
import type { EmuEvent } from '@/lib/emulators/google/state';
import { type RunningGoogleEmulator, startGoogleEmulator } from '@/lib/emulators/google/server';
import { getGoogleConnection } from './queries';
import { disconnectGoogle, finishGoogleConnect, getGoogleCardData, updateGoogleCalendarSettings } from './service';
import { consentGoogle, linkGoogle, useGoogleEmulatorEnv } from './testing';
import { readOutbox } from '@/lib/mail/transport';
import { IntegrationError } from '@/lib/errors';
import { decodeGoogleEventRef, listGoogleCalendars } from './calendar';
import { getCalendarBusy, getHostCalendar, invalidateCalendarBusy } from '@/lib/calendar/host-calendar';
import type { CalendarEventInput } from '@/lib/calendar/types';

/** Google Calendar against the standalone emulator over HTTP and the real database. */

let google: RunningGoogleEmulator;

async function newHost(email: string, locale: 'ja' | 'en' = 'en') {
  const db = await getDb();
  const [host] = await db.insert(users).values({ email, locale, handle: email.split('@')[0], timeZone: 'Asia/Tokyo', name: 'Host' }).returning();
  return host!;
}

async function control(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${google.url}/__control/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

type StateEvent = EmuEvent & { calendarId: string; sendUpdates: string; attendees?: { email: string; displayName?: string }[] };

async function emulatorEvents(): Promise<StateEvent[]> {
  const response = await fetch(`${google.url}/__control/state`);
  return ((await response.json()) as { events: StateEvent[] }).events;
}

async function linkedHost(name: string) {
  const host = await newHost(`${name}@aki.test`);
  const account = `${name}.g@gmail.test`;
  await linkGoogle(host.id, account);
  return { host, account };
}

const input = (uid: string, start: string, end: string): CalendarEventInput => ({
  bookingUid: uid,
  title: '30 min meeting with Guest <Ann>',
  description: 'Booked with Aki.\nAnswer: "hello" & <b>bye</b>',
  start: new Date(start),
  end: new Date(end),
  timeZone: 'Asia/Tokyo',
  location: 'https://zoom.example/j/123',
  attendee: { name: 'Ann Guest', email: 'ann@guest.test' },
});

beforeAll(async () => {
  // Mounted under a path like in the app (googleapis must keep the path of its root URL).
  google = await startGoogleEmulator({ basePath: '/api/emulators/google' });
  useGoogleEmulatorEnv(google.url);
  // Open (and migrate) the database here, under the hook timeout, not in the first test.
  await getDb();
});

afterAll(async () => {
  await google.close();
});

describe('linking', () => {
  it('links through OAuth with offline access and stores encrypted tokens and default choices', async () => {
    const host = await newHost('link@aki.test');
    const result = await linkGoogle(host.id, 'link.g@gmail.test');
    expect(result.email).toBe('link.g@gmail.test');
    const row = await getGoogleConnection(host.id);
    expect(row).toMatchObject({
      status: 'active',
      googleEmail: 'link.g@gmail.test',
      busyCalendarIds: ['link.g@gmail.test'],
      targetCalendarId: 'link.g@gmail.test',
      allDayEventsBusy: true,
    });
    expect(row!.scopes).toContain('https://www.googleapis.com/auth/calendar.events');
    // encrypted at rest, and what the emulator issued
    const state = (await (await fetch(`${google.url}/__control/state`)).json()) as { grants: { refreshToken: string; scopes: string[] }[] };
    const refresh = decryptSecret(row!.refreshTokenEnc!);
    expect(row!.refreshTokenEnc).not.toContain(refresh);
    expect(state.grants.some((g) => g.refreshToken === refresh)).toBe(true);
    // calendar scopes only
    const grant = state.grants.find((g) => g.refreshToken === refresh)!;
    expect(grant.scopes.sort()).toEqual(['https://www.googleapis.com/auth/calendar.events', 'https://www.googleapis.com/auth/calendar.readonly']);
  });

  it('refuses a callback whose state does not match the cookie of this host', async () => {
    const host = await newHost('state@aki.test');
    const other = await newHost('state-other@aki.test');
    const { location, cookie } = await consentGoogle(host.id, 'allow', { account: 'state.g@gmail.test' });
    const forged = new URLSearchParams(location.searchParams);
    forged.set('state', 'forged');
    expect(await finishGoogleConnect({ hostId: host.id, params: forged, cookie })).toBe('state');
    expect(await finishGoogleConnect({ hostId: other.id, params: location.searchParams, cookie })).toBe('state');
    expect(await finishGoogleConnect({ hostId: host.id, params: location.searchParams, cookie: undefined })).toBe('state');
    expect(await getGoogleConnection(host.id)).toBeNull();
  });

  it('reports a denied consent and a partial grant without storing a link', async () => {
    const host = await newHost('denied@aki.test');
    const denied = await consentGoogle(host.id, 'deny', { account: 'denied.g@gmail.test' });
    expect(denied.location.searchParams.get('error')).toBe('access_denied');
    expect(await finishGoogleConnect({ hostId: host.id, params: denied.location.searchParams, cookie: denied.cookie })).toBe('denied');

    const partial = await consentGoogle(host.id, 'allow', { account: 'denied.g@gmail.test', grant: ['https://www.googleapis.com/auth/calendar.readonly'] });
    expect(await finishGoogleConnect({ hostId: host.id, params: partial.location.searchParams, cookie: partial.cookie })).toBe('scope');
    expect(await getGoogleConnection(host.id)).toBeNull();
  });

  it('lists the calendars and saves the busy calendars, the target and the all-day choice', async () => {
    const { host, account } = await linkedHost('lister');
    const calendars = await listGoogleCalendars(host.id);
    expect(calendars.map((c) => [c.summary, c.primary, c.writable])).toEqual([
      [account, true, true],
      ['Work', false, true],
    ]);
    const work = calendars.find((c) => c.summary === 'Work')!;
    await updateGoogleCalendarSettings(host.id, { busyCalendarIds: [account, work.id], targetCalendarId: work.id, allDayEventsBusy: false });
    expect(await getGoogleConnection(host.id)).toMatchObject({ busyCalendarIds: [account, work.id], targetCalendarId: work.id, allDayEventsBusy: false });
    await expect(
      updateGoogleCalendarSettings(host.id, { busyCalendarIds: ['someone-else@gmail.test'], targetCalendarId: work.id, allDayEventsBusy: true }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    const card = await getGoogleCardData(host.id);
    expect(card.state).toBe('connected');
    if (card.state === 'connected') expect(card.calendars?.length).toBe(2);
  });

  it('disconnects: revokes the grant at Google and deletes the tokens', async () => {
    const { host } = await linkedHost('leaver');
    const refresh = decryptSecret((await getGoogleConnection(host.id))!.refreshTokenEnc!);
    await disconnectGoogle(host.id);
    expect(await getGoogleConnection(host.id)).toBeNull();
    const state = (await (await fetch(`${google.url}/__control/state`)).json()) as { grants: { refreshToken: string; revoked: boolean }[] };
    expect(state.grants.find((g) => g.refreshToken === refresh)?.revoked).toBe(true);
    expect(await getHostCalendar(host.id)).toBeNull();
  });
});

describe('busy times', () => {
  it('blocks with opaque events of the chosen calendars only; transparent events never block', async () => {
    const { host, account } = await linkedHost('busy');
    const [work] = (await listGoogleCalendars(host.id)).filter((c) => c.summary === 'Work');
    await control('events', { email: account, summary: 'Dentist', start: '2031-03-03T01:00:00Z', end: '2031-03-03T02:00:00Z' });
    await control('events', { email: account, summary: 'Focus (free)', start: '2031-03-03T04:00:00Z', end: '2031-03-03T05:00:00Z', transparency: 'transparent' });
    await control('events', { calendarId: work!.id, summary: 'Standup', start: '2031-03-03T06:00:00Z', end: '2031-03-03T06:30:00Z' });
    await control('events', { email: account, summary: 'Gone', start: '2031-03-03T08:00:00Z', end: '2031-03-03T09:00:00Z', status: 'cancelled' });

    const from = new Date('2031-03-03T00:00:00Z');
    const to = new Date('2031-03-04T00:00:00Z');
    const first = await getCalendarBusy(host.id, from, to);
    expect(first.degraded).toBe(false);
    expect(first.busy).toEqual([{ start: new Date('2031-03-03T01:00:00Z'), end: new Date('2031-03-03T02:00:00Z') }]);

    await updateGoogleCalendarSettings(host.id, { busyCalendarIds: [account, work!.id], targetCalendarId: account, allDayEventsBusy: true });
    const both = await getCalendarBusy(host.id, from, to);
    expect(both.busy).toEqual([
      { start: new Date('2031-03-03T01:00:00Z'), end: new Date('2031-03-03T02:00:00Z') },
      { start: new Date('2031-03-03T06:00:00Z'), end: new Date('2031-03-03T06:30:00Z') },
    ]);
  });

  it('counts all-day events as busy only when the host wants it (in the calendar time zone)', async () => {
    const { host, account } = await linkedHost('allday');
    await control('events', { email: account, summary: 'Holiday', start: '2031-04-10', allDay: true });
    await control('events', { email: account, summary: 'Call', start: '2031-04-11T03:00:00Z', end: '2031-04-11T04:00:00Z' });
    await control('events', { email: account, summary: 'Free all day', start: '2031-04-12', allDay: true, transparency: 'transparent' });
    const from = new Date('2031-04-09T00:00:00Z');
    const to = new Date('2031-04-13T00:00:00Z');

    const busy = await getCalendarBusy(host.id, from, to);
    // The emulator's calendars are in Asia/Tokyo: the all-day event covers 04-10 00:00 to 04-11 00:00 JST.
    expect(busy.busy).toEqual([
      { start: new Date('2031-04-09T15:00:00Z'), end: new Date('2031-04-10T15:00:00Z') },
      { start: new Date('2031-04-11T03:00:00Z'), end: new Date('2031-04-11T04:00:00Z') },
    ]);

    await updateGoogleCalendarSettings(host.id, { busyCalendarIds: [account], targetCalendarId: account, allDayEventsBusy: false });
    const withoutAllDay = await getCalendarBusy(host.id, from, to);
    expect(withoutAllDay).toEqual({ busy: [{ start: new Date('2031-04-11T03:00:00Z'), end: new Date('2031-04-11T04:00:00Z') }], degraded: false });
  });

  it('caches lookups until Aki writes or the cache is invalidated', async () => {
    const { host, account } = await linkedHost('cache');
    const from = new Date('2031-05-01T00:00:00Z');
    const to = new Date('2031-05-02T00:00:00Z');
    expect((await getCalendarBusy(host.id, from, to)).busy).toEqual([]);
    await control('events', { email: account, summary: 'New', start: '2031-05-01T01:00:00Z', end: '2031-05-01T02:00:00Z' });
    expect((await getCalendarBusy(host.id, from, to)).busy).toEqual([]);
    invalidateCalendarBusy(host.id);
    expect((await getCalendarBusy(host.id, from, to)).busy).toHaveLength(1);
  });

  it('degrades visibly instead of failing when Google errors or is slow, and records it for the card', async () => {
    const { host } = await linkedHost('slow');
    await control('faults', { method: 'POST', path: '/calendar/v3/freeBusy', status: 500, times: 1 });
    const failed = await getCalendarBusy(host.id, new Date('2031-06-01T00:00:00Z'), new Date('2031-06-02T00:00:00Z'));
    expect(failed).toEqual({ busy: [], degraded: true });
    const row = await getGoogleConnection(host.id);
    expect(row?.busyDegradedAt).toBeInstanceOf(Date);
    expect(row?.busyDegradedReason).toBe('unavailable');

    await control('faults', { method: 'POST', path: '/calendar/v3/freeBusy', delayMs: 3000, times: 1 });
    const slow = await getCalendarBusy(host.id, new Date('2031-06-03T00:00:00Z'), new Date('2031-06-04T00:00:00Z'));
    expect(slow).toEqual({ busy: [], degraded: true });

    // Google answers again: the warning clears.
    const ok = await getCalendarBusy(host.id, new Date('2031-06-05T00:00:00Z'), new Date('2031-06-06T00:00:00Z'));
    expect(ok.degraded).toBe(false);
    expect((await getGoogleConnection(host.id))?.busyDegradedAt).toBeNull();
  });

  it('answers no busy times for a host without a link', async () => {
    const host = await newHost('nolink@aki.test');
    expect(await getCalendarBusy(host.id, new Date('2031-01-01T00:00:00Z'), new Date('2031-01-02T00:00:00Z'))).toEqual({ busy: [], degraded: false });
    expect(await getHostCalendar(host.id)).toBeNull();
  });
});

describe('events through the HostCalendar', () => {
  it('creates, moves and deletes the booking event without Google invitation mail', async () => {
    const { host, account } = await linkedHost('writer');
    const calendar = (await getHostCalendar(host.id))!;
    const created = await calendar.createEvent(input('uid-writer-1', '2031-07-01T01:00:00Z', '2031-07-01T01:30:00Z'));
    expect(decodeGoogleEventRef(created.eventId, 'x').calendarId).toBe(account);
    const eventId = decodeGoogleEventRef(created.eventId, 'x').eventId;

    let event = (await emulatorEvents()).find((e) => e.id === eventId)!;
    expect(event).toMatchObject({
      calendarId: account,
      status: 'confirmed',
      summary: '30 min meeting with Guest <Ann>',
      location: 'https://zoom.example/j/123',
      sendUpdates: 'none',
      start: { dateTime: '2031-07-01T01:00:00.000Z', timeZone: 'Asia/Tokyo' },
    });
    expect(event.attendees).toEqual([expect.objectContaining({ email: 'ann@guest.test', displayName: 'Ann Guest' })]);
    expect(event.description).toContain('https://zoom.example/j/123');
    // guest text is escaped for Google's HTML description
    expect(event.description).toContain('&lt;b&gt;bye&lt;/b&gt;');

    // busy lookups see Aki's own write at once (the cache was invalidated)
    const busy = await getCalendarBusy(host.id, new Date('2031-07-01T00:00:00Z'), new Date('2031-07-02T00:00:00Z'));
    expect(busy.busy).toEqual([{ start: new Date('2031-07-01T01:00:00Z'), end: new Date('2031-07-01T01:30:00Z') }]);

    await calendar.updateEvent(created.eventId, input('uid-writer-1', '2031-07-02T05:00:00Z', '2031-07-02T05:30:00Z'));
    event = (await emulatorEvents()).find((e) => e.id === eventId)!;
    expect(event.start.dateTime).toBe('2031-07-02T05:00:00.000Z');
    expect(event.sequence).toBe(1);
    expect(event.sendUpdates).toBe('none');

    await calendar.deleteEvent(created.eventId);
    event = (await emulatorEvents()).find((e) => e.id === eventId)!;
    expect(event.status).toBe('cancelled');
    // already gone (410) counts as done
    await calendar.deleteEvent(created.eventId);
  });

  it('writes to the target calendar and never makes a second event when a create is retried', async () => {
    const { host, account } = await linkedHost('retrier');
    const work = (await listGoogleCalendars(host.id)).find((c) => c.summary === 'Work')!;
    await updateGoogleCalendarSettings(host.id, { busyCalendarIds: [account], targetCalendarId: work.id, allDayEventsBusy: true });
    const calendar = (await getHostCalendar(host.id))!;
    const first = await calendar.createEvent(input('uid-retry', '2031-08-01T01:00:00Z', '2031-08-01T02:00:00Z'));
    const second = await calendar.createEvent(input('uid-retry', '2031-08-01T01:00:00Z', '2031-08-01T02:00:00Z'));
    expect(second.eventId).toBe(first.eventId);
    const events = (await emulatorEvents()).filter((e) => e.calendarId === work.id);
    expect(events).toHaveLength(1);

    // The host switches the target back: the existing event is still found through its stored reference.
    await updateGoogleCalendarSettings(host.id, { busyCalendarIds: [account], targetCalendarId: account, allDayEventsBusy: true });
    await calendar.deleteEvent(first.eventId);
    expect((await emulatorEvents()).find((e) => e.calendarId === work.id)?.status).toBe('cancelled');
  });

  it('a Google 500 is a retryable error; a moved event that is gone is not', async () => {
    const { host } = await linkedHost('flaky');
    const calendar = (await getHostCalendar(host.id))!;
    await control('faults', { method: 'POST', path: '/calendar/v3/calendars/*', status: 500, times: 1 });
    const error = await calendar.createEvent(input('uid-flaky', '2031-09-01T01:00:00Z', '2031-09-01T02:00:00Z')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ provider: 'google', reason: 'unavailable', retryable: true, status: 500 });
    // the retry succeeds
    const created = await calendar.createEvent(input('uid-flaky', '2031-09-01T01:00:00Z', '2031-09-01T02:00:00Z'));
    await control('faults', { method: 'PATCH', path: '/calendar/v3/calendars/*', status: 429, times: 1, headers: { 'retry-after': '7' } });
    await expect(calendar.updateEvent(created.eventId, input('uid-flaky', '2031-09-01T03:00:00Z', '2031-09-01T04:00:00Z'))).rejects.toMatchObject({
      retryable: true,
      reason: 'rate_limited',
      retryAfterMs: 7000,
    });
    await calendar.deleteEvent(created.eventId);
    const { calendarId } = decodeGoogleEventRef(created.eventId, '');
    await expect(
      calendar.updateEvent(`g1.${Buffer.from(calendarId).toString('base64url')}.aki0000000000`, input('uid-x', '2031-09-01T03:00:00Z', '2031-09-01T04:00:00Z')),
    ).rejects.toMatchObject({ retryable: false, reason: 'not_found' });
  });
});

describe('tokens', () => {
  it('refreshes an expired access token (emulator clock) and stores the new one', async () => {
    const { host } = await linkedHost('refresher');
    const before = (await getGoogleConnection(host.id))!;
    const oldAccess = decryptSecret(before.accessTokenEnc);
    await control('clock', { advanceSeconds: 2 * 3600 });
    try {
      const calendars = await listGoogleCalendars(host.id);
      expect(calendars.length).toBe(2);
    } finally {
      await control('clock', { reset: true });
    }
    const after = (await getGoogleConnection(host.id))!;
    const newAccess = decryptSecret(after.accessTokenEnc);
    expect(newAccess).not.toBe(oldAccess);
    const state = (await (await fetch(`${google.url}/__control/state`)).json()) as { tokens: { token: string }[] };
    expect(state.tokens.some((t) => t.token === newAccess)).toBe(true);
    // the refresh token is kept (Google does not rotate it)
    expect(decryptSecret(after.refreshTokenEnc!)).toBe(decryptSecret(before.refreshTokenEnc!));
    expect(after.accessTokenExpiresAt!.getTime()).toBeGreaterThan(before.accessTokenExpiresAt!.getTime());
  });

  it('a revoked link (invalid_grant) is marked revoked, the host is mailed once, and writes say revoked', async () => {
    const { host, account } = await linkedHost('revoked');
    await control('revoke', { email: account });
    const calendar = (await getHostCalendar(host.id))!;
    const error = await calendar.createEvent(input('uid-revoked', '2031-10-01T01:00:00Z', '2031-10-01T02:00:00Z')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ provider: 'google', reason: 'revoked', retryable: false });

    const row = await getGoogleConnection(host.id);
    expect(row).toMatchObject({ status: 'revoked', revokedReason: 'invalid_grant' });
    // again: still revoked, no second mail
    await expect(calendar.deleteEvent('g1.eA.aki00000')).rejects.toMatchObject({ reason: 'revoked' });
    expect(await getCalendarBusy(host.id, new Date('2031-10-01T00:00:00Z'), new Date('2031-10-02T00:00:00Z'))).toEqual({ busy: [], degraded: true });
    const mails = (await readOutbox()).filter((m) => m.to === host.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Google Calendar');
    expect(mails[0]!.text).toContain('http://localhost:3999/settings/integrations');
    expect((await getGoogleCardData(host.id)).state).toBe('revoked');

    // Reconnecting makes it active again, with the choices kept.
    await linkGoogle(host.id, account);
    expect(await getGoogleConnection(host.id)).toMatchObject({ status: 'active', revokedReason: null });
    const db = await getDb();
    const [fresh] = await db.select().from(googleConnections).where(eq(googleConnections.userId, host.id));
    expect(fresh?.busyCalendarIds).toEqual([account]);
  });
});
