'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { leaveOrganisationAction } from '@/lib/organisations/actions';
import { failureMessage } from './action-error';

/** Leave the organisation (the last owner is told to make someone else owner first; the only member ends it). */
export function LeaveOrganisation({ name, onlyMember, lastOwner }: { name: string; onlyMember: boolean; lastOwner: boolean }) {
  const t = useTranslations('organisation');
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const leave = () =>
    startTransition(async () => {
      if (!window.confirm(onlyMember ? t('overview.leaveOnlyMemberConfirm', { name }) : t('overview.leaveConfirm', { name }))) return;
      setError(null);
      try {
        const result = await leaveOrganisationAction();
        if (!result.ok) setError(failureMessage(t, result));
      } catch {
        setError(t('errors.generic'));
      }
      router.refresh();
    });
  return (
    <div className="stack">
      <p className="muted small" style={{ margin: 0 }}>
        {t('overview.leaveHint')}
      </p>
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
      {lastOwner ? (
        <p className="notice info small" style={{ margin: 0 }} data-testid="last-owner-hint">
          {t('errors.problems.last_owner')}
        </p>
      ) : null}
      <div>
        <button type="button" className="btn danger" disabled={pending || lastOwner} onClick={leave} data-testid="leave-organisation">
          {t('overview.leave', { name })}
        </button>
      </div>
    </div>
  );
}
