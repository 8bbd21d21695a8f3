import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret } from '@/lib/crypto';
import { persistEmulatorState } from '@/lib/emulators/persist';
import { createZoomEmulator, type ZoomEmulator } from '@/lib/emulators/zoom/emulator';
import { appZoomEmulatorOptions } from '@/lib/emulators/zoom/instance';
import { resetEnvCache } from '@/lib/env';
import { getPublicTeamPage } from '@/lib/teams/queries';
import { getZoomAccessToken } from '@/lib/zoom/tokens';
import { closeDb, getDb } from './client';
import { users } from './schema/hosts';
import { zoomConnections } from './schema/integrations';

/**
 * `npm run db:seed` in demo mode links the demo host to the emulator's demo Zoom user: the seed runs
 * as its own process against this file's throwaway database and data dir; the stored link's token
 * must then work against an emulator loaded from the saved state file — also one that was already
 * running when the seed re-linked (it picks the rewritten file up).
 */

const root = path.resolve(import.meta.dirname, '../..');
const DEMO_ZOOM_USER = 'KdYKjnimT4KPd8FFgQt9FQ';
const dataDir = process.env.AKI_DATA_DIR!;
const stateFile = path.join(dataDir, 'emulators', 'zoom.json');

// PGlite allows one process per directory: on PGlite the seed and this file share a real directory, one after the other.
const pgliteDir = process.env.DATABASE_URL ? null : path.join(dataDir, 'pglite');
if (pgliteDir) process.env.PGLITE_DIR = pgliteDir;
resetEnvCache();

async function seed(demo: '1' | '0'): Promise<string> {
  await closeDb();
  // This process's PGlite lock is released only at exit: hand the directory over to the seed.
  if (pgliteDir) fs.rmSync(`${pgliteDir}.lock`, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, AKI_DEMO: demo };
  for (const key of Object.keys(env)) if (key.startsWith('ZOOM_')) delete env[key];
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './lib/server-only-node.mjs', 'lib/db/seed.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

async function link() {
  const db = await getDb();
  const [host] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'demo@example.com'));
  const rows = await db.select().from(zoomConnections).where(eq(zoomConnections.userId, host!.id));
  return { hostId: host!.id, rows };
}

const me = (emulator: ZoomEmulator, token: string) =>
  emulator.handle(new Request('http://localhost:3000/api/emulators/zoom/v2/users/me', { headers: { authorization: `Bearer ${token}` } }));

beforeAll(() => {
  fs.rmSync(stateFile, { force: true });
});

afterAll(async () => {
  await closeDb();
});

describe('npm run db:seed (demo mode)', () => {
  it('links the demo host to the demo Zoom user with tokens the emulator knows; a re-run refreshes the link; off outside demo', async () => {
    const log = await seed('1');
    expect(log).toContain('Linked demo@example.com to the demo Zoom user demo.host@zoom-demo.example');
    const first = await link();
    expect(first.rows).toHaveLength(1);
    expect(first.rows[0]).toMatchObject({ zoomUserId: DEMO_ZOOM_USER, zoomEmail: 'demo.host@zoom-demo.example', status: 'active' });
    expect(first.rows[0]!.scopes.split(' ')).toEqual(expect.arrayContaining(['meeting:write:meeting', 'meeting:read:list_past_participants']));
    expect(first.rows[0]!.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    // Through lib/zoom's own storage (encrypted; fresh, so no refresh round trip).
    const firstToken = await getZoomAccessToken(first.hostId);
    expect(first.rows[0]!.accessTokenEnc).not.toContain(firstToken);

    // An emulator loaded from the saved state (what `npm run dev` does) accepts the token.
    const running = persistEmulatorState('zoom', createZoomEmulator(appZoomEmulatorOptions()));
    const answer = await me(running, firstToken);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ id: DEMO_ZOOM_USER, email: 'demo.host@zoom-demo.example' });

    // Re-run while that emulator "runs": it picks the rewritten state file up on its next request.
    await seed('1');
    const second = await link();
    expect(second.rows).toHaveLength(1);
    const secondToken = decryptSecret(second.rows[0]!.accessTokenEnc);
    expect(secondToken).not.toBe(firstToken);
    expect((await me(running, secondToken)).status).toBe(200);
    expect((await me(running, firstToken)).status).toBe(401); // superseded by the new authorisation
    expect(running.state.tokenSets.filter((s) => s.userId === DEMO_ZOOM_USER).map((s) => s.revokedReason)).toEqual(['superseded', null]);

    // Not in non-demo mode: the link and the emulator's state stay as they are.
    const before = fs.readFileSync(stateFile, 'utf8');
    const log3 = await seed('0');
    expect(log3).not.toContain('Zoom');
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(before);
    const third = await link();
    expect(decryptSecret(third.rows[0]!.accessTokenEnc)).toBe(secondToken);

    // The demo-team organisation (issue 15): demo and demo2 (linked to their own demo Zoom user) on a
    // round-robin and a collective team page with the hours of /demo/intro; re-runs keep them.
    expect(log).toContain('Linked demo2@example.com to the demo Zoom user demo2.host@zoom-demo.example');
    expect(log).toContain('+ team page /team/demo-team/intro (round-robin, 2 members)');
    expect(log).toContain('+ team page /team/demo-team/panel (collective, 2 members)');
    expect(log3).toContain('= team page /team/demo-team/intro (round-robin, kept)');
    const intro = await getPublicTeamPage('demo-team', 'intro');
    const panel = await getPublicTeamPage('demo-team', 'panel');
    expect(intro?.page.teamKind).toBe('round_robin');
    expect(panel?.page.teamKind).toBe('collective');
    expect(intro?.members.map((m) => m.handle)).toEqual(['demo', 'demo2']);
    expect(panel?.members.map((m) => m.handle)).toEqual(['demo', 'demo2']);
    expect(intro?.page.weeklyHours.mon).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
  }, 240_000); // three seed processes (each migrates PGlite when there is no Postgres)
});
