import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquirePgliteLock, DatabaseLockedError } from './client';

describe('PGlite directory lock', () => {
  it('refuses a directory held by another live process, with a clear message', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aki-lock-')), 'pglite');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      fs.writeFileSync(`${dir}.lock`, String(other.pid));
      expect(() => acquirePgliteLock(dir)).toThrow(DatabaseLockedError);
      expect(() => acquirePgliteLock(dir)).toThrow(/already open in another process .*DATABASE_URL/s);
    } finally {
      other.kill();
    }
  });

  it('takes over a lock left by a process that is gone', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aki-lock-')), 'pglite');
    fs.writeFileSync(`${dir}.lock`, '999999999');
    acquirePgliteLock(dir);
    expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
  });
});
