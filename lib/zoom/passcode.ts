import type { PasscodePolicy } from './users';

/**
 * Meeting passcodes that the Zoom user's policy accepts (GET /users/{id}/settings?option=meeting_security).
 * Pure: the randomness is a parameter. Zoom allows at most 10 characters from `[A-Za-z0-9@-_*]`.
 *
 * Runs: Zoom's `consecutive_characters_length` refuses runs of identical or sequential characters
 * ("aaaa", "1234", "4321"); whatever the rule's exact threshold, these passcodes never contain a
 * run of 3 (the smallest the rule allows is 4), so they pass any setting of it.
 */

export const PASSCODE_MAX_LENGTH = 10;
/** Used when the policy asks for less (or nothing): long enough to be worth having. */
const DEFAULT_LENGTH = 8;

const DIGITS = '0123456789';
const LOWER = 'abcdefghijkmnpqrstuvwxyz'; // no l/o: easy to read aloud
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I/O
const SPECIAL = '@-_*';
const ALLOWED = /^[A-Za-z0-9@\-_*]*$/;

type CharClass = 'digit' | 'lower' | 'upper' | 'special' | 'any';

/** [0, 1) like Math.random. */
export type Random = () => number;

const secureRandom: Random = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

const pick = <T>(items: readonly T[], random: Random): T => items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;

/** Characters compared for runs: letters case-insensitively, everything by its code. */
const runCode = (char: string) => char.toLowerCase().charCodeAt(0);

/** c extends p2,p1 into a run of 3 identical, ascending or descending characters. */
function makesRunOf3(p2: string | undefined, p1: string | undefined, c: string): boolean {
  if (p2 === undefined || p1 === undefined) return false;
  const [a, b, d] = [runCode(p2), runCode(p1), runCode(c)];
  const step = b - a;
  return (step === 0 || step === 1 || step === -1) && d - b === step;
}

/** The longest run of identical, ascending or descending consecutive characters in `passcode`. */
export function longestRun(passcode: string): number {
  if (passcode.length === 0) return 0;
  let longest = 1;
  let length = 1;
  let step: number | null = null;
  for (let i = 1; i < passcode.length; i++) {
    const d = runCode(passcode[i]!) - runCode(passcode[i - 1]!);
    if (d >= -1 && d <= 1) {
      length = d === step ? length + 1 : 2;
      step = d;
    } else {
      length = 1;
      step = null;
    }
    longest = Math.max(longest, length);
  }
  return longest;
}

/** What is wrong with `passcode` under `policy` ([]: Zoom accepts it). */
export function passcodeProblems(policy: PasscodePolicy, passcode: string): string[] {
  const problems: string[] = [];
  if (passcode.length > PASSCODE_MAX_LENGTH) problems.push('too_long');
  if (!ALLOWED.test(passcode)) problems.push('invalid_character');
  if (passcode.length < Math.min(policy.length, PASSCODE_MAX_LENGTH)) problems.push('too_short');
  if (policy.onlyNumeric && !/^\d*$/.test(passcode)) problems.push('not_numeric');
  if (!policy.onlyNumeric) {
    if (policy.haveLetter && !/[A-Za-z]/.test(passcode)) problems.push('needs_letter');
    if (policy.haveUpperAndLower && !(/[A-Z]/.test(passcode) && /[a-z]/.test(passcode))) problems.push('needs_upper_and_lower');
    if (policy.haveSpecialCharacter && !/[@\-_*]/.test(passcode)) problems.push('needs_special');
  }
  if (policy.haveNumber && !/\d/.test(passcode)) problems.push('needs_number');
  if (policy.consecutiveCharactersLength > 0 && longestRun(passcode) >= policy.consecutiveCharactersLength) problems.push('consecutive_characters');
  return problems;
}

/**
 * A passcode the policy accepts: `policy.length` characters (at least 8, at most 10), digits only
 * when the policy says so, otherwise letters and digits (plus a special character when required),
 * never a run of 3 identical or sequential characters.
 */
export function passcodeFor(policy: PasscodePolicy, random: Random = secureRandom): string {
  const length = Math.min(PASSCODE_MAX_LENGTH, Math.max(policy.length, DEFAULT_LENGTH));
  const required: CharClass[] = [];
  if (policy.onlyNumeric) {
    while (required.length < length) required.push('digit');
  } else {
    // Always a letter and a digit: harmless under every policy, and what most require.
    required.push('digit', 'lower', 'upper');
    if (policy.haveSpecialCharacter) required.push('special');
    while (required.length < length) required.push('any');
  }
  // Shuffle the classes (Fisher–Yates) so the required characters are not always first.
  for (let i = required.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1)) % (i + 1);
    [required[i], required[j]] = [required[j]!, required[i]!];
  }
  const pools: Record<CharClass, string> = { digit: DIGITS, lower: LOWER, upper: UPPER, special: SPECIAL, any: DIGITS + LOWER + UPPER };
  let out = '';
  for (const charClass of required) {
    // At most one character of a pool can complete a run of 3, and every pool has 4 or more.
    const candidates = [...pools[charClass]].filter((c) => !makesRunOf3(out.at(-2), out.at(-1), c));
    out += pick(candidates, random);
  }
  return out;
}
