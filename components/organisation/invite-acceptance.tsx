'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import { acceptInviteAction, inviteSignInAction } from '@/lib/organisations/actions';
import { failureMessage } from './action-error';

type State = 'signed_out' | 'wrong_email' | 'other_organisation' | 'already_here' | 'ready';

/** What the invitation page offers, by who is looking at it (the page decides `state`; the server checks again). */
export function InviteAcceptance({
  token,
  state,
  email,
  organisationName,
  currentEmail,
  currentOrganisation,
  demo,
}: {
  token: string;
  state: State;
  email: string;
  organisationName: string;
  currentEmail: string | null;
  currentOrganisation: string | null;
  demo: boolean;
}) {
  const t = useTranslations('organisation');
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (action: () => Promise<ActionResult<unknown>>, after?: () => void) =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await action();
        if (!result.ok) {
          setError(failureMessage(t, result));
          return;
        }
        after?.();
      } catch {
        setError(t('errors.generic'));
      }
    });

  const sendLink = (switchAccount: boolean) => run(() => inviteSignInAction(token, { switchAccount }), () => router.push('/login/check-email'));
  const join = () => run(() => acceptInviteAction(token), () => router.push('/organisation'));

  return (
    <div className="stack">
      {state === 'signed_out' ? (
        <>
          <p className="muted" style={{ margin: 0, overflowWrap: 'anywhere' }}>
            {t('invite.accept.signInHint', { email })}
          </p>
          <button type="button" className="btn primary block" disabled={pending} onClick={() => sendLink(false)} data-testid="invite-send-link">
            {pending ? t('invite.accept.sending') : t('invite.accept.sendLink')}
          </button>
          {demo ? (
            <p className="notice info small" style={{ margin: 0 }}>
              {t('invite.accept.demoHint')} <a href="/mailbox">{t('invite.accept.openMailbox')}</a>
            </p>
          ) : null}
        </>
      ) : null}
      {state === 'wrong_email' ? (
        <>
          <div className="notice warn" role="status" style={{ overflowWrap: 'anywhere' }}>
            {t('invite.accept.wrongEmail', { current: currentEmail ?? '', email })}
          </div>
          <button type="button" className="btn block" disabled={pending} onClick={() => sendLink(true)} data-testid="invite-switch-account">
            {t('invite.accept.switchAccount', { email })}
          </button>
        </>
      ) : null}
      {state === 'other_organisation' ? (
        <div className="notice warn" role="status" data-testid="invite-other-organisation">
          {t('invite.accept.alreadyOther', { current: currentOrganisation ?? '' })}
        </div>
      ) : null}
      {state === 'already_here' ? (
        <>
          <div className="notice ok" role="status">
            {t('invite.accept.alreadyHere', { organisation: organisationName })}
          </div>
          <Link className="btn primary block" href="/organisation">
            {t('invite.accept.open')}
          </Link>
        </>
      ) : null}
      {state === 'ready' ? (
        <button type="button" className="btn primary block" disabled={pending} onClick={join} data-testid="invite-join">
          {pending ? t('invite.accept.joining') : t('invite.accept.join', { organisation: organisationName })}
        </button>
      ) : null}
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
