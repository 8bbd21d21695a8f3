import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as book } from '@/app/api/public/pages/[host]/[page]/bookings/route';
import { GET as slots } from '@/app/api/public/pages/[host]/[page]/slots/route';
import { persistEmulatorState } from '@/lib/emulators/persist';
import { serveFetchHandler } from '@/lib/emulators/serve';
import { createZoomEmulator } from '@/lib/emulators/zoom/emulator';
import { appZoomEmulatorOptions } from '@/lib/emulators/zoom/instance';
import { resetEnvCache } from '@/lib/env';
import { closeDb, getDb } from './client';
import { bookings } from './schema/bookings';
import { users } from './schema/hosts';
import { organisationMembers, organisations } from './schema/organisations';
import { zoomConnections } from './schema/integrations';

/**
 * The "Done when" contract of issue 12: with the instance organisation's Zoom app in env (demo mode,
 * the emulator's `demo-account` whose S2S app is demo-s2s), `npm run db:seed` puts the demo host on the
 * organisation's Zoom (no personal Zoom link), and a guest booking of /demo/intro through the public
 * API answers 201 with the meeting created and a join URL — the meeting is in the emulator under the
 * Zoom user demo@example.com of demo-account. The seed runs as its own process (as `npm run db:seed`).
 */

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = process.env.AKI_DATA_DIR!;
const DEMO_ENV = {
  AKI_DEMO: '1',
  AKI_ORG_NAME: 'Demo',
  AKI_ADMIN_EMAILS: 'demo@example.com',
  ZOOM_S2S_ACCOUNT_ID: 'demo-account',
  ZOOM_S2S_CLIENT_ID: 'demo-s2s',
  ZOOM_S2S_CLIENT_SECRET: 'demo-s2s-secret',
};

// PGlite allows one process per directory: on PGlite the seed and this file share a real directory, one after the other.
const pgliteDir = process.env.DATABASE_URL ? null : path.join(dataDir, 'pglite');
if (pgliteDir) process.env.PGLITE_DIR = pgliteDir;
resetEnvCache();

async function seed(): Promise<string> {
  await closeDb();
  if (pgliteDir) fs.rmSync(`${pgliteDir}.lock`, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('ZOOM_')) delete env[key];
  Object.assign(env, DEMO_ENV);
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './lib/server-only-node.mjs', 'lib/db/seed.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`db:seed exited with ${code}: ${err}`);
  expect(JSON.parse(out.trim())).toMatchObject({ host: 'demo', email: 'demo@example.com' });
  return err;
}

let closeServer: () => void = () => {};
afterAll(async () => {
  closeServer();
  await closeDb();
});

beforeAll(() => {
  fs.rmSync(path.join(dataDir, 'emulators', 'zoom.json'), { force: true });
});

describe('npm run db:seed with the instance organisation’s Zoom (the demo contract)', () => {
  it('puts the demo host on the organisation’s Zoom; a guest booking of /demo/intro gets a meeting under demo@example.com of demo-account', async () => {
    const log = await seed();
    expect(log).toContain("uses the organisation's Zoom");

    const db = await getDb();
    const [host] = await db.select().from(users).where(eq(users.email, 'demo@example.com'));
    expect(host!.zoomSource).toBe('organisation');
    expect(await db.select().from(zoomConnections).where(eq(zoomConnections.userId, host!.id))).toHaveLength(0);
    const [membership] = await db
      .select({ role: organisationMembers.role, zoomUserEmail: organisationMembers.zoomUserEmail, isInstance: organisations.isInstance, name: organisations.name })
      .from(organisationMembers)
      .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
      .where(eq(organisationMembers.userId, host!.id));
    expect(membership).toMatchObject({ role: 'owner', zoomUserEmail: 'demo@example.com', isInstance: true, name: 'Demo' });

    // The app's in-process emulator, as `npm run dev` runs it (its state file), served over HTTP; env as in the contract.
    const emulator = persistEmulatorState('zoom', createZoomEmulator(appZoomEmulatorOptions()));
    const server = await serveFetchHandler(emulator.handle, 0);
    closeServer = () => {
      server.closeAllConnections();
      server.close();
    };
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/emulators/zoom`;
    for (const key of Object.keys(process.env)) if (key.startsWith('ZOOM_')) delete process.env[key];
    Object.assign(process.env, DEMO_ENV, { ZOOM_OAUTH_URL: base, ZOOM_API_URL: `${base}/v2` });
    resetEnvCache();

    const params = Promise.resolve({ host: 'demo', page: 'intro' });
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const free = (await (await slots(new Request(`http://localhost/api/public/pages/demo/intro/slots?from=${from}&to=${to}`), { params })).json()) as {
      days: { slots: string[] }[];
    };
    const start = free.days.flatMap((d) => d.slots)[0]!;
    const response = await book(
      new Request('http://localhost/api/public/pages/demo/intro/bookings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ start, name: 'Guest', email: 'guest@example.com', timeZone: 'Asia/Tokyo' }),
      }),
      { params },
    );
    expect(response.status).toBe(201);
    const { booking } = (await response.json()) as { booking: { uid: string; meeting: { provider: string; status: string; joinUrl: string | null } } };
    expect(booking.meeting).toMatchObject({ provider: 'zoom', status: 'created', joinUrl: expect.stringMatching(/^https?:\/\/.+\/j\/\d+/) });

    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booking.uid));
    const meeting = emulator.state.meetings.find((m) => String(m.id) === row!.zoomMeetingId);
    const zoomUser = emulator.state.users.find((u) => u.id === meeting?.hostId);
    expect(zoomUser).toMatchObject({ email: 'demo@example.com', accountId: 'demo-account' });
    expect(row).toMatchObject({ zoomCredential: expect.stringMatching(/^organisation:/), zoomHostUserId: zoomUser!.id });
  }, 240_000);
});
