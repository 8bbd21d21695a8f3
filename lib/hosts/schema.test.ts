import { describe, expect, it } from 'vitest';
import { handleSchema, profileSchema } from './schema';

describe('handle', () => {
  it.each(['api', 'dashboard', 'login', 'settings', 'mailbox'])('refuses the reserved word %s', (handle) => {
    const result = handleSchema.safeParse(handle);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('handle_reserved');
  });
  it.each(['ab', '-abc', 'abc-', 'a b', 'ユーザー', 'a'.repeat(33), '<script>'])('refuses the malformed %s', (handle) => {
    expect(handleSchema.safeParse(handle).error?.issues[0]?.message).toBe('handle_format');
  });
  it('normalises case and surrounding space', () => {
    expect(handleSchema.parse('  Hana-Sato ')).toBe('hana-sato');
  });
});

describe('profile', () => {
  it('refuses an unknown time zone', () => {
    const result = profileSchema.safeParse({ name: 'A', handle: 'abc', timeZone: 'Mars/Olympus', locale: 'ja' });
    expect(result.error?.issues[0]?.path).toEqual(['timeZone']);
  });
  it('refuses NUL and other control characters in the name (Postgres refuses NUL with a 500)', () => {
    for (const name of ['Ha\u0000na', 'Hana\nSato']) {
      const result = profileSchema.safeParse({ name, handle: 'abc', timeZone: 'Asia/Tokyo', locale: 'ja' });
      expect(result.error?.issues[0]?.message, name).toBe('control_characters');
    }
  });
});
