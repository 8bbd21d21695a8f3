import 'server-only';
import { LRUCache } from 'lru-cache';
import { processSingleton } from './process-singletons';

/**
 * Aki's in-process caches: bounded (least recently used out first), entries expire after a TTL, one
 * instance per process (lib/process-singletons.ts) so every route bundle sees the same entries.
 * Each process has its own: other app servers on the same Postgres notice changes only when their
 * entries expire, so nothing that must be exact (a booking's availability re-check) reads a cache.
 */

export type Cache<V extends {}> = LRUCache<string, V>;

// Date.now rather than performance.now: the same clock as the code around (and tests that set it),
// and no resolution-caching timer (ttlResolution 0).
const dateClock = { now: () => Date.now() };

/** The process's cache under `key`: at most `max` entries, each kept `ttlMs` unless `set` gives its own `{ ttl }`. */
export function processCache<V extends {}>(key: string, options: { max: number; ttlMs: number }): Cache<V> {
  return processSingleton(`cache:${key}`, () => new LRUCache<string, V>({ max: options.max, ttl: options.ttlMs, ttlResolution: 0, perf: dateClock }));
}

/**
 * Per-id generation counters (per host, say): bump one whenever the data behind that id's cached
 * entries changes; an entry made under an older generation is not served (or not stored).
 */
export type Generations = { current: (id: string) => number; bump: (id: string) => void };

export function processGenerations(key: string): Generations {
  const counters = processSingleton(`generations:${key}`, () => new Map<string, number>());
  const current = (id: string) => counters.get(id) ?? 0;
  return { current, bump: (id) => counters.set(id, current(id) + 1) };
}

/** An entry of a promise cache: the PROMISE, so callers that miss together share one load. */
export type Flight<T> = { promise: Promise<T>; generation: number };

/**
 * The cached promise for `key` (made under `generation`, default 0), or a new one from `load`,
 * shared by everyone asking meanwhile. Failed loads, and values `keep` refuses, are dropped so the
 * next request tries again.
 */
export function sharedLoad<T>(
  cache: Cache<Flight<T>>,
  key: string,
  load: () => Promise<T>,
  options: { generation?: number; keep?: (value: T) => boolean } = {},
): Promise<T> {
  const generation = options.generation ?? 0;
  const hit = cache.get(key);
  if (hit && hit.generation === generation) return hit.promise;
  const entry: Flight<T> = { promise: load(), generation };
  cache.set(key, entry);
  const drop = () => {
    if (cache.peek(key) === entry) cache.delete(key);
  };
  const keep = options.keep;
  entry.promise.then((value) => {
    if (keep && !keep(value)) drop();
  }, drop);
  return entry.promise;
}
