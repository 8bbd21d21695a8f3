import { describe, expect, it } from 'vitest';
import en from '@/lib/i18n/messages/en/organisation.json';
import ja from '@/lib/i18n/messages/ja/organisation.json';

const keys = (value: unknown, prefix = ''): string[] =>
  value && typeof value === 'object' ? Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key)) : [prefix];

describe('organisation messages', () => {
  it('ja and en have the same keys, none empty', () => {
    expect(keys(ja).sort()).toEqual(keys(en).sort());
    for (const messages of [en, ja]) {
      for (const key of keys(messages)) {
        const text = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
        expect(typeof text === 'string' && text.trim().length > 0, key).toBe(true);
      }
    }
  });
});
