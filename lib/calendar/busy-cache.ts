import type { BusyLookup } from './types';

/**
 * A small per-process cache of busy lookups, keyed by host + range. Entries are short-lived; writes
 * Aki makes to a host's calendar (and settings changes) bump the host's generation, which drops
 * that host's entries and stops in-flight lookups started before the write from being cached.
 */

const MAX_ENTRIES = 1000;

type Entry = { value: BusyLookup; expiresAt: number; userId: string };

const store = globalThis as unknown as {
  __akiBusyCache?: { entries: Map<string, Entry>; generations: Map<string, number> };
};

function cache() {
  store.__akiBusyCache ??= { entries: new Map(), generations: new Map() };
  return store.__akiBusyCache;
}

export const busyCacheKey = (userId: string, from: Date, to: Date) => `${userId}|${from.toISOString()}|${to.toISOString()}`;

export function busyGeneration(userId: string): number {
  return cache().generations.get(userId) ?? 0;
}

export function readBusyCache(key: string, now = Date.now()): BusyLookup | null {
  const entry = cache().entries.get(key);
  if (!entry) return null;
  if (entry.expiresAt <= now) {
    cache().entries.delete(key);
    return null;
  }
  return entry.value;
}

/** Stores a lookup unless the host's calendar changed since `generation` was read. */
export function writeBusyCache(key: string, userId: string, generation: number, value: BusyLookup, ttlMs: number): void {
  const { entries } = cache();
  if (busyGeneration(userId) !== generation) return;
  entries.delete(key);
  entries.set(key, { value, userId, expiresAt: Date.now() + ttlMs });
  while (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest === undefined) break;
    entries.delete(oldest);
  }
}

export function invalidateBusyCache(userId: string): void {
  const { entries, generations } = cache();
  generations.set(userId, (generations.get(userId) ?? 0) + 1);
  for (const [key, entry] of entries) if (entry.userId === userId) entries.delete(key);
}
