'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionResult } from '@/lib/actions';
import { recreateMeetingAction, refreshMeetingAction } from '@/lib/meetings/actions';

type Props = { uid: string; isZoom: boolean; canRefresh: boolean; canRecreate: boolean };

/** "Refresh from Zoom" (disabled without a Zoom meeting) and, when the meeting was deleted in Zoom, "Recreate meeting". */
export function MeetingActions({ uid, isZoom, canRefresh, canRecreate }: Props) {
  const t = useTranslations('meetings.detail');
  const router = useRouter();
  const [busy, setBusy] = useState<'refresh' | 'recreate' | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const errorText = (code: string) => {
    if (code === 'integration_revoked' || code === 'integration_not_connected') return t('errors.reconnect');
    if (code === 'integration_unavailable' || code === 'integration_error') return t('errors.zoomDown');
    if (code === 'not_found') return t('errors.gone');
    if (code === 'conflict') return t('errors.conflict');
    return t('errors.generic');
  };

  const perform = async (kind: 'refresh' | 'recreate', call: () => Promise<ActionResult<true>>, done: string) => {
    setBusy(kind);
    setMessage(null);
    try {
      const result = await call();
      if (result.ok) {
        setMessage({ kind: 'ok', text: done });
        router.refresh();
      } else setMessage({ kind: 'error', text: errorText(result.code) });
    } catch {
      setMessage({ kind: 'error', text: t('errors.generic') });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="stack" style={{ gap: 8 }}>
      <div className="row">
        {canRecreate ? (
          <button
            type="button"
            className="btn primary small"
            disabled={busy !== null}
            onClick={() => perform('recreate', () => recreateMeetingAction(uid), t('recreateQueued'))}
            data-testid="recreate-meeting"
          >
            {busy === 'recreate' ? t('recreating') : t('recreate')}
          </button>
        ) : null}
        <button
          type="button"
          className="btn small"
          disabled={busy !== null || !canRefresh}
          title={canRefresh ? undefined : t('refreshNoZoom')}
          onClick={() => perform('refresh', () => refreshMeetingAction(uid), t('refreshQueued'))}
          data-testid="refresh-meeting"
        >
          {busy === 'refresh' ? t('refreshing') : t('refresh')}
        </button>
      </div>
      {!isZoom ? (
        <p className="small muted" style={{ margin: 0 }}>
          {t('refreshNoZoom')}
        </p>
      ) : null}
      {message ? (
        <p className={message.kind === 'ok' ? 'small' : 'field-error'} role={message.kind === 'error' ? 'alert' : 'status'} style={{ margin: 0 }} data-testid="meeting-action-message">
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
