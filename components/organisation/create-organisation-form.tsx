'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { createOrganisationAction } from '@/lib/organisations/actions';
import { failureMessage, fieldMessage } from './action-error';

/** /organisation without one: the name, and the host becomes its owner. */
export function CreateOrganisationForm() {
  const t = useTranslations('organisation');
  const router = useRouter();
  const [name, setName] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const submit = () =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await createOrganisationAction({ name });
        if (result.ok) {
          router.refresh();
          return;
        }
        if (result.code === 'invalid_input') setFieldError(fieldMessage(t, result.fields?.name ?? 'required'));
        else setError(failureMessage(t, result));
      } catch {
        setError(t('errors.generic'));
      }
    });

  return (
    <form
      className="stack"
      noValidate
      data-testid="create-organisation"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label className="field">
        <span>{t('overview.name')}</span>
        <input
          type="text"
          name="name"
          value={name}
          maxLength={80}
          placeholder={t('overview.namePlaceholder')}
          aria-invalid={Boolean(fieldError) || undefined}
          aria-describedby="organisation-name-error"
          onChange={(event) => {
            setName(event.target.value);
            setFieldError(null);
          }}
        />
        {fieldError ? (
          <span className="field-error" id="organisation-name-error" role="alert">
            {fieldError}
          </span>
        ) : null}
      </label>
      <p className="muted small" style={{ margin: 0 }}>
        {t('overview.createHint')}
      </p>
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
      <div>
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? t('overview.creating') : t('overview.create')}
        </button>
      </div>
    </form>
  );
}
