'use client';

import { useTranslations } from 'next-intl';
import { CopyButton } from '@/components/ui/copy-button';

/** A signing secret shown once (after "Add webhook" or "Roll secret"), with a copy button and how to verify. */
export function WebhookSecret({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  const t = useTranslations('settings.webhooks');
  return (
    <div className="notice ok stack" role="status" data-testid="webhook-secret">
      <strong>{t('secretTitle')}</strong>
      <span>{t('secretBody')}</span>
      <div className="row" style={{ alignItems: 'stretch' }}>
        <input
          type="text"
          readOnly
          value={secret}
          aria-label={t('secretTitle')}
          className="mono"
          style={{ flex: '1 1 260px', minWidth: 0 }}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="webhook-secret-value"
        />
        <CopyButton value={secret} />
        <button type="button" className="btn small ghost" onClick={onDismiss}>
          {t('done')}
        </button>
      </div>
    </div>
  );
}
