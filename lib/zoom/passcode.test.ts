import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { longestRun, PASSCODE_MAX_LENGTH, passcodeFor, passcodeProblems } from './passcode';
import type { PasscodePolicy } from './users';

const policyArb: fc.Arbitrary<PasscodePolicy> = fc
  .record({
    required: fc.boolean(),
    length: fc.integer({ min: 0, max: 10 }),
    haveLetter: fc.boolean(),
    haveNumber: fc.boolean(),
    haveSpecialCharacter: fc.boolean(),
    onlyNumeric: fc.boolean(),
    consecutiveCharactersLength: fc.constantFrom(0, 4, 5, 6, 7, 8),
    haveUpperAndLower: fc.boolean(),
  })
  // Zoom's settings page makes "numeric only" exclusive of letters and special characters.
  .map((p) => (p.onlyNumeric ? { ...p, haveLetter: false, haveSpecialCharacter: false, haveUpperAndLower: false } : p));

const randomArb = fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map((stream) => {
  const it = stream[Symbol.iterator]();
  return () => it.next().value as number;
});

const NO_RULES: PasscodePolicy = {
  required: false,
  length: 0,
  haveLetter: false,
  haveNumber: false,
  haveSpecialCharacter: false,
  onlyNumeric: false,
  consecutiveCharactersLength: 0,
};

describe('passcodeFor', () => {
  it('every generated passcode satisfies every policy (and never has a run of 3)', () => {
    fc.assert(
      fc.property(policyArb, randomArb, (policy, random) => {
        const passcode = passcodeFor(policy, random);
        expect(passcodeProblems(policy, passcode)).toEqual([]);
        expect(passcode.length).toBeLessThanOrEqual(PASSCODE_MAX_LENGTH);
        expect(passcode.length).toBeGreaterThanOrEqual(Math.max(8, Math.min(policy.length, 10)));
        expect(passcode).toMatch(/^[A-Za-z0-9@\-_*]+$/);
        expect(longestRun(passcode)).toBeLessThan(3);
        if (policy.onlyNumeric) expect(passcode).toMatch(/^\d+$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('also with the worst randomness (always 0, always just below 1)', () => {
    for (const value of [0, 0.999999999]) {
      for (const policy of [NO_RULES, { ...NO_RULES, onlyNumeric: true, length: 10, consecutiveCharactersLength: 4 }, { ...NO_RULES, haveSpecialCharacter: true, consecutiveCharactersLength: 4 }]) {
        const passcode = passcodeFor(policy, () => value);
        expect(passcodeProblems(policy, passcode), passcode).toEqual([]);
        expect(longestRun(passcode)).toBeLessThan(3);
      }
    }
  });

  it('uses secure randomness by default: two passcodes differ', () => {
    expect(passcodeFor(NO_RULES)).not.toBe(passcodeFor(NO_RULES));
  });
});

describe('passcodeProblems', () => {
  it('names what Zoom would refuse', () => {
    const strict: PasscodePolicy = { ...NO_RULES, length: 8, haveLetter: true, haveNumber: true, haveSpecialCharacter: true, consecutiveCharactersLength: 4, haveUpperAndLower: true };
    expect(passcodeProblems(strict, 'aB3*xk9Q')).toEqual([]);
    expect(passcodeProblems(strict, 'ab3*')).toEqual(['too_short', 'needs_upper_and_lower']);
    expect(passcodeProblems(strict, 'aB1234*xQ')).toEqual(['consecutive_characters']);
    expect(passcodeProblems(strict, 'aB3*xkkkk')).toEqual(['consecutive_characters']);
    expect(passcodeProblems(strict, 'aB3*xk9Q!')).toEqual(['invalid_character']);
    expect(passcodeProblems(strict, 'aB3*xk9Q123')).toEqual(['too_long']);
    expect(passcodeProblems({ ...NO_RULES, onlyNumeric: true }, '12a')).toEqual(['not_numeric']);
    expect(passcodeProblems({ ...NO_RULES, haveNumber: true }, 'abc')).toEqual(['needs_number']);
  });

  it('longestRun counts identical, ascending and descending runs', () => {
    expect(longestRun('')).toBe(0);
    expect(longestRun('a')).toBe(1);
    expect(longestRun('a1z9')).toBe(1);
    expect(longestRun('x1234y')).toBe(4);
    expect(longestRun('x9876y')).toBe(4);
    expect(longestRun('aaab')).toBe(3);
    expect(longestRun('aBcD')).toBe(4);
    expect(longestRun('1212')).toBe(2);
    expect(longestRun('1233')).toBe(3);
  });
});
