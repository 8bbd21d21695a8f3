import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from './env';
import { defaultLog, stdoutLog } from './log';

const capture = () => {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return { written, restore: () => spy.mockRestore() };
};

afterEach(() => {
  delete process.env.AKI_LOG_LEVEL;
  resetEnvCache();
});

describe('log', () => {
  it('writes one JSON object per line on stdout, time first', () => {
    const out = capture();
    stdoutLog({ level: 'info', msg: 'step', booking: 'abc', attempt: 2 });
    out.restore();
    expect(out.written).toHaveLength(1);
    expect(out.written[0]!.endsWith('\n')).toBe(true);
    expect(out.written[0]!.trim().split('\n')).toHaveLength(1);
    const line = JSON.parse(out.written[0]!);
    expect(Object.keys(line)[0]).toBe('time');
    expect(line).toMatchObject({ level: 'info', msg: 'step', booking: 'abc', attempt: 2 });
  });

  it('defaultLog keeps the lines at or above AKI_LOG_LEVEL', () => {
    process.env.AKI_LOG_LEVEL = 'warn';
    // env() keeps generated dev secrets in the data dir: not in the repository.
    process.env.AKI_DATA_DIR ??= path.join(os.tmpdir(), `aki-log-test-${process.pid}`);
    resetEnvCache();
    const out = capture();
    defaultLog({ level: 'info', msg: 'quiet' });
    defaultLog({ level: 'warn', msg: 'kept' });
    defaultLog({ level: 'error', msg: 'kept too' });
    out.restore();
    expect(out.written.map((w) => JSON.parse(w).msg)).toEqual(['kept', 'kept too']);
  });
});
