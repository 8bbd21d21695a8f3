import type { ActionFailure } from '@/lib/actions';

/** Refusals the organisation mutations name (lib/organisations/mutations.ts OrganisationProblem). */
const PROBLEMS = new Set(['already_member', 'instance_organisation', 'instance_name', 'instance_membership', 'last_owner', 'owner_only', 'wrong_email']);
const FIELD_CODES = new Set(['required', 'too_long', 'control_characters', 'invalid_email', 'invalid_role', 'already_member']);

type T = (key: string, values?: Record<string, string | number>) => string;

/** The sentence for a failed organisation action (`t` is the `organisation` namespace). */
export function failureMessage(t: T, failure: ActionFailure): string {
  if ((failure.code === 'conflict' || failure.code === 'forbidden') && failure.message && PROBLEMS.has(failure.message)) return t(`errors.problems.${failure.message}`);
  if (failure.code === 'forbidden') return t('errors.forbidden');
  if (failure.code === 'not_found') return t('errors.not_found');
  return t('errors.generic');
}

/** The text of a field error code (unknown codes read as "required"). */
export function fieldMessage(t: T, code: string | undefined): string | null {
  if (!code) return null;
  return t(`errors.fields.${FIELD_CODES.has(code) ? code : 'required'}`);
}
