import { randomInt } from 'node:crypto';
import type { MeetingSecurity } from './state';

/**
 * Meeting passcodes against a user's meeting security policy (`meeting_password_requirement`), as Zoom
 * applies it to `password` on create/update: at most 10 characters of letters, digits and `@ - _ *`;
 * at least `length`; letters/digits/special characters/upper and lower case when required; digits only
 * when `only_allow_numeric`; and no run of `consecutive_characters_length` (0: no rule) characters that
 * are the same (`1111`) or step by one up or down (`1234`, `dcba`).
 */

export const PASSCODE_CHARACTERS = /^[A-Za-z0-9@\-_*]{1,10}$/;

function longestRun(password: string): number {
  let best = password.length > 0 ? 1 : 0;
  for (const step of [0, 1, -1]) {
    let run = 1;
    for (let i = 1; i < password.length; i++) {
      run = password.charCodeAt(i) - password.charCodeAt(i - 1) === step ? run + 1 : 1;
      best = Math.max(best, run);
    }
  }
  return best;
}

/** What is wrong with `password` under the policy (empty when it is fine). */
export function passcodeProblems(password: string, security: MeetingSecurity): string[] {
  const rule = security.meeting_password_requirement;
  if (!PASSCODE_CHARACTERS.test(password)) return ['Passcode may only contain letters, numbers and @ - _ *, 10 characters at most.'];
  const problems: string[] = [];
  if (password.length < rule.length) problems.push(`Passcode must be at least ${rule.length} characters.`);
  if (rule.only_allow_numeric && !/^\d+$/.test(password)) problems.push('Passcode may only contain numbers.');
  if (rule.have_letter && !/[A-Za-z]/.test(password)) problems.push('Passcode must contain at least one letter.');
  if (rule.have_number && !/\d/.test(password)) problems.push('Passcode must contain at least one number.');
  if (rule.have_special_character && !/[@\-_*]/.test(password)) problems.push('Passcode must contain at least one special character (@ - _ *).');
  if (rule.have_upper_and_lower_characters && !(/[a-z]/.test(password) && /[A-Z]/.test(password))) {
    problems.push('Passcode must contain both uppercase and lowercase letters.');
  }
  if (rule.consecutive_characters_length > 0 && longestRun(password) >= rule.consecutive_characters_length) {
    problems.push(`Passcode cannot contain ${rule.consecutive_characters_length} or more consecutive characters.`);
  }
  return problems;
}

/** A passcode Zoom would generate for the policy (6 characters unless the policy asks for more). */
export function generatePasscode(security: MeetingSecurity): string {
  const rule = security.meeting_password_requirement;
  const length = Math.min(10, Math.max(6, rule.length));
  const digits = '23456789';
  const letters = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const alphabet = rule.only_allow_numeric ? `01${digits}` : `${letters}${digits}${rule.have_special_character ? '@-_*' : ''}`;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
    if (passcodeProblems(out, security).length === 0) return out;
  }
  throw new Error('No passcode satisfies this meeting security policy');
}
