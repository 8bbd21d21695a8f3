/**
 * The one registry of per-process state.
 *
 * Next.js loads instrumentation.ts, every route bundle and (in dev) every reload as separate module
 * instances inside one process, so a module-level `let` exists several times. Whatever must exist
 * once per process (the database client, the worker loop, the mail transport, the in-app emulators,
 * caches, in-flight refreshes) is created here, under a key, and kept on globalThis.
 *
 * Keys are `area:name` (`db:handle`, `zoom:refreshes`); a key is owned by one module.
 */

const REGISTRY = Symbol.for('aki.process-singletons');

type Holder = { [REGISTRY]?: Map<string, unknown> };

function registry(): Map<string, unknown> {
  const holder = globalThis as Holder;
  holder[REGISTRY] ??= new Map();
  return holder[REGISTRY];
}

/** The process's value under `key`, created by `create` on first use (a throwing `create` stores nothing). */
export function processSingleton<T>(key: string, create: () => T): T {
  const map = registry();
  if (map.has(key)) return map.get(key) as T;
  const value = create();
  map.set(key, value);
  return value;
}

/**
 * Forgets the value under `key` (the next `processSingleton` call creates a new one) and returns it.
 * With `expected`, only forgets it while it is still that value (a failed open must not drop a newer one).
 */
export function forgetProcessSingleton<T>(key: string, expected?: T): T | undefined {
  const map = registry();
  const current = map.get(key) as T | undefined;
  if (expected !== undefined && current !== expected) return undefined;
  map.delete(key);
  return current;
}
