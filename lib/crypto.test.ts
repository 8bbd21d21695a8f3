import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, safeEqual, sha256Hex } from './crypto';

describe('secrets at rest', () => {
  const key = randomBytes(32);
  it('round-trips and never stores the plain text', () => {
    const sealed = encryptSecret('zoom-refresh-token', key);
    expect(sealed).not.toContain('zoom-refresh-token');
    expect(decryptSecret(sealed, key)).toBe('zoom-refresh-token');
    expect(encryptSecret('same', key)).not.toBe(encryptSecret('same', key));
  });
  it('refuses a tampered value or another key', () => {
    const sealed = encryptSecret('value', key);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => decryptSecret(parts.join('.'), key)).toThrow();
    expect(() => decryptSecret(sealed, randomBytes(32))).toThrow();
  });
  it('hashes and compares', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
  });
});
