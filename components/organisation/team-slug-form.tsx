'use client';

import { useState } from 'react';
import { setTeamSlugAction } from '@/lib/teams/actions';
import styles from './team-pages.module.css';
import { useOrganisationAction } from './use-organisation-action';

const SLUG_CODES = new Set(['slug_format', 'slug_reserved', 'slug_taken']);

/** Owners and admins set the organisation's public address (/team/{slug}); the page shows the link once it is set. */
export function TeamSlugForm({ slug: initial, appUrl }: { slug: string | null; appUrl: string }) {
  const { t, fields, clearFields, error, pending, run } = useOrganisationAction({ slug: 'slug_format' });
  const [slug, setSlug] = useState(initial ?? '');
  const [saved, setSaved] = useState<string | null>(initial);
  const [done, setDone] = useState(false);

  const submit = () => {
    setDone(false);
    run(
      () => setTeamSlugAction({ slug }),
      (data) => {
        setSaved(data.slug);
        setSlug(data.slug);
        setDone(true);
      },
    );
  };
  const fieldError = fields.slug ? t(`teams.slugErrors.${SLUG_CODES.has(fields.slug) ? fields.slug : 'slug_format'}`) : null;

  const publicUrl = saved ? `${appUrl}/team/${saved}` : null;
  return (
    <form
      className="stack"
      noValidate
      data-testid="team-slug-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <label className="field" style={{ flex: '1 1 260px', minWidth: 0 }}>
          <span>{t('teams.slugLabel')}</span>
          <div className={`${styles.slugRow} ${fieldError ? styles.slugRowInvalid : ''}`}>
            <span className={styles.slugPrefix} aria-hidden="true">
              <bdi>{`${appUrl.replace(/^https?:\/\//, '')}/team/`}</bdi>
            </span>
            <input
              type="text"
              name="slug"
              value={slug}
              maxLength={32}
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              aria-invalid={Boolean(fieldError) || undefined}
              aria-describedby="team-slug-hint team-slug-error"
              onChange={(event) => {
                setSlug(event.target.value.toLowerCase().replace(/\s+/g, '-'));
                clearFields();
                setDone(false);
              }}
            />
          </div>
        </label>
        <button type="submit" className="btn" disabled={pending || slug.trim() === (saved ?? '')}>
          {pending ? t('overview.saving') : t('overview.save')}
        </button>
      </div>
      <span className="muted small" id="team-slug-hint">
        {t('teams.slugHint')}
      </span>
      {fieldError ? (
        <span className="field-error" id="team-slug-error" role="alert" data-testid="team-slug-error">
          {fieldError}
        </span>
      ) : null}
      {publicUrl ? (
        <p className="small" style={{ margin: 0 }}>
          {t('teams.publicUrl')}:{' '}
          <a href={publicUrl} className={styles.link} data-testid="team-public-url" target="_blank" rel="noreferrer">
            {publicUrl}
          </a>
        </p>
      ) : (
        <p className="muted small" style={{ margin: 0 }} data-testid="team-slug-unset">
          {t('teams.slugUnset')}
        </p>
      )}
      {done ? (
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
