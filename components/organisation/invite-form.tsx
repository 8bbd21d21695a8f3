'use client';

import { useState } from 'react';
import { inviteMemberAction } from '@/lib/organisations/actions';
import { fieldMessage } from './action-error';
import { useOrganisationAction } from './use-organisation-action';

/** Owners and admins invite an address as admin or member; the link goes out by mail. */
export function InviteForm() {
  const { t, fields, clearFields, error, pending, run } = useOrganisationAction({ email: 'invalid_email' });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [sent, setSent] = useState<string | null>(null);

  const submit = () => {
    setSent(null);
    run(
      () => inviteMemberAction({ email, role }),
      (data) => {
        setSent(data.email);
        setEmail('');
      },
    );
  };

  const emailError = fieldMessage(t, fields.email);
  const roleError = fieldMessage(t, fields.role);
  return (
    <form
      className="stack"
      noValidate
      data-testid="invite-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <label className="field" style={{ flex: '1 1 220px' }}>
          <span>{t('invite.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="off"
            value={email}
            maxLength={254}
            aria-invalid={Boolean(emailError) || undefined}
            aria-describedby="invite-email-error"
            onChange={(event) => {
              setEmail(event.target.value);
              clearFields();
              setSent(null);
            }}
          />
        </label>
        <label className="field" style={{ flex: '0 1 140px' }}>
          <span>{t('invite.role')}</span>
          <select name="role" value={role} aria-invalid={Boolean(roleError) || undefined} onChange={(event) => setRole(event.target.value === 'admin' ? 'admin' : 'member')}>
            <option value="member">{t('members.roles.member')}</option>
            <option value="admin">{t('members.roles.admin')}</option>
          </select>
        </label>
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? t('invite.sending') : t('invite.send')}
        </button>
      </div>
      {emailError ? (
        <span className="field-error" id="invite-email-error" role="alert">
          {emailError}
        </span>
      ) : null}
      {roleError ? (
        <span className="field-error" role="alert">
          {roleError}
        </span>
      ) : null}
      {sent ? (
        <div className="notice ok" role="status" data-testid="invite-sent">
          {t('invite.sent', { email: sent })}
        </div>
      ) : null}
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
    </form>
  );
}
