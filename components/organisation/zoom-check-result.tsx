'use client';

import { useTranslations } from 'next-intl';
import type { TestConnectionResult } from '@/lib/organisations/zoom-admin';

/** Test connection's outcome in plain words: OK with the users count, or the failure and what to do (naming missing scopes). */
export function ZoomCheckResult({ result }: { result: TestConnectionResult }) {
  const t = useTranslations('organisation.zoom.check');
  if (result.ok) {
    return (
      <div className="notice ok stack" role="status" data-testid="zoom-check-ok" style={{ gap: 4 }}>
        <span>{t('ok', { count: result.usersCount })}</span>
        {result.canCreateUsers ? null : <span className="small">{t('noCreateScope')}</span>}
      </div>
    );
  }
  return (
    <div className="notice error stack" role="alert" data-testid="zoom-check-failed" data-reason={result.reason} style={{ gap: 4 }}>
      <strong>{t('failed')}</strong>
      <span>{t(`reasons.${result.reason}`)}</span>
      {result.reason === 'missing_scope' && result.missingScopes.length > 0 ? (
        <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="zoom-missing-scopes">
          {result.missingScopes.map((scope) => (
            <li key={scope} className="mono">
              {scope}
            </li>
          ))}
        </ul>
      ) : null}
      {result.detail && result.reason !== 'missing_scope' ? <span className="small muted">{t('detail', { detail: result.detail })}</span> : null}
    </div>
  );
}
