import fs from 'node:fs';
import path from 'node:path';
import { env } from '@/lib/env';

// Zoom's int64 ids are BigInts in the emulator; JSON needs them tagged.
const BIGINT_TAG = '$bigint';
const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? { [BIGINT_TAG]: value.toString() } : value);
const reviver = (_key: string, value: unknown) =>
  value && typeof value === 'object' && BIGINT_TAG in value && Object.keys(value).length === 1 ? BigInt((value as Record<string, string>)[BIGINT_TAG]!) : value;

type Emulator = { handle(request: Request): Promise<Response>; readonly state: object };

/**
 * The in-app (demo) emulators keep their state in `.data/emulators/<name>.json`, so restarting
 * `npm run dev` does not forget the demo Zoom/Google accounts a host linked (their tokens would
 * otherwise be refused and the link would show as revoked). Standalone emulators used by tests
 * stay purely in memory.
 */
export function persistEmulatorState<E extends Emulator>(name: string, emulator: E): E {
  const file = path.join(env().dataDir, 'emulators', `${name}.json`);
  try {
    Object.assign(emulator.state, JSON.parse(fs.readFileSync(file, 'utf8'), reviver));
  } catch {
    // first start, or an unreadable snapshot: begin with the emulator's initial state
  }
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    timer = undefined;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(emulator.state, replacer));
      fs.renameSync(`${file}.tmp`, file);
    } catch (error) {
      console.warn(`[emulator:${name}] could not save its state`, error);
    }
  };
  const handle = emulator.handle.bind(emulator);
  const wrapped = Object.create(emulator) as E;
  Object.defineProperty(wrapped, 'handle', {
    value: async (request: Request) => {
      const response = await handle(request);
      // Token refreshes and meeting writes change state; reads only add to the call log.
      if (request.method !== 'GET' && !timer) timer = setTimeout(save, 250);
      return response;
    },
  });
  return wrapped;
}
