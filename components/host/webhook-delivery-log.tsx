'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect, useState, useTransition } from 'react';
import type { ApiWebhookDelivery } from '@/lib/webhooks/service';
import { redeliverAction } from '@/lib/webhooks/actions';
import { useWhen } from './webhook-manager';

const STATUS_BADGE: Record<ApiWebhookDelivery['status'], string> = { delivered: 'ok', failed: 'error', pending: 'warn', sending: 'warn', skipped: '' };

/**
 * The delivery log of one subscription, newest first, a page at a time (`?before=` keyset links).
 * While something is still pending it refreshes itself every few seconds.
 */
export function WebhookDeliveryLog({
  webhookId,
  deliveries,
  nextBefore,
  isFirstPage,
  timeZone,
  hour12,
}: {
  webhookId: string;
  deliveries: ApiWebhookDelivery[];
  nextBefore: number | null;
  isFirstPage: boolean;
  timeZone: string;
  hour12: boolean | null;
}) {
  const t = useTranslations('settings.webhooks.log');
  const tw = useTranslations('settings.webhooks');
  const router = useRouter();
  const when = useWhen(timeZone, hour12);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const unfinished = deliveries.some((d) => d.status === 'pending' || d.status === 'sending');

  useEffect(() => {
    if (!unfinished) return;
    const timer = setInterval(() => router.refresh(), 3000);
    return () => clearInterval(timer);
  }, [unfinished, router]);

  const redeliver = (deliveryId: number) =>
    startTransition(async () => {
      setMessage(null);
      try {
        const result = await redeliverAction(webhookId, deliveryId);
        setMessage(result.ok ? { ok: true, text: t('redelivered') } : { ok: false, text: tw('errors.generic') });
        if (result.ok) router.refresh();
      } catch {
        setMessage({ ok: false, text: tw('errors.generic') });
      }
    });

  return (
    <section className="card stack" data-testid="webhook-delivery-log">
      <div className="row-between">
        <h2 style={{ margin: 0 }}>{t('title')}</h2>
        <button type="button" className="btn small" onClick={() => router.refresh()} data-testid="webhook-log-refresh">
          {t('refresh')}
        </button>
      </div>
      {message ? (
        <div className={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </div>
      ) : null}
      {deliveries.length === 0 ? (
        <p className="muted">{t('empty')}</p>
      ) : (
        <ul className="list">
          {deliveries.map((d) => (
            <li key={d.id} data-testid="webhook-delivery" data-status={d.status} data-event={d.eventType} data-message-id={d.messageId}>
              <details>
                <summary style={{ cursor: 'pointer' }}>
                  <span className="row" style={{ display: 'inline-flex', verticalAlign: 'top', maxWidth: 'calc(100% - 24px)' }}>
                    <code>{d.eventType}</code>
                    <span className={`badge ${STATUS_BADGE[d.status]}`} data-testid="webhook-delivery-status">
                      {t(`status.${d.status}`)}
                    </span>
                    <span className="small" data-testid="webhook-delivery-code">
                      {d.responseStatus ?? (d.attempts > 0 ? t('noResponse') : '')}
                    </span>
                    <span className="muted small">{t('attempts', { attempts: d.attempts })}</span>
                    <span className="muted small">{when(d.lastAttemptAt ?? d.createdAt)}</span>
                    {d.redeliveryOf ? <span className="badge">{t('redelivery')}</span> : null}
                  </span>
                </summary>
                <div className="stack" style={{ marginTop: 8, gap: 8 }}>
                  <span className="muted small" style={{ overflowWrap: 'anywhere' }}>
                    {t('messageId')}: <code>{d.messageId}</code>
                    {d.durationMs !== null ? ` · ${t('duration', { ms: d.durationMs })}` : ''}
                  </span>
                  {d.nextAttemptAt ? <span className="small">{t('nextRetry', { date: when(d.nextAttemptAt) })}</span> : null}
                  {d.lastError ? (
                    <div className="small">
                      <strong>{t('lastError')}</strong>: <span className="field-error">{d.lastError}</span>
                    </div>
                  ) : null}
                  {d.responseBody ? (
                    <div className="stack" style={{ gap: 4 }}>
                      <strong className="small">{t('response')}</strong>
                      <pre className="mono small" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0, maxHeight: 200, overflow: 'auto' }}>
                        {d.responseBody}
                      </pre>
                    </div>
                  ) : null}
                  <div className="stack" style={{ gap: 4 }}>
                    <strong className="small">{t('payload')}</strong>
                    <pre className="mono small" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0, maxHeight: 320, overflow: 'auto' }} data-testid="webhook-delivery-payload">
                      {JSON.stringify(d.payload, null, 2)}
                    </pre>
                  </div>
                  <div>
                    <button type="button" className="btn small" disabled={pending} onClick={() => redeliver(d.id)} data-testid="webhook-redeliver">
                      {t('redeliver')}
                    </button>
                  </div>
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
      {isFirstPage && nextBefore === null ? null : (
        <div className="row">
          {isFirstPage ? null : (
            <Link className="btn small" href={`/settings/webhooks/${webhookId}`}>
              {t('newer')}
            </Link>
          )}
          {nextBefore === null ? null : (
            <Link className="btn small" href={`/settings/webhooks/${webhookId}?before=${nextBefore}`} data-testid="webhook-log-older">
              {t('older')}
            </Link>
          )}
        </div>
      )}
    </section>
  );
}
