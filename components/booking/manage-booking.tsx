'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useId, useMemo, useRef, useState } from 'react';
import { cancelAsGuestAction, rescheduleAsGuestAction } from '@/lib/bookings/actions';
import type { ManagedBookingView } from '@/lib/bookings/types';
import { embedHref } from '@/lib/embed/mode';
import styles from './booking.module.css';
import { formatInstantDate, formatTime, safeHref, type UiLocale, zoneLabel } from './format';
import { SlotPicker } from './slot-picker';
import { invalidateSlots, targetOfBookingPage, targetPath } from './slots-query';
import { useGuestPrefs } from './use-guest-prefs';

type Props = {
  view: ManagedBookingView;
  token: string;
  /** The page's booking window; null when the page is gone or unpublished (no rescheduling then). */
  bookingWindowDays: number | null;
  durationMinutes: number;
  /** Framed by public/embed.js: links stay embedded. */
  embedded?: boolean;
};

type Mode = 'view' | 'cancel' | 'reschedule';

/** The guest's manage page: the booking, Cancel (optional reason) and Reschedule (pick another free slot). */
export function ManageBooking({ view, token, bookingWindowDays, durationMinutes, embedded = false }: Props) {
  const t = useTranslations('booking.manage');
  const locale = useLocale() as UiLocale;
  const router = useRouter();
  const queryClient = useQueryClient();
  const prefs = useGuestPrefs(locale);
  const [mode, setMode] = useState<Mode>('view');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<'cancelled' | 'rescheduled' | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);
  const reasonId = useId();
  const topRef = useRef<HTMLElement>(null);

  const zone = view.guestTimeZone;
  const hour12 = prefs.hour12;
  const when = (start: string, end: string, z: string) =>
    `${formatInstantDate(start, z, locale)} ${formatTime(start, z, locale, hour12)} – ${formatTime(end, z, locale, hour12)}`;
  const cancelled = view.status === 'cancelled';
  const hostName = view.host.name ?? view.host.handle ?? '';
  const joinUrl = view.meeting?.status === 'created' ? safeHref(view.meeting.joinUrl) : null;
  const canReschedule = view.canReschedule && bookingWindowDays !== null && view.page !== null;
  // Stable across renders: part of the slot queries' key.
  const movingBooking = useMemo(() => ({ uid: view.uid, token }), [view.uid, token]);

  const failure = (code: string, retryAfter?: number) => {
    if (code === 'slot_unavailable') return t('errors.taken');
    if (code === 'rate_limited') return t('errors.rateLimited', { seconds: Math.max(1, Math.ceil(retryAfter ?? 60)) });
    if (code === 'not_found') return t('errors.gone');
    if (code === 'conflict' || code === 'invalid_input') return t('errors.notAllowed');
    return t('errors.generic');
  };

  const cancel = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await cancelAsGuestAction(view.uid, token, reason.trim());
      if (result.ok) {
        setDone('cancelled');
        setMode('view');
        router.refresh();
      } else setError(failure(result.code, result.retryAfterSeconds));
    } catch {
      setError(t('errors.network'));
    } finally {
      setBusy(false);
    }
  };

  const reschedule = async () => {
    if (busy || !picked) return;
    setBusy(true);
    setError(null);
    try {
      const result = await rescheduleAsGuestAction(view.uid, token, picked);
      if (result.ok) {
        setDone('rescheduled');
        setMode('view');
        setPicked(null);
        if (view.page) void invalidateSlots(queryClient, targetOfBookingPage(view.page));
        router.refresh();
        topRef.current?.scrollIntoView({ block: 'start' });
      } else if (result.code === 'slot_unavailable') {
        setPicked(null);
        setTaken(true);
        if (view.page) void invalidateSlots(queryClient, targetOfBookingPage(view.page));
      } else setError(failure(result.code, result.retryAfterSeconds));
    } catch {
      setError(t('errors.network'));
    } finally {
      setBusy(false);
    }
  };

  const pickedEnd = picked ? new Date(new Date(picked).getTime() + durationMinutes * 60_000).toISOString() : null;

  return (
    <section ref={topRef} className="card stack-lg" style={{ maxWidth: 880, margin: '0 auto' }} data-testid="manage" data-status={view.status}>
      <div className="stack">
        <h1 className="page-title" style={{ margin: 0 }}>
          {cancelled ? t('cancelledTitle') : t('title')}
        </h1>
        {done === 'cancelled' || (cancelled && !done) ? (
          <div className="notice warn" role="status" data-testid="manage-cancelled">
            {t('cancelledBody')}
            {view.cancelReason ? (
              <>
                <br />
                <span className="small">
                  {t('reason')}: {view.cancelReason}
                </span>
              </>
            ) : null}
          </div>
        ) : null}
        {done === 'rescheduled' && !cancelled ? (
          <div className="notice ok" role="status" data-testid="manage-rescheduled">
            {t('rescheduledBody')}
          </div>
        ) : null}
      </div>

      <dl className={styles.details}>
        <dt>{t('what')}</dt>
        <dd>{view.title}</dd>
        {hostName ? (
          <>
            <dt>{t('host')}</dt>
            <dd>{hostName}</dd>
          </>
        ) : null}
        <dt>{t('when')}</dt>
        <dd>
          <strong data-testid="manage-when" style={cancelled ? { textDecoration: 'line-through' } : undefined}>
            {when(view.start, view.end, zone)}
          </strong>
          <br />
          <span className="muted small">{zoneLabel(zone, locale)}</span>
        </dd>
        <dt>{t('guest')}</dt>
        <dd>
          {view.guestName} · {view.guestEmail}
        </dd>
        {!cancelled && view.meeting ? (
          <>
            <dt>{t('where')}</dt>
            <dd>
              {joinUrl && view.meetingChangedInZoom === 'rescheduled' ? (
                <span className="muted small" data-testid="meeting-replacing">
                  {t('linkReplacing')}
                  <br />
                </span>
              ) : null}
              {joinUrl ? (
                <a href={joinUrl} target="_blank" rel="noopener noreferrer" className={styles.joinUrl} data-testid="manage-join">
                  {joinUrl}
                </a>
              ) : (
                <span className="muted">{view.meetingChangedInZoom ? t('linkReplacing') : t('linkFollows')}</span>
              )}
            </dd>
          </>
        ) : null}
      </dl>

      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}

      {cancelled ? (
        view.page ? (
          <p style={{ margin: 0 }}>
            <a className="btn primary" href={embedHref(`/${targetPath(targetOfBookingPage(view.page))}`, embedded)}>
              {t('bookAgain')}
            </a>
          </p>
        ) : null
      ) : mode === 'view' ? (
        <div className="row">
          {canReschedule ? (
            <button type="button" className="btn primary" onClick={() => setMode('reschedule')} data-testid="manage-reschedule">
              {t('reschedule')}
            </button>
          ) : null}
          {view.canCancel ? (
            <button type="button" className="btn danger" onClick={() => setMode('cancel')} data-testid="manage-cancel">
              {t('cancel')}
            </button>
          ) : null}
          {!canReschedule && !view.canCancel ? <p className="muted">{t('tooLate')}</p> : null}
        </div>
      ) : mode === 'cancel' ? (
        <div className="stack" data-testid="cancel-form">
          <h2 style={{ margin: 0, fontSize: '1.05rem' }}>{t('cancelHeading')}</h2>
          <label className="field" htmlFor={reasonId}>
            <span>
              {t('reasonLabel')} <span className="muted small">{t('optional')}</span>
            </span>
            <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={3} data-testid="cancel-reason" />
          </label>
          <div className={styles.formActions}>
            <button type="button" className="btn ghost" onClick={() => setMode('view')} disabled={busy}>
              {t('keep')}
            </button>
            <button type="button" className="btn danger" onClick={cancel} disabled={busy} data-testid="cancel-confirm">
              {busy ? t('cancelling') : t('cancelConfirm')}
            </button>
          </div>
        </div>
      ) : view.page && bookingWindowDays !== null ? (
        <div className="stack">
          {picked && pickedEnd && prefs.zone ? (
            <div className="stack" data-testid="reschedule-confirm">
              <div className={styles.summary}>
                <span className="small">{t('moveTo')}</span>
                <strong>{when(picked, pickedEnd, prefs.zone)}</strong>
                <span className="small">{zoneLabel(prefs.zone, locale)}</span>
              </div>
              <div className={styles.formActions}>
                <button type="button" className="btn ghost" onClick={() => setPicked(null)} disabled={busy}>
                  ← {t('pickOther')}
                </button>
                <button type="button" className="btn primary" onClick={reschedule} disabled={busy} data-testid="reschedule-submit">
                  {busy ? t('rescheduling') : t('rescheduleConfirm')}
                </button>
              </div>
            </div>
          ) : null}
          <div hidden={picked !== null}>
            <SlotPicker
              target={targetOfBookingPage(view.page)}
              locale={locale}
              bookingWindowDays={bookingWindowDays}
              prefs={prefs}
              heading={t('rescheduleHeading')}
              hideStarts={[view.start]}
              reschedule={movingBooking}
              onPick={(slot) => {
                setTaken(false);
                setPicked(slot);
              }}
              notice={
                taken ? (
                  <div className="notice warn" role="alert">
                    {t('errors.taken')}
                  </div>
                ) : null
              }
            />
            <button type="button" className="btn ghost" style={{ marginTop: 12 }} onClick={() => setMode('view')}>
              {t('keep')}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
