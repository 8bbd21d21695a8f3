'use client';

import { useState } from 'react';
import { renameOrganisationAction } from '@/lib/organisations/actions';
import { fieldMessage } from './action-error';
import { useOrganisationAction } from './use-organisation-action';

/** Owners and admins rename the organisation (not the instance organisation: its name is AKI_ORG_NAME). */
export function OrganisationNameForm({ name: initial }: { name: string }) {
  const { t, fields, clearFields, error, pending, run } = useOrganisationAction({ name: 'required' });
  const [name, setName] = useState(initial);
  const [saved, setSaved] = useState(false);

  const submit = () => {
    setSaved(false);
    run(() => renameOrganisationAction({ name }), () => setSaved(true));
  };
  const fieldError = fieldMessage(t, fields.name);

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
              clearFields();
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
