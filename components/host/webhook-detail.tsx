'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { deleteWebhookAction, rollWebhookSecretAction, sendTestEventAction, setWebhookStatusAction, updateWebhookAction } from '@/lib/webhooks/actions';
import { WebhookForm } from './webhook-form';
import { useWhen, type WebhookRow } from './webhook-manager';
import { WebhookSecret } from './webhook-secret';

/** One subscription: its settings, enable/disable, roll secret, send a test event, delete. */
export function WebhookDetail({
  webhook,
  failingSince,
  timeZone,
  hour12,
}: {
  webhook: WebhookRow;
  failingSince: string | null;
  timeZone: string;
  hour12: boolean | null;
}) {
  const t = useTranslations('settings.webhooks');
  const router = useRouter();
  const when = useWhen(timeZone, hour12);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [pending, startTransition] = useTransition();

  /** Runs an action; `not_found` (deleted in another tab) goes back to the list. */
  const run = (action: () => Promise<{ ok: boolean; code?: string }>, after?: () => void) =>
    startTransition(async () => {
      setFailed(false);
      setNotice(null);
      try {
        const result = await action();
        if (!result.ok) {
          if (result.code === 'not_found') router.push('/settings/webhooks');
          else setFailed(true);
          return;
        }
        after?.();
        router.refresh();
      } catch {
        setFailed(true);
      }
    });

  return (
    <>
      <section className="card stack" data-testid="webhook-detail" data-status={webhook.status}>
        <div className="row-between">
          <h2 className="mono" style={{ overflowWrap: 'anywhere', minWidth: 0, margin: 0 }}>
            {webhook.url}
          </h2>
          <span className={`badge ${webhook.status === 'active' ? 'ok' : webhook.disabledReason === 'failing' ? 'error' : ''}`} data-testid="webhook-status">
            {t(`status.${webhook.status}`)}
          </span>
        </div>
        {webhook.status === 'disabled' && webhook.disabledReason ? (
          <div className={`notice ${webhook.disabledReason === 'failing' ? 'error' : 'info'}`}>{t(`disabledReason.${webhook.disabledReason}`)}</div>
        ) : failingSince ? (
          <div className="notice warn">{t('failingSince', { date: when(failingSince) })}</div>
        ) : null}
        <span className="muted small">{t('created', { date: when(webhook.createdAt) })}</span>
        {secret ? <WebhookSecret secret={secret} onDismiss={() => setSecret(null)} /> : null}
        {notice ? (
          <div className="notice ok" role="status">
            {notice}
          </div>
        ) : null}
        {failed ? (
          <div className="notice error" role="alert">
            {t('errors.generic')}
          </div>
        ) : null}
        <div className="row">
          <button
            type="button"
            className="btn"
            disabled={pending}
            data-testid="webhook-send-test"
            onClick={() => run(() => sendTestEventAction(webhook.id), () => setNotice(t('testQueued')))}
          >
            {t('sendTest')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={pending}
            data-testid="webhook-toggle"
            onClick={() => run(() => setWebhookStatusAction(webhook.id, webhook.status === 'active' ? 'disabled' : 'active'))}
          >
            {webhook.status === 'active' ? t('disable') : t('enable')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={pending}
            data-testid="webhook-roll-secret"
            onClick={() => {
              if (!window.confirm(t('rollConfirm'))) return;
              startTransition(async () => {
                setFailed(false);
                try {
                  const result = await rollWebhookSecretAction(webhook.id);
                  if (result.ok) setSecret(result.data.secret);
                  else setFailed(true);
                } catch {
                  setFailed(true);
                }
              });
            }}
          >
            {t('rollSecret')}
          </button>
        </div>
      </section>

      <section className="card stack">
        <h2>{t('editTitle')}</h2>
        <WebhookForm
          testId="webhook-edit-form"
          initial={{ url: webhook.url, description: webhook.description, events: webhook.events }}
          submitLabel={t('save')}
          pendingLabel={t('saving')}
          submit={(input) => updateWebhookAction(webhook.id, input)}
          onDone={() => {
            router.refresh();
            return false;
          }}
        />
        <div className="row" style={{ justifyContent: 'flex-end' }}>
          <button
            type="button"
            className="btn danger"
            disabled={pending}
            data-testid="webhook-delete"
            onClick={() => {
              if (!window.confirm(t('deleteConfirm', { url: webhook.url }))) return;
              run(
                () => deleteWebhookAction(webhook.id),
                () => router.push('/settings/webhooks'),
              );
            }}
          >
            {t('delete')}
          </button>
        </div>
      </section>
    </>
  );
}
