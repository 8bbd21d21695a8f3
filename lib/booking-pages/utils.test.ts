import { describe, expect, it } from 'vitest';
import { freeSlug, publicPageUrl } from './utils';

describe('booking page helpers', () => {
  it('suggests the first free slug', () => {
    expect(freeSlug('intro', [])).toBe('intro');
    expect(freeSlug('intro', ['intro', 'intro-2'])).toBe('intro-3');
    const long = `${'a'.repeat(60)}-copy`;
    const suggestion = freeSlug(long, []);
    expect(suggestion.length).toBeLessThanOrEqual(58);
    expect(suggestion).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
    expect(freeSlug('---', [])).toBe('page');
  });

  it('builds public URLs without double slashes', () => {
    expect(publicPageUrl('http://localhost:3000/', 'demo', 'intro')).toBe('http://localhost:3000/demo/intro');
  });
});
