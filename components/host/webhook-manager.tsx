'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useState } from 'react';
import { defaultHour12, type UiLocale } from '@/components/booking/format';
import { createWebhookAction } from '@/lib/webhooks/actions';
import { WebhookForm } from './webhook-form';
import { WebhookSecret } from './webhook-secret';

export type WebhookRow = {
  id: string;
  url: string;
  description: string;
  events: string[];
  status: 'active' | 'disabled';
  disabledReason: 'failing' | 'host' | null;
  createdAt: string;
  lastDelivery: { status: string; responseStatus: number | null; at: string } | null;
};

/** The host's date-time format: their zone and clock. */
export function useWhen(timeZone: string, hour12: boolean | null) {
  const locale = useLocale() as UiLocale;
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone, hour12: hour12 ?? defaultHour12(locale) });
  return (iso: string) => format.format(new Date(iso));
}

/** Settings → Webhooks: the subscriptions (each opens its own page) and "Add webhook" (the secret is shown once). */
export function WebhookManager({ webhooks, timeZone, hour12 }: { webhooks: WebhookRow[]; timeZone: string; hour12: boolean | null }) {
  const t = useTranslations('settings.webhooks');
  const router = useRouter();
  const when = useWhen(timeZone, hour12);
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);

  return (
    <>
      <section className="card stack">
        <h2>{t('listTitle')}</h2>
        <p className="muted" style={{ margin: 0 }}>
          {t('intro')}
        </p>
        {webhooks.length === 0 ? (
          <p className="muted">{t('empty')}</p>
        ) : (
          <ul className="list" data-testid="webhook-list">
            {webhooks.map((hook) => (
              <li key={hook.id} className="row-between" data-testid="webhook-item" data-status={hook.status}>
                <div className="stack" style={{ gap: 2, minWidth: 0, flex: '1 1 240px' }}>
                  <div className="row" style={{ minWidth: 0 }}>
                    <Link href={`/settings/webhooks/${hook.id}`} className="mono" style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
                      {hook.url}
                    </Link>
                    <span className={`badge ${hook.status === 'active' ? 'ok' : hook.disabledReason === 'failing' ? 'error' : ''}`}>{t(`status.${hook.status}`)}</span>
                  </div>
                  {hook.description ? <span>{hook.description}</span> : null}
                  {hook.status === 'disabled' && hook.disabledReason ? (
                    <span className={`small ${hook.disabledReason === 'failing' ? 'field-error' : 'muted'}`}>{t(`disabledReason.${hook.disabledReason}`)}</span>
                  ) : null}
                  <span className="muted small" style={{ overflowWrap: 'anywhere' }}>
                    {t('eventCount', { count: hook.events.length })}: {hook.events.join(', ')}
                  </span>
                  <span className="muted small" data-testid="webhook-last-delivery">
                    {hook.lastDelivery
                      ? t('lastDelivery', {
                          status: `${t(`log.status.${hook.lastDelivery.status}` as 'log.status.delivered')}${hook.lastDelivery.responseStatus ? ` (${hook.lastDelivery.responseStatus})` : ''}`,
                          date: when(hook.lastDelivery.at),
                        })
                      : t('noDeliveries')}
                  </span>
                </div>
                <Link href={`/settings/webhooks/${hook.id}`} className="btn small">
                  {t('open')}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack">
        <h2>{t('addTitle')}</h2>
        {created ? (
          <>
            <WebhookSecret secret={created.secret} onDismiss={() => setCreated(null)} />
            <p style={{ margin: 0 }}>
              <Link href={`/settings/webhooks/${created.id}`} data-testid="webhook-created-link">
                {t('open')} →
              </Link>
            </p>
          </>
        ) : null}
        <WebhookForm
          testId="webhook-add-form"
          initial={{ url: '', description: '', events: [] }}
          submitLabel={t('add')}
          pendingLabel={t('adding')}
          submit={createWebhookAction}
          onDone={(data) => {
            setCreated(data as { id: string; secret: string });
            router.refresh();
            return true;
          }}
        />
      </section>
    </>
  );
}
