import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { waitFor } from '@/lib/testing/wait';
import { emulatorStateFile, loadEmulatorState, persistEmulatorState, saveEmulatorState } from './persist';
import { DEFAULT_APP_SCOPES } from './zoom/state';
import { createZoomEmulator } from './zoom/emulator';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aki-persist-'));
const previous = process.env.AKI_DATA_DIR;
process.env.AKI_DATA_DIR = dataDir;
resetEnvCache();
afterAll(() => {
  process.env.AKI_DATA_DIR = previous;
  resetEnvCache();
});

const create = () =>
  persistEmulatorState('zoom', createZoomEmulator({ basePath: '', clientId: 'cid', clientSecret: 'secret', webhookSecretToken: 'whsec' }));

describe('persisted demo emulator', () => {
  it('keeps state written through the wire across a restart', async () => {
    const first = create();
    const response = await first.handle(
      new Request('http://zoom.test/__control/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'kept@zoom-demo.example' }),
      }),
    );
    expect(response.status).toBeLessThan(300);
    // The save is debounced: wait for the snapshot (written to a temp file, then renamed into place).
    await waitFor(() => fs.existsSync(path.join(dataDir, 'emulators', 'zoom.json')), { what: 'the saved state', timeoutMs: 5_000 });

    const second = create();
    const kept = second.state.users.find((user) => user.email === 'kept@zoom-demo.example');
    expect(kept).toBeDefined();
    expect(typeof kept?.pmi).toBe('bigint');
    const fresh = createZoomEmulator({ basePath: '', clientId: 'cid', clientSecret: 'secret', webhookSecretToken: 'whsec' });
    expect(fresh.state.users.map((user) => user.email)).not.toContain('kept@zoom-demo.example');
  });

  it('picks up a state file another process rewrote since it loaded or saved it (the demo seed)', async () => {
    const running = create();
    const state = async () => (await (await running.handle(new Request('http://zoom.test/__control/state'))).json()) as { users: { email: string }[] };
    expect((await state()).users.map((u) => u.email)).not.toContain('seeded@zoom-demo.example');

    // Another process: load the file, change the state, save it.
    const other = createZoomEmulator({ basePath: '', clientId: 'cid', clientSecret: 'secret', webhookSecretToken: 'whsec' });
    const file = emulatorStateFile('zoom');
    loadEmulatorState(file, other);
    other.state.users.push({ ...other.state.users[0]!, id: 'seeded-user', email: 'seeded@zoom-demo.example' });
    const issued = other.issueTokenSet('seeded-user');
    // mtime must differ from the one the running emulator knows.
    await new Promise((resolve) => setTimeout(resolve, 20));
    saveEmulatorState(file, other);

    expect((await state()).users.map((u) => u.email)).toContain('seeded@zoom-demo.example');
    const me = await running.handle(new Request('http://zoom.test/v2/users/me', { headers: { authorization: `Bearer ${issued.access_token}` } }));
    expect(me.status).toBe(200);
  });

  it("adds the app's new default scopes to a state saved by an older version", () => {
    const file = emulatorStateFile('zoom');
    const old = createZoomEmulator({ basePath: '', clientId: 'cid', clientSecret: 'secret', webhookSecretToken: 'whsec' });
    old.state.config.appScopes = ['user:read:user', 'meeting:write:meeting'];
    saveEmulatorState(file, old);
    const loaded = create();
    expect(loaded.state.config.appScopes).toEqual(expect.arrayContaining([...DEFAULT_APP_SCOPES]));
    expect(loaded.state.config.dailyMeetingLimit).toBe(100);
  });
});
