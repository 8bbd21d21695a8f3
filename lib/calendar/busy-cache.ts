import 'server-only';
import { processCache, processGenerations } from '@/lib/cache';
import type { BusyLookup } from './types';

/**
 * A small per-process cache of busy lookups, keyed by host + range. Entries are short-lived; writes
 * Aki makes to a host's calendar (and settings changes) bump the host's generation, which drops
 * that host's entries and stops in-flight lookups started before the write from being cached.
 */

const MAX_ENTRIES = 1000;

type Entry = { value: BusyLookup; userId: string };

// Every write gives its own TTL; the default only bounds an entry written without one.
const entries = processCache<Entry>('calendar:busy', { max: MAX_ENTRIES, ttlMs: 60_000 });
const generations = processGenerations('calendar:busy');

export const busyCacheKey = (userId: string, from: Date, to: Date) => `${userId}|${from.toISOString()}|${to.toISOString()}`;

export function busyGeneration(userId: string): number {
  return generations.current(userId);
}

export function readBusyCache(key: string): BusyLookup | null {
  return entries.get(key)?.value ?? null;
}

/** Stores a lookup unless the host's calendar changed since `generation` was read. */
export function writeBusyCache(key: string, userId: string, generation: number, value: BusyLookup, ttlMs: number): void {
  if (busyGeneration(userId) !== generation) return;
  entries.set(key, { value, userId }, { ttl: ttlMs });
}

/**
 * Demo mode: the in-app Google emulator's calendars changed (an event added through its control API),
 * so every host's cached busy times may be stale: drop them all.
 */
export function invalidateAllBusyCaches(): void {
  const hosts = new Set<string>();
  for (const [, entry] of entries.entries()) hosts.add(entry.userId);
  for (const userId of hosts) invalidateBusyCache(userId);
}

export function invalidateBusyCache(userId: string): void {
  generations.bump(userId);
  const stale: string[] = [];
  for (const [key, entry] of entries.entries()) if (entry.userId === userId) stale.push(key);
  for (const key of stale) entries.delete(key);
}
