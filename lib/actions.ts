import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { AppErrorCode, FieldErrors } from '@/lib/errors';
import { asAppError } from '@/lib/http';
import { defaultLog } from '@/lib/log';

/**
 * The one result of every server action, so a client component handles all of them the same way:
 * data on success; on failure the AppError code (`internal` for anything unexpected), its message,
 * and for `invalid_input` the field errors — `{ "dotted.path": "code or message" }`, the shape the
 * JSON API already sends in `error.fields` (lib/http.ts `fieldErrors`), so a form and an API client
 * read one format. Flat dotted keys rather than nested objects: a form field is addressed by one
 * string, and prefix matching ("questions.0" covers "questions.0.options.2") stays a string test.
 */
export type ActionFailure = {
  ok: false;
  code: AppErrorCode | 'internal';
  message?: string;
  fields?: FieldErrors;
  retryAfterSeconds?: number;
};
export type ActionResult<T = null> = { ok: true; data: T } | ActionFailure;

/** What a route would answer (lib/http.ts asAppError), as the failure half of ActionResult; anything unexpected is logged. */
export function actionFailure(error: unknown, action: string): ActionFailure {
  const known = asAppError(error);
  if (known) {
    const failure: ActionFailure = { ok: false, code: known.code, message: known.message };
    if (known.details.fields) failure.fields = known.details.fields;
    if (known.details.retryAfterSeconds !== undefined) failure.retryAfterSeconds = known.details.retryAfterSeconds;
    return failure;
  }
  defaultLog({ level: 'error', msg: 'server action failed', action, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return { ok: false, code: 'internal' };
}

/**
 * Runs a server action's body and maps what it throws, once, into an ActionResult: expected
 * failures come back as values (never as a thrown error the client only sees as "network error").
 * Next's own control flow (redirect(), notFound() — requireHost redirects) is rethrown untouched.
 */
export async function runAction<T>(action: string, body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    unstable_rethrow(error);
    return actionFailure(error, action);
  }
}
