'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import type { ActionResult } from '@/lib/actions';
import { cancelAsHostAction, retryStepsAction, startMeetingAction } from '@/lib/bookings/actions';
import { HostReschedule, type RescheduleTarget } from './host-reschedule';

type Props = {
  uid: string;
  canStart: boolean;
  canRetry: boolean;
  canCancel: boolean;
  /** Offered for a confirmed booking that has not started and whose page is still published. */
  reschedule?: { target: RescheduleTarget; start: string; end: string; timeZone: string; hour12: boolean } | null;
};

/**
 * Start meeting (a fresh start link fetched at click time: Zoom's expire after two hours), Retry
 * failed steps, Cancel with an optional reason.
 */
export function BookingActions({ uid, canStart, canRetry, canCancel, reschedule = null }: Props) {
  const t = useTranslations('booking.host');
  const router = useRouter();
  const [busy, setBusy] = useState<'start' | 'retry' | 'cancel' | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [moving, setMoving] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();

  const errorText = (code: string) => {
    if (code === 'integration_revoked' || code === 'integration_not_connected') return t('errors.reconnect');
    if (code === 'integration_unavailable' || code === 'integration_error') return t('errors.zoomDown');
    if (code === 'not_found') return t('errors.gone');
    if (code === 'conflict') return t('errors.conflict');
    return t('errors.generic');
  };

  /** Runs one action with the shared busy state and messages; `onFailure` undoes side effects (e.g. the opened tab). */
  const perform = async <T,>(kind: 'start' | 'retry' | 'cancel', call: () => Promise<ActionResult<T>>, onSuccess: (data: T) => void, onFailure?: () => void) => {
    setBusy(kind);
    setMessage(null);
    try {
      const result = await call();
      if (result.ok) onSuccess(result.data);
      else {
        onFailure?.();
        setMessage({ kind: 'error', text: errorText(result.code) });
      }
    } catch {
      onFailure?.();
      setMessage({ kind: 'error', text: t('errors.generic') });
    } finally {
      setBusy(null);
    }
  };

  const start = () => {
    // Open the tab inside the click (popup blockers), then point it at the fresh link.
    const tab = window.open('', '_blank');
    return perform(
      'start',
      () => startMeetingAction(uid),
      ({ url }) => {
        if (tab) {
          tab.opener = null;
          tab.location.href = url;
        } else window.location.href = url;
      },
      () => tab?.close(),
    );
  };

  const retry = () =>
    perform(
      'retry',
      () => retryStepsAction(uid),
      () => {
        setMessage({ kind: 'ok', text: t('retryQueued') });
        router.refresh();
      },
    );

  const cancel = () =>
    perform(
      'cancel',
      () => cancelAsHostAction(uid, reason.trim()),
      () => {
        setCancelling(false);
        router.refresh();
      },
    );

  return (
    <div className="stack" style={{ gap: 8 }}>
      <div className="row">
        {canStart ? (
          <button type="button" className="btn primary small" onClick={start} disabled={busy !== null} data-testid="start-meeting">
            {busy === 'start' ? t('starting') : t('start')}
          </button>
        ) : null}
        {canRetry ? (
          <button type="button" className="btn small" onClick={retry} disabled={busy !== null} data-testid="retry-steps">
            {busy === 'retry' ? t('retrying') : t('retry')}
          </button>
        ) : null}
        {reschedule && !moving && !cancelling ? (
          <button
            type="button"
            className="btn small"
            onClick={() => {
              setMessage(null);
              setMoving(true);
            }}
            disabled={busy !== null}
            data-testid="host-reschedule-open"
          >
            {t('reschedule.open')}
          </button>
        ) : null}
        {canCancel && !cancelling && !moving ? (
          <button type="button" className="btn danger small" onClick={() => setCancelling(true)} disabled={busy !== null} data-testid="host-cancel">
            {t('cancel')}
          </button>
        ) : null}
      </div>
      {moving && reschedule ? (
        <HostReschedule
          uid={uid}
          start={reschedule.start}
          end={reschedule.end}
          target={reschedule.target}
          timeZone={reschedule.timeZone}
          hour12={reschedule.hour12}
          onClose={(outcome) => {
            setMoving(false);
            if (outcome === 'rescheduled') setMessage({ kind: 'ok', text: t('reschedule.done') });
          }}
        />
      ) : null}
      {cancelling ? (
        <div className="stack" style={{ gap: 8 }}>
          <label className="field" htmlFor={reasonId}>
            <span>
              {t('reasonLabel')} <span className="muted small">{t('optional')}</span>
            </span>
            <textarea id={reasonId} rows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="host-cancel-reason" />
          </label>
          <div className="row">
            <button type="button" className="btn danger small" onClick={cancel} disabled={busy !== null} data-testid="host-cancel-confirm">
              {busy === 'cancel' ? t('cancelling') : t('cancelConfirm')}
            </button>
            <button type="button" className="btn ghost small" onClick={() => setCancelling(false)} disabled={busy !== null}>
              {t('keep')}
            </button>
          </div>
        </div>
      ) : null}
      {message ? (
        <p className={message.kind === 'ok' ? 'small' : 'field-error'} role={message.kind === 'error' ? 'alert' : 'status'} style={{ margin: 0 }}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
