import fs from 'node:fs';
import path from 'node:path';
import { env } from '@/lib/env';

// Zoom's int64 ids are BigInts in the emulator; JSON needs them tagged.
const BIGINT_TAG = '$bigint';
const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? { [BIGINT_TAG]: value.toString() } : value);
const reviver = (_key: string, value: unknown) =>
  value && typeof value === 'object' && BIGINT_TAG in value && Object.keys(value).length === 1 ? BigInt((value as Record<string, string>)[BIGINT_TAG]!) : value;

/** `upgradeLoadedState` (optional) brings a state saved by an older version up to date after a load. */
type Emulator = { handle(request: Request): Promise<Response>; readonly state: object; upgradeLoadedState?(): void };

/** Where the in-app emulator `name` keeps its state: `<data dir>/emulators/<name>.json`. */
export function emulatorStateFile(name: string): string {
  return path.join(env().dataDir, 'emulators', `${name}.json`);
}

const mtimeOf = (file: string): number | null => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
};

/**
 * Replaces the emulator's state with the saved one (keys the file lacks keep their initial values).
 * Returns the file's mtime, or null when there is no readable file.
 */
export function loadEmulatorState(file: string, emulator: { readonly state: object; upgradeLoadedState?(): void }): number | null {
  try {
    const mtime = mtimeOf(file);
    Object.assign(emulator.state, JSON.parse(fs.readFileSync(file, 'utf8'), reviver));
    emulator.upgradeLoadedState?.();
    return mtime;
  } catch {
    // first start, or an unreadable snapshot: begin with the emulator's initial state
    return null;
  }
}

/** Writes the state atomically (temp file, then rename). Returns the new file's mtime. */
export function saveEmulatorState(file: string, emulator: { readonly state: object }): number | null {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(emulator.state, replacer));
  fs.renameSync(`${file}.tmp`, file);
  return mtimeOf(file);
}

/**
 * The in-app (demo) emulators keep their state in `.data/emulators/<name>.json`, so restarting
 * `npm run dev` does not forget the demo Zoom/Google accounts a host linked (their tokens would
 * otherwise be refused and the link would show as revoked). Another process may rewrite the file
 * while the app runs (`npm run db:seed` links the demo host by issuing tokens into it): each request
 * first reloads the file when its mtime differs from the one last loaded or saved here.
 * Standalone emulators used by tests stay purely in memory.
 */
export function persistEmulatorState<E extends Emulator>(name: string, emulator: E): E {
  const file = emulatorStateFile(name);
  let known = loadEmulatorState(file, emulator);
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    timer = undefined;
    try {
      known = saveEmulatorState(file, emulator);
    } catch (error) {
      console.warn(`[emulator:${name}] could not save its state`, error);
    }
  };
  const handle = emulator.handle.bind(emulator);
  const wrapped = Object.create(emulator) as E;
  Object.defineProperty(wrapped, 'handle', {
    value: async (request: Request) => {
      const mtime = mtimeOf(file);
      if (mtime !== null && mtime !== known && !timer) known = loadEmulatorState(file, emulator) ?? known;
      const response = await handle(request);
      // Token refreshes and meeting writes change state; reads only add to the call log.
      if (request.method !== 'GET' && !timer) timer = setTimeout(save, 250);
      return response;
    },
  });
  return wrapped;
}
