'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { type EmailSignInState, signInWithEmail } from '@/lib/auth/actions';

export function EmailSignInForm() {
  const t = useTranslations('auth.login');
  const [state, action, pending] = useActionState<EmailSignInState, FormData>(signInWithEmail, {});
  return (
    <form action={action} className="stack" noValidate>
      <label className="field">
        <span>{t('email')}</span>
        <input
          type="email"
          name="email"
          autoComplete="email"
          required
          defaultValue={state.email}
          aria-invalid={state.error === 'invalid_email'}
          aria-describedby="email-error"
        />
        {state.error ? (
          <span className="field-error" id="email-error" role="alert">
            {state.error === 'invalid_email' ? t('invalidEmail') : t('errors.Default')}
          </span>
        ) : null}
      </label>
      <button className="btn primary block" type="submit" disabled={pending}>
        {t('submit')}
      </button>
    </form>
  );
}
