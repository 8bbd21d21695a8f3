'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { type EmailSignInState, signInWithEmail } from '@/lib/auth/actions';

export function EmailSignInForm() {
  const t = useTranslations('auth.login');
  const [state, action, pending] = useActionState<EmailSignInState, FormData>(signInWithEmail, null);
  // React resets the form after the action; the address typed is kept here and shown again.
  const [email, setEmail] = useState('');
  const invalidEmail = state?.ok === false && state.fields?.email === 'invalid_email';
  return (
    <form action={action} onSubmit={(event) => setEmail(String(new FormData(event.currentTarget).get('email') ?? ''))} className="stack" noValidate>
      <label className="field">
        <span>{t('email')}</span>
        <input
          type="email"
          name="email"
          autoComplete="email"
          required
          defaultValue={email}
          aria-invalid={invalidEmail}
          aria-describedby="email-error"
        />
        {state?.ok === false ? (
          <span className="field-error" id="email-error" role="alert">
            {invalidEmail ? t('invalidEmail') : t('errors.Default')}
          </span>
        ) : null}
      </label>
      <button className="btn primary block" type="submit" disabled={pending}>
        {t('submit')}
      </button>
    </form>
  );
}
