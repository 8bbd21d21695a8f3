'use client';

import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import { inviteMemberAction, revokeInviteAction } from '@/lib/organisations/actions';
import { failureMessage } from './action-error';

export type InviteRow = { id: string; email: string; role: 'admin' | 'member'; expiresAt: string; expired: boolean };

/** Invitations not accepted yet: send again (a fresh 7-day link) or revoke. */
export function PendingInvites({ invites, timeZone }: { invites: InviteRow[]; timeZone: string }) {
  const t = useTranslations('organisation');
  const locale = useLocale();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });

  const run = (action: () => Promise<ActionResult>) =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await action();
        if (!result.ok) setError(failureMessage(t, result));
      } catch {
        setError(t('errors.generic'));
      }
      router.refresh();
    });

  if (invites.length === 0) return <p className="muted">{t('invite.pendingEmpty')}</p>;
  return (
    <div className="stack">
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
      <ul className="list" data-testid="pending-invites">
        {invites.map((invite) => (
          <li key={invite.id} className="row-between" data-testid="pending-invite" data-email={invite.email}>
            <div className="stack" style={{ gap: 2, minWidth: 0, flex: '1 1 220px' }}>
              <strong style={{ overflowWrap: 'anywhere' }}>{invite.email}</strong>
              <span className="muted small">
                {t(`members.roles.${invite.role}`)} ·{' '}
                {invite.expired ? <span className="badge">{t('invite.expired')}</span> : t('invite.expires', { date: when.format(new Date(invite.expiresAt)) })}
              </span>
            </div>
            <div className="row">
              <button type="button" className="btn small" disabled={pending} onClick={() => run(async () => {
                const result = await inviteMemberAction({ email: invite.email, role: invite.role });
                return result.ok ? { ok: true as const, data: null } : result;
              })}>
                {t('invite.resend')}
              </button>
              <button
                type="button"
                className="btn danger small"
                disabled={pending}
                onClick={() => {
                  if (window.confirm(t('invite.revokeConfirm', { email: invite.email }))) run(() => revokeInviteAction(invite.id));
                }}
              >
                {t('invite.revoke')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
