'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { renameOrganisationAction } from '@/lib/organisations/actions';
import { failureMessage, fieldMessage } from './action-error';

/** Owners and admins rename the organisation (not the instance organisation: its name is AKI_ORG_NAME). */
export function OrganisationNameForm({ name: initial }: { name: string }) {
  const t = useTranslations('organisation');
  const router = useRouter();
  const [name, setName] = useState(initial);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, startTransition] = useTransition();

  const submit = () =>
    startTransition(async () => {
      setError(null);
      setSaved(false);
      try {
        const result = await renameOrganisationAction({ name });
        if (result.ok) {
          setSaved(true);
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
      data-testid="rename-organisation"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <label className="field" style={{ flex: '1 1 220px' }}>
          <span>{t('overview.renameTitle')}</span>
          <input
            type="text"
            name="name"
            value={name}
            maxLength={80}
            aria-invalid={Boolean(fieldError) || undefined}
            aria-describedby="organisation-rename-error"
            onChange={(event) => {
              setName(event.target.value);
              setFieldError(null);
              setSaved(false);
            }}
          />
        </label>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? t('overview.saving') : t('overview.save')}
        </button>
      </div>
      {fieldError ? (
        <span className="field-error" id="organisation-rename-error" role="alert">
          {fieldError}
        </span>
      ) : null}
      {saved ? (
        <span className="muted small" role="status">
          {t('overview.saved')}
        </span>
      ) : null}
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
    </form>
  );
}
