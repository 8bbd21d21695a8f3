import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * What the HTTP benches share (bench:slots, bench:http, bench:page): a production build in a dist dir
 * of their own, `next start` processes on free ports, a seed step run as a child (PGlite allows one
 * process at a time), and a health wait. Prints nothing itself.
 */

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs a command to completion; rejects with the tail of its output. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${label} failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
}

/** Runs a TypeScript entry point of ours with tsx and the server-only shim (a bench's `--seed` child mode). */
export const runScript = (file: string, args: string[], env: NodeJS.ProcessEnv, label: string) =>
  runCommand('npx', ['tsx', '--import', './lib/server-only-node.mjs', file, ...args], env, label);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The environment of a production server with a fresh secret set, its own dist dir and data dir. */
export function productionEnv(distDir: string, dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: '1',
    AKI_DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    AKI_WORKER: '0',
    AKI_RATE_LIMIT: '0',
    AKI_DEMO: '0',
    DATABASE_URL: '',
    ...extra,
  };
}

/** `next build` into env.NEXT_DIST_DIR; returns the seconds it took. */
export async function buildNext(env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  await runCommand('npx', ['next', 'build'], env, 'next build');
  return (performance.now() - t0) / 1000;
}

export function httpGet(agent: http.Agent, port: number, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, agent, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

export type NextServer = { port: number; process: ChildProcess; logs: () => string; stop: () => void };

/** `next start` on a free port (APP_URL pointing at it), healthy before it returns; `stop` ends its process group. */
export async function startNextServer(env: NodeJS.ProcessEnv): Promise<NextServer> {
  const port = await freePort();
  const serverEnv = { ...env, APP_URL: `http://127.0.0.1:${port}`, PORT: String(port) };
  // Its own process group, so the whole tree (npx → next) is stopped at the end.
  const child = spawn('npx', ['next', 'start', '-p', String(port), '-H', '127.0.0.1'], { cwd: ROOT, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout?.on('data', (d) => {
    log += d;
  });
  child.stderr?.on('data', (d) => {
    log += d;
  });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', stop);
  const server: NextServer = { port, process: child, logs: () => log.slice(-4000), stop };
  try {
    await waitForHealth(server);
  } catch (error) {
    stop();
    throw error;
  }
  return server;
}

async function waitForHealth(server: NextServer): Promise<void> {
  const agent = new http.Agent({ keepAlive: false });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) throw new Error(`next start exited (${server.process.exitCode}):\n${server.logs()}`);
    try {
      const res = await httpGet(agent, server.port, '/api/health');
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy:\n${server.logs()}`);
}

/** Median/percentiles of millisecond samples. */
export function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, median: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN, mean };
}

/** The p-th percentile (nearest rank) of ascending samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
