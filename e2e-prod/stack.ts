import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { startSmtpSink } from './smtp-sink';
import { STACK_FILE, type StackInfo } from './stack-info';

/**
 * The production stack of e2e-prod (started by playwright.prod.config.ts as its web server):
 * `next build` into .next-prod, a fresh Postgres database (or PGlite when no Postgres answers),
 * `npm run db:migrate`, the standalone Zoom and Google emulators as their own processes, an SMTP
 * sink, `npm start` (NODE_ENV=production, demo off, AKI_WORKER=0, APP_URL=http://aki.test:PORT) and
 * `npm run worker` as a separate process the test can stop and start. A small control server lets
 * the test read the sunk mails and the worker's log; its address goes to .data/e2e-prod/stack.json.
 */

const port = Number(process.env.E2E_PROD_PORT ?? 3121);
const appUrl = `http://aki.test:${port}`;
const dataDir = path.resolve('.data/e2e-prod');
// E2E_PROD_DIST_DIR lets a run reuse another build of the same checkout (the output does not depend on the environment).
const distDir = process.env.E2E_PROD_DIST_DIR || '.next-prod';
const children = new Set<ChildProcess>();
const groups = new Set<number>();

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM to a whole process group, then wait until every process in it is gone. */
async function stopGroup(pid: number): Promise<void> {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
  for (let i = 0; i < 300 && groupAlive(pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  groups.delete(pid);
}
const log = (message: string) => console.log(`[stack] ${message}`);

/** `group`: its own process group, so stopping it reaches npm, tsx and node alike (npm does not pass SIGTERM on). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, name: string, group = false): ChildProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  children.add(child);
  if (group) groups.add(child.pid!);
  child.on('exit', () => children.delete(child));
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => `[${name}] ${line}`)
      .join('\n');
  child.stdout!.on('data', (chunk: Buffer) => console.log(prefix(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => console.error(prefix(chunk)));
  return child;
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv, name: string): Promise<void> {
  const child = run(command, args, env, name);
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}`)))));
}

/** Starts an emulator (`npm run emulator:<name> -- --port 0 …`) and returns the URL it prints. */
function startEmulator(name: 'zoom' | 'google', args: string[]): Promise<string> {
  const child = run('npm', ['run', '-s', `emulator:${name}`, '--', '--port', '0', ...args], process.env, `emulator:${name}`);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"emulator"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`emulator:${name} exited with ${code}`)));
  });
}

/** A throwaway database on DATABASE_URL's server, or on a local Postgres if one answers; null → PGlite. */
async function createDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const server = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    if (process.env.DATABASE_URL) throw error;
    log(`no Postgres at 127.0.0.1:5432 (${(error as Error).message}): using PGlite, the worker runs inside the web process`);
    return null;
  }
  const name = `aki_e2e_prod_${Date.now()}_${process.pid}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function main(): Promise<void> {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });

  if (process.env.E2E_PROD_SKIP_BUILD === '1' && fs.existsSync(path.join(distDir, 'BUILD_ID'))) {
    log(`reusing the build in ${distDir} (E2E_PROD_SKIP_BUILD=1)`);
  } else {
    await runToEnd('npm', ['run', '-s', 'build'], { ...process.env, NEXT_DIST_DIR: distDir }, 'build');
  }

  const database = await createDatabase();
  cleanups.push(async () => database?.drop());
  const sink = await startSmtpSink();
  cleanups.push(() => sink.close());

  const zoom = { clientId: 'prod-zoom-client', clientSecret: 'prod-zoom-secret', webhookSecret: 'prod-zoom-webhook-secret' };
  const google = { clientId: 'prod-google-client.apps.googleusercontent.com', clientSecret: 'prod-google-secret' };
  const [zoomUrl, googleUrl] = await Promise.all([
    startEmulator('zoom', [
      '--client-id', zoom.clientId,
      '--client-secret', zoom.clientSecret,
      '--webhook-secret', zoom.webhookSecret,
      // Webhooks are server to server: the emulator reaches the app on 127.0.0.1.
      '--webhook-url', `http://127.0.0.1:${port}/api/webhooks/zoom`,
      '--redirect-uri', `${appUrl}/api/integrations/zoom/callback`,
    ]),
    startEmulator('google', [
      '--client-id', google.clientId,
      '--client-secret', google.clientSecret,
      '--redirect-uri', `${appUrl}/api/integrations/google/callback`,
      '--redirect-uri', `${appUrl}/api/auth/callback/google`,
    ]),
  ]);

  // Only what a production deployment sets: no demo, no in-process worker when a separate one can run.
  const appEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: '1',
    APP_URL: appUrl,
    AUTH_SECRET: 'e2e-prod-auth-secret-0123456789abcdefghijkl',
    ENCRYPTION_KEY: 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100',
    AKI_DATA_DIR: dataDir,
    AKI_DEMO: '0',
    AKI_WORKER: database ? '0' : '1',
    AKI_RATE_LIMIT: '0',
    ...(database ? { DATABASE_URL: database.url } : { DATABASE_URL: '' }),
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    MAIL_FROM: 'Aki <aki@aki.test>',
    ZOOM_CLIENT_ID: zoom.clientId,
    ZOOM_CLIENT_SECRET: zoom.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: zoom.webhookSecret,
    ZOOM_OAUTH_URL: zoomUrl,
    ZOOM_API_URL: `${zoomUrl}/v2`,
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_OAUTH_URL: googleUrl,
    GOOGLE_TOKEN_URL: googleUrl,
    GOOGLE_API_URL: googleUrl,
  };

  await runToEnd('npm', ['run', '-s', 'db:migrate'], appEnv, 'migrate');

  let worker: ChildProcess | null = null;
  let workerLog = '';
  const startWorker = () => {
    if (worker || !database) return;
    const child = run('npm', ['run', '-s', 'worker'], appEnv, 'worker', true);
    const keep = (chunk: Buffer) => {
      workerLog += chunk.toString();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('exit', () => {
      if (worker === child) worker = null;
    });
    worker = child;
  };
  const stopWorker = async () => {
    const child = worker;
    if (!child) return;
    worker = null;
    await stopGroup(child.pid!);
  };
  startWorker();

  const control = http.createServer((req, res) => {
    const answer = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      if (req.url === '/mails') return answer(sink.mails);
      if (req.url === '/worker/log') return answer({ running: worker !== null, log: workerLog });
      if (req.url === '/worker/stop' && req.method === 'POST') {
        await stopWorker();
        return answer({ running: false });
      }
      if (req.url === '/worker/start' && req.method === 'POST') {
        const starts = () => workerLog.split('"msg":"worker started"').length;
        const before = starts();
        startWorker();
        // Ready once it has logged its start line.
        for (let i = 0; i < 300 && worker && starts() === before; i += 1) await new Promise((r) => setTimeout(r, 100));
        return answer({ running: worker !== null });
      }
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => control.close(() => resolve())));

  const info: StackInfo = {
    appUrl,
    localUrl: `http://127.0.0.1:${port}`,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    zoomUrl,
    googleUrl,
    database: database ? 'postgres' : 'pglite',
    separateWorker: database !== null,
  };
  fs.writeFileSync(STACK_FILE, JSON.stringify(info, null, 2));
  log(JSON.stringify(info));

  // Last: Playwright waits for this server's /api/health, so everything above is ready by then.
  run('npm', ['start', '--', '-p', String(port), '-H', '127.0.0.1'], appEnv, 'web');
}

const cleanups: (() => Promise<unknown>)[] = [];
let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all([...groups].map(stopGroup));
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`cleanup failed: ${error}`));
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch((error) => {
  console.error('[stack] failed:', error);
  void shutdown(1);
});
