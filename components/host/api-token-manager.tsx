'use client';

import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { createApiTokenAction, revokeApiTokenAction } from '@/lib/api-tokens/actions';

export type ApiTokenRow = { id: string; name: string; displayPrefix: string; createdAt: string; lastUsedAt: string | null; revoked: boolean };

/** Settings → API tokens: create with a name (the token is shown once), list, revoke. */
export function ApiTokenManager({ tokens, appUrl, timeZone }: { tokens: ApiTokenRow[]; appUrl: string; timeZone: string }) {
  const t = useTranslations('settings.apiTokens');
  const locale = useLocale();
  const router = useRouter();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [failed, setFailed] = useState(false);
  const [pending, startTransition] = useTransition();
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });

  const create = () =>
    startTransition(async () => {
      setFailed(false);
      try {
        const result = await createApiTokenAction({ name });
        if (!result.ok) {
          if (result.code === 'invalid_input') setNameError(result.fields?.name ?? 'required');
          else setFailed(true);
          return;
        }
        setCreated({ token: result.data.token, name: name.trim() });
        setName('');
        setNameError(null);
        router.refresh();
      } catch {
        setFailed(true);
      }
    });

  const revoke = (token: ApiTokenRow) =>
    startTransition(async () => {
      if (!window.confirm(t('revokeConfirm', { name: token.name }))) return;
      setFailed(false);
      try {
        const result = await revokeApiTokenAction(token.id);
        // Already gone (another tab revoked it): the refreshed list says so.
        if (!result.ok && result.code !== 'not_found') setFailed(true);
        else router.refresh();
      } catch {
        setFailed(true);
      }
    });

  return (
    <>
      <section className="card stack">
        <h2>{t('title')}</h2>
        <p className="muted" style={{ margin: 0 }}>
          {t('intro')}
        </p>
        <p className="muted small" style={{ margin: 0 }}>
          <code>{t('docsHint', { url: appUrl })}</code>
        </p>
        {created ? (
          <div className="notice ok stack" role="status" data-testid="new-api-token">
            <strong>
              {t('createdTitle')} — {created.name}
            </strong>
            <span>{t('createdBody')}</span>
            <div className="row" style={{ alignItems: 'stretch' }}>
              <input
                type="text"
                readOnly
                value={created.token}
                aria-label={t('createdTitle')}
                className="mono"
                style={{ flex: '1 1 260px' }}
                onFocus={(e) => e.currentTarget.select()}
                data-testid="new-api-token-value"
              />
              <CopyButton value={created.token} />
              <button type="button" className="btn small ghost" onClick={() => setCreated(null)}>
                {t('done')}
              </button>
            </div>
          </div>
        ) : null}
        <form
          className="row"
          style={{ alignItems: 'flex-end' }}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            create();
          }}
        >
          <label className="field" style={{ flex: '1 1 240px' }}>
            <span>{t('name')}</span>
            <input
              type="text"
              name="name"
              value={name}
              maxLength={80}
              placeholder={t('namePlaceholder')}
              onChange={(e) => {
                setName(e.target.value);
                setNameError(null);
              }}
              aria-invalid={Boolean(nameError) || undefined}
            />
          </label>
          <button type="submit" className="btn primary" disabled={pending}>
            {pending ? t('creating') : t('create')}
          </button>
        </form>
        {nameError ? (
          <span className="field-error" role="alert">
            {nameError === 'too_long' || nameError === 'control_characters' ? t(`errors.${nameError}`) : t('errors.required')}
          </span>
        ) : null}
        {failed ? (
          <div className="notice error" role="alert">
            {t('errors.generic')}
          </div>
        ) : null}
      </section>

      <section className="card stack">
        <h2>{t('listTitle')}</h2>
        {tokens.length === 0 ? (
          <p className="muted">{t('empty')}</p>
        ) : (
          <ul className="list" data-testid="api-token-list">
            {tokens.map((token) => (
              <li key={token.id} className="row-between" data-testid="api-token-item">
                <div className="stack" style={{ gap: 2, minWidth: 0 }}>
                  <div className="row">
                    <strong>{token.name}</strong>
                    <span className={`badge ${token.revoked ? '' : 'ok'}`}>{token.revoked ? t('revoked') : t('active')}</span>
                  </div>
                  <span className="muted small">
                    <code>{token.displayPrefix}</code> · {t('created', { date: when.format(new Date(token.createdAt)) })} ·{' '}
                    {token.lastUsedAt ? t('lastUsed', { date: when.format(new Date(token.lastUsedAt)) }) : t('neverUsed')}
                  </span>
                </div>
                {token.revoked ? null : (
                  <button type="button" className="btn danger small" onClick={() => revoke(token)} disabled={pending}>
                    {t('revoke')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
