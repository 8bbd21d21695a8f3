'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import type { TestConnectionResult } from '@/lib/organisations/zoom-admin';
import { ZoomCheckResult } from './zoom-check-result';

type SaveResult = ActionResult<{ test: TestConnectionResult; mapped: number }>;

/**
 * The S2S app's credentials. Secrets are never sent to the browser: a saved one shows as "Saved ••••"
 * with an empty replace field. Saving runs Test connection and shows its outcome.
 */
export function ZoomCredentialsForm({
  initial,
  save,
}: {
  initial: { accountId: string; clientId: string; hasClientSecret: boolean; hasWebhookSecret: boolean };
  save: (values: unknown) => Promise<SaveResult>;
}) {
  const t = useTranslations('organisation.zoom.credentials');
  const te = useTranslations('organisation.zoom.errors');
  const [result, setResult] = useState<SaveResult | null>(null);
  const [pending, startTransition] = useTransition();
  const fields = result && !result.ok ? (result.fields ?? {}) : {};
  const error = (name: string) =>
    fields[name] ? (
      <span className="field-error" role="alert" id={`${name}-error`}>
        {te.has(fields[name]!) ? te(fields[name]!) : fields[name]}
      </span>
    ) : null;

  return (
    <form
      className="stack"
      noValidate
      data-testid="zoom-credentials-form"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const values = {
          accountId: String(data.get('accountId') ?? ''),
          clientId: String(data.get('clientId') ?? ''),
          clientSecret: String(data.get('clientSecret') ?? ''),
          webhookSecret: String(data.get('webhookSecret') ?? ''),
          clearWebhookSecret: data.get('clearWebhookSecret') === 'on',
        };
        startTransition(async () => {
          const answer = await save(values);
          setResult(answer);
          if (answer.ok) {
            // The secrets went to the server; nothing of them stays in the page.
            for (const name of ['clientSecret', 'webhookSecret']) {
              const input = form.elements.namedItem(name);
              if (input instanceof HTMLInputElement) input.value = '';
            }
          }
        });
      }}
    >
      <label className="field">
        <span>{t('accountId')}</span>
        <input name="accountId" defaultValue={initial.accountId} autoComplete="off" spellCheck={false} required aria-invalid={Boolean(fields.accountId)} data-testid="zoom-account-id" />
        {error('accountId')}
      </label>
      <label className="field">
        <span>{t('clientId')}</span>
        <input name="clientId" defaultValue={initial.clientId} autoComplete="off" spellCheck={false} required aria-invalid={Boolean(fields.clientId)} data-testid="zoom-client-id" />
        {error('clientId')}
      </label>
      <label className="field">
        <span>{t('clientSecret')}</span>
        <input name="clientSecret" type="password" autoComplete="new-password" spellCheck={false} aria-invalid={Boolean(fields.clientSecret)} data-testid="zoom-client-secret" />
        {initial.hasClientSecret ? <span className="hint" data-testid="zoom-secret-saved">{t('clientSecretSaved')}</span> : null}
        {error('clientSecret')}
      </label>
      <label className="field">
        <span>{t('webhookSecret')}</span>
        <input name="webhookSecret" type="password" autoComplete="new-password" spellCheck={false} aria-invalid={Boolean(fields.webhookSecret)} />
        {initial.hasWebhookSecret ? <span className="hint">{t('webhookSecretSaved')}</span> : null}
        {error('webhookSecret')}
      </label>
      {initial.hasWebhookSecret ? (
        <label className="checkbox small">
          <input type="checkbox" name="clearWebhookSecret" />
          <span>{t('clearWebhookSecret')}</span>
        </label>
      ) : null}
      {result?.ok ? <ZoomCheckResult result={result.data.test} /> : null}
      {result && !result.ok && !result.fields ? (
        <p className="field-error" role="alert">
          {te.has(result.code) ? te(result.code) : te('generic')}
        </p>
      ) : null}
      <button className="btn primary" type="submit" disabled={pending} style={{ alignSelf: 'flex-start' }} data-testid="zoom-credentials-save">
        {pending ? t('saving') : t('save')}
      </button>
    </form>
  );
}
