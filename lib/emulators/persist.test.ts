import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { waitFor } from '@/lib/testing/wait';
import { persistEmulatorState } from './persist';
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
});
