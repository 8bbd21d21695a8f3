import 'server-only';
import { clearGoogleBusyDegraded, recordGoogleBusyDegraded } from '@/lib/calendar/google/mutations';
import { getGoogleConnection } from '@/lib/calendar/google/queries';
import { processCache } from '@/lib/cache';
import { IntegrationError } from '@/lib/errors';
import { busyCacheKey, busyGeneration, invalidateBusyCache, readBusyCache, writeBusyCache } from './busy-cache';
import { fetchGoogleBusy, GoogleHostCalendar } from './google/calendar';
import type { BusyLookup, HostCalendar } from './types';

/**
 * Entry points used by bookings and availability. A host without a Google link has no calendar and
 * no busy times; a linked host gets Google Calendar (lib/calendar/google/calendar.ts).
 */

/** How long a guest's slot request may wait for Google before slots are shown without it. */
export const BUSY_LOOKUP_BUDGET_MS = 800;
const BUSY_TTL_MS = 45_000;
/** A failed lookup is remembered briefly so a slow Google is not asked again on every request. */
const DEGRADED_TTL_MS = 10_000;

/**
 * The host's calendar for event writes, or null when none is linked (the pipeline skips the step).
 * A revoked link still answers: its calls throw IntegrationError `revoked` so the step waits for a reconnect.
 */
export async function getHostCalendar(userId: string): Promise<HostCalendar | null> {
  const connection = await getGoogleConnection(userId);
  return connection ? new GoogleHostCalendar(userId) : null;
}

/**
 * Hosts with no Google calendar to read (no link, or no busy calendars chosen), remembered per host:
 * the confirm asks for a slot-sized range on every booking, which the range-keyed cache never hits.
 * Tagged with the host's busy generation, which every change of the link or its calendar choice in
 * this process bumps; another process's change shows here within NO_CALENDAR_TTL_MS.
 */
const NO_CALENDAR_TTL_MS = 10_000;
const noCalendar = processCache<{ generation: number }>('calendar:no-google-link', { max: 10_000, ttlMs: NO_CALENDAR_TTL_MS });

type Outcome = { ok: true; busy: BusyLookup['busy']; partial: boolean } | { ok: false; reason: string };

const inflight = new Map<string, Promise<BusyLookup>>();

/**
 * Busy times of the host's chosen calendars for [from, to). Never throws and never waits longer than
 * the budget: when Google is slow, failing or the link is revoked, the answer is `degraded` (slots
 * are shown without the calendar) and the host card shows a warning.
 */
export async function getCalendarBusy(userId: string, from: Date, to: Date): Promise<BusyLookup> {
  const key = busyCacheKey(userId, from, to);
  const cached = readBusyCache(key);
  if (cached) return cached;
  const running = inflight.get(key);
  if (running) return running;
  const lookup = lookupBusy(userId, from, to, key).finally(() => inflight.delete(key));
  inflight.set(key, lookup);
  return lookup;
}

async function lookupBusy(userId: string, from: Date, to: Date, key: string): Promise<BusyLookup> {
  const generation = busyGeneration(userId);
  if (noCalendar.get(userId)?.generation === generation) return { busy: [], degraded: false };
  let connection: Awaited<ReturnType<typeof getGoogleConnection>>;
  try {
    connection = await getGoogleConnection(userId);
  } catch (error) {
    console.error('[calendar] could not read the Google link', error);
    return { busy: [], degraded: true };
  }
  if (!connection || connection.busyCalendarIds.length === 0) {
    // Under the generation read before the query: a change meanwhile makes the entry stale at once.
    noCalendar.set(userId, { generation });
    const none = { busy: [], degraded: false };
    writeBusyCache(key, userId, generation, none, BUSY_TTL_MS);
    return none;
  }
  if (connection.status === 'revoked') {
    const revoked = { busy: [], degraded: true };
    writeBusyCache(key, userId, generation, revoked, BUSY_TTL_MS);
    return revoked;
  }

  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, reason: 'timeout' });
    }, BUSY_LOOKUP_BUDGET_MS);
  });
  const fetched: Promise<Outcome> = fetchGoogleBusy(connection, from, to, { timeoutMs: BUSY_LOOKUP_BUDGET_MS, signal: controller.signal }).then(
    (result): Outcome => ({ ok: true, busy: result.busy, partial: result.failedCalendarIds.length > 0 }),
    (error: unknown): Outcome => ({ ok: false, reason: error instanceof IntegrationError ? error.reason : 'unknown' }),
  );
  const outcome = await Promise.race([fetched, timeout]);
  clearTimeout(timer);

  if (outcome.ok) {
    const value: BusyLookup = { busy: outcome.busy, degraded: outcome.partial };
    writeBusyCache(key, userId, generation, value, BUSY_TTL_MS);
    try {
      if (outcome.partial) await recordGoogleBusyDegraded(userId, 'calendar_unreadable');
      else if (connection.busyDegradedAt) await clearGoogleBusyDegraded(userId);
    } catch (error) {
      console.error('[calendar] could not record the busy lookup state', error);
    }
    return value;
  }
  const value: BusyLookup = { busy: [], degraded: true };
  writeBusyCache(key, userId, generation, value, DEGRADED_TTL_MS);
  try {
    if (outcome.reason !== 'revoked') await recordGoogleBusyDegraded(userId, outcome.reason);
  } catch (error) {
    console.error('[calendar] could not record the busy lookup state', error);
  }
  return value;
}

/** Called after Aki itself writes to the host's calendar, so cached busy times are not stale. */
export function invalidateCalendarBusy(userId: string): void {
  invalidateBusyCache(userId);
}
