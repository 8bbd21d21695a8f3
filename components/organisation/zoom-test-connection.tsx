'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import type { TestConnectionResult } from '@/lib/organisations/zoom-admin';
import { ZoomCheckResult } from './zoom-check-result';

/** The Test connection button; the last stored outcome is rendered by the page until it is pressed. */
export function ZoomTestConnection({ test, children }: { test: () => Promise<ActionResult<TestConnectionResult>>; children?: React.ReactNode }) {
  const t = useTranslations('organisation.zoom.check');
  const te = useTranslations('organisation.zoom.errors');
  const [result, setResult] = useState<ActionResult<TestConnectionResult> | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="stack">
      {result === null ? children : result.ok ? <ZoomCheckResult result={result.data} /> : <p className="field-error" role="alert">{te.has(result.code) ? te(result.code) : te('generic')}</p>}
      <button
        type="button"
        className="btn"
        disabled={pending}
        style={{ alignSelf: 'flex-start' }}
        data-testid="zoom-test-connection"
        onClick={() => startTransition(async () => setResult(await test()))}
      >
        {pending ? t('testing') : t('test')}
      </button>
    </div>
  );
}
