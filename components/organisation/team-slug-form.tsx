'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { setTeamSlugAction } from '@/lib/teams/actions';
import { failureMessage } from './action-error';
import styles from './team-pages.module.css';

const SLUG_CODES = new Set(['slug_format', 'slug_reserved', 'slug_taken']);

/** Owners and admins set the organisation's public address (/team/{slug}); the page shows the link once it is set. */
export function TeamSlugForm({ slug: initial, appUrl }: { slug: string | null; appUrl: string }) {
  const t = useTranslations('organisation');
  const router = useRouter();
  const [slug, setSlug] = useState(initial ?? '');
  const [saved, setSaved] = useState<string | null>(initial);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, startTransition] = useTransition();

  const submit = () =>
    startTransition(async () => {
      setError(null);
      setDone(false);
      try {
        const result = await setTeamSlugAction({ slug });
        if (result.ok) {
          setSaved(result.data.slug);
          setSlug(result.data.slug);
          setDone(true);
          router.refresh();
          return;
        }
        if (result.code === 'invalid_input') {
          const code = result.fields?.slug ?? 'slug_format';
          setFieldError(t(`teams.slugErrors.${SLUG_CODES.has(code) ? code : 'slug_format'}`));
        } else setError(failureMessage(t, result));
      } catch {
        setError(t('errors.generic'));
      }
    });

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
                setFieldError(null);
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
