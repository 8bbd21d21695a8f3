'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { regenerateIcsFeedUrlAction } from '@/lib/bookings/actions';

export function IcsFeedUrl({ initialUrl }: { initialUrl: string }) {
  const t = useTranslations('settings.icsFeed');
  const tc = useTranslations('common.errors');
  const [url, setUrl] = useState(initialUrl);
  const [failed, setFailed] = useState(false);
  const [pending, startTransition] = useTransition();
  return (
    <div className="stack">
      <input type="text" readOnly value={url} aria-label={t('title')} data-testid="ics-feed-url" onFocus={(e) => e.currentTarget.select()} />
      <div className="row">
        <CopyButton value={url} />
        <button
          type="button"
          className="btn small"
          disabled={pending}
          onClick={() => {
            if (!window.confirm(t('regenerateConfirm'))) return;
            startTransition(async () => {
              const result = await regenerateIcsFeedUrlAction();
              setFailed(!result.ok);
              if (result.ok) setUrl(result.data.url);
            });
          }}
        >
          {t('regenerate')}
        </button>
      </div>
      {failed ? (
        <p className="field-error" role="alert">
          {tc('generic')}
        </p>
      ) : null}
    </div>
  );
}
