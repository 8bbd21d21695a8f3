import { z } from 'zod';

/**
 * The shared rules for free text people type (names, emails, titles, descriptions, answers, labels).
 * Control characters are never legitimate there: NUL is refused by Postgres (a 500 if it got that
 * far), and line breaks in a one-line field are a classic header/ICS injection vector. Tab is allowed
 * everywhere; CR/LF only in multi-line fields.
 */

/** C0/C1 control characters (tab excepted) and the Unicode line/paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to match control characters
export const CONTROL_ONE_LINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same, but line breaks (LF, CR) are fine. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to match control characters
export const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The code every schema reports for such text (translated in booking.json and pages.json). */
export const CONTROL_CHARACTERS = 'control_characters';

/** The refinement itself, for schemas that are not plain strings (z.email(), z.url()). */
export const withoutControlCharacters = (multiLine = false) => {
  const pattern = multiLine ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE;
  return (value: string) => !pattern.test(value);
};

/** A trimmed one-line text of at most `max` characters without control characters. */
export const oneLineText = (max: number, tooLong?: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .refine(withoutControlCharacters(), CONTROL_CHARACTERS);

/** A multi-line text of at most `max` characters: line breaks allowed, other control characters not. */
export const multiLineText = (max: number, tooLong?: string) =>
  z
    .string()
    .max(max, tooLong)
    .refine(withoutControlCharacters(true), CONTROL_CHARACTERS);

/** True when a path segment (handle, slug, uid, token) cannot name anything: lookups answer 404 without a query. */
export const unusablePathSegment = (value: string) => value.length === 0 || value.length > 200 || CONTROL_ONE_LINE.test(value);

/**
 * A dynamic route segment decoded (the pages decode what Next hands them), or null when it cannot
 * name anything: malformed percent-encoding or control characters. Callers answer not-found.
 */
export function pathSegment(raw: string): string | null {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return unusablePathSegment(value) ? null : value;
}
