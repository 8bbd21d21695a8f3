import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The standalone emulators are separate programs: they take flags, never the app's environment,
 * and never touch its data dir (no lib/env.ts anywhere in their import graph).
 */

const root = path.resolve(import.meta.dirname, '../..');

/** Static import graph from `entry` (relative and `@/` imports of our own .ts files). */
function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = match[1] ?? match[2]!;
      const base = spec.startsWith('@/') ? path.join(root, spec.slice(2)) : spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : null;
      if (!base) continue;
      const resolved = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
      if (resolved) visit(resolved);
    }
  };
  visit(entry);
  return seen;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});

/** Starts `npm run emulator:<name>`'s entry point as production would, with only the flags and PATH. */
async function startEmulator(name: 'zoom' | 'google', args: string[], dataDir: string): Promise<{ url: string; env: Record<string, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `lib/emulators/${name}/main.ts`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', AKI_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator:${name} did not start: ${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line && output.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator:${name} exited with ${code}: ${output}`));
    });
  });
}

const FLAGS = ['--port', '0', '--client-id', 'cid-123', '--client-secret', 'secret-456', '--webhook-secret', 'whsec', '--webhook-url', 'http://127.0.0.1:9/api/webhooks/zoom'];

describe('standalone emulators', () => {
  it.each(['zoom', 'google'])('%s: lib/env.ts is not in the import graph of main.ts', (name) => {
    const graph = importGraph(path.join(root, 'lib/emulators', name, 'main.ts'));
    expect(graph.size).toBeGreaterThan(3);
    expect([...graph].map((f) => path.relative(root, f))).not.toContain('lib/env.ts');
  });

  it('zoom: starts with NODE_ENV=production and no app secrets, takes its client from flags, writes no data dir', async () => {
    const dataDir = path.join(os.tmpdir(), `aki-emu-zoom-${process.pid}`);
    const { url, env } = await startEmulator('zoom', FLAGS, dataDir);
    expect(env.ZOOM_API_URL).toBe(`${url}/v2`);
    const authorize = (clientId: string) =>
      fetch(`${url}/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/cb')}`);
    expect((await authorize('cid-123')).status).toBe(200);
    expect((await authorize('aki-demo-zoom-client')).status).not.toBe(200);
    expect(fs.existsSync(dataDir)).toBe(false);
  }, 30_000);

  it('google: the same flags; the client comes from --client-id', async () => {
    const dataDir = path.join(os.tmpdir(), `aki-emu-google-${process.pid}`);
    const { url } = await startEmulator('google', FLAGS, dataDir);
    const authorize = (clientId: string) =>
      fetch(`${url}/o/oauth2/v2/auth?response_type=code&scope=openid&client_id=${clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/cb')}`);
    expect((await authorize('cid-123')).status).toBe(200);
    expect((await authorize('aki-demo-google-client')).status).toBe(401);
    expect(fs.existsSync(dataDir)).toBe(false);
  }, 30_000);
});
