import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage } from './config';

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['ja-JP,ja;q=0.9,en;q=0.8', 'ja'],
    ['en-US,en;q=0.9,ja;q=0.8', 'en'],
    ['fr-FR,ja;q=0.5,en;q=0.4', 'ja'],
    ['de,en;q=0.2,ja;q=0.9', 'ja'],
    ['fr', 'en'],
    ['', 'en'],
    [null, 'en'],
  ])('%s → %s', (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });
});
