'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import { failureMessage } from './action-error';

/**
 * The submit of the organisation page's small forms (name, public address, invitation): the pending
 * state, the field codes of an invalid_input answer (`fallback` when it names none), a sentence for any
 * other refusal or a call that threw, and a refresh of the page after success (`onDone` first).
 */
export function useOrganisationAction(fallback: Record<string, string>) {
  const t = useTranslations('organisation');
  const router = useRouter();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = <D>(call: () => Promise<ActionResult<D>>, onDone: (data: D) => void) =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await call();
        if (result.ok) {
          setFields({});
          onDone(result.data);
          router.refresh();
          return;
        }
        if (result.code === 'invalid_input') setFields(result.fields ?? fallback);
        else setError(failureMessage(t, result));
      } catch {
        setError(t('errors.generic'));
      }
    });

  return { t, fields, clearFields: () => setFields({}), error, pending, run };
}
