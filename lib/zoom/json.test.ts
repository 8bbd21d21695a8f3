import { describe, expect, it } from 'vitest';
import { stringifyWithInt64 } from '@/lib/emulators/zoom/json';
import { parseJsonPreservingBigInts } from './json';

describe('int64-safe JSON', () => {
  it('keeps integers above 2^53 exact as strings and leaves safe numbers alone', () => {
    const text = '{"id":9007199254740993123,"n":-92233720368547758,"small":85746065432,"f":1.5e3,"d":12.25,"arr":[18014398509481985,1]}';
    expect(parseJsonPreservingBigInts(text)).toEqual({
      id: '9007199254740993123',
      n: '-92233720368547758',
      small: 85746065432,
      f: 1500,
      d: 12.25,
      arr: ['18014398509481985', 1],
    });
  });

  it('never touches digits inside strings, including escaped quotes', () => {
    const text = '{"agenda":"call \\"x\\":90071992547409931234, ok","id":90071992547409931234}';
    expect(parseJsonPreservingBigInts(text)).toEqual({ agenda: 'call "x":90071992547409931234, ok', id: '90071992547409931234' });
  });

  it('round-trips what the emulator writes', () => {
    const id = 9_007_199_254_740_993_456n;
    const text = stringifyWithInt64({ id, uuid: 'aDYlohsHRtCd4ii1uC2+hA==', nested: [{ pmi: 4155552671n }] });
    expect(text).toBe('{"id":9007199254740993456,"uuid":"aDYlohsHRtCd4ii1uC2+hA==","nested":[{"pmi":4155552671}]}');
    expect(parseJsonPreservingBigInts(text)).toEqual({ id: '9007199254740993456', uuid: 'aDYlohsHRtCd4ii1uC2+hA==', nested: [{ pmi: 4155552671 }] });
    // what a naive client would get:
    expect(String((JSON.parse(text) as { id: number }).id)).not.toBe('9007199254740993456');
  });

  it('throws on invalid JSON', () => {
    expect(() => parseJsonPreservingBigInts('<html>Bad gateway</html>')).toThrow();
  });
});
