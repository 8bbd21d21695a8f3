import { describe, expect, it } from 'vitest';
import { API_TOKEN_PATTERN, bearerToken, createApiTokenSchema } from './schema';

describe('API token helpers', () => {
  it('reads the bearer token of an Authorization header', () => {
    expect(bearerToken('Bearer aki_abc')).toBe('aki_abc');
    expect(bearerToken('bearer   aki_abc  ')).toBe('aki_abc');
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
  });

  it('recognises the token shape and validates names', () => {
    expect(API_TOKEN_PATTERN.test(`aki_${'x'.repeat(43)}`)).toBe(true);
    expect(API_TOKEN_PATTERN.test(`akx_${'x'.repeat(43)}`)).toBe(false);
    expect(API_TOKEN_PATTERN.test('aki_short')).toBe(false);
    expect(createApiTokenSchema.parse({ name: '  CI  ' })).toEqual({ name: 'CI' });
    expect(createApiTokenSchema.safeParse({ name: ' ' }).error?.issues[0]?.message).toBe('required');
    expect(createApiTokenSchema.safeParse({ name: 'x'.repeat(81) }).error?.issues[0]?.message).toBe('too_long');
    expect(createApiTokenSchema.safeParse({ name: 'C\u0000I' }).error?.issues[0]?.message).toBe('control_characters');
  });
});
