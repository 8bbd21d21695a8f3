'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useId, useMemo, useState } from 'react';
import { formatInstantDate, formatTime, type UiLocale, zoneLabel } from '@/components/booking/format';
import { type GuestPrefs, SlotPicker } from '@/components/booking/slot-picker';
import { invalidateSlots } from '@/components/booking/slots-query';
import { rescheduleAsHostAction } from '@/lib/bookings/actions';

/** What the host's Reschedule needs to know about the booking's page (the page must still be published). */
export type RescheduleTarget = { handle: string; slug: string; bookingWindowDays: number };

type Props = {
  uid: string;
  start: string;
  end: string;
  target: RescheduleTarget;
  /** The host's zone and clock: the picker starts with them. */
  timeZone: string;
  hour12: boolean;
  onClose: (outcome: 'rescheduled' | 'closed') => void;
};

/**
 * The host moves a booking: the guest's slot picker (slots as if this booking were not there, from
 * /bookings/{uid}/slots) in the host's zone and clock, then the new time, an optional note to the
 * guest and Confirm. A slot taken meanwhile sends the host back to the picker with a clear message.
 */
export function HostReschedule({ uid, start, end, target, timeZone, hour12: hostHour12, onClose }: Props) {
  const t = useTranslations('booking.host.reschedule');
  const locale = useLocale() as UiLocale;
  const router = useRouter();
  const queryClient = useQueryClient();
  const [zone, setZone] = useState(timeZone);
  const [hour12, setHour12] = useState(hostHour12);
  const prefs: GuestPrefs = { zone, detectedZone: timeZone, setZone, hour12, setHour12 };
  const [picked, setPicked] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);
  const noteId = useId();
  // Stable across renders: part of the slot queries' key.
  const moving = useMemo(() => ({ uid, asHost: true as const }), [uid]);
  const durationMs = new Date(end).getTime() - new Date(start).getTime();
  const when = (iso: string) => {
    const endIso = new Date(new Date(iso).getTime() + durationMs).toISOString();
    return `${formatInstantDate(iso, zone, locale)} ${formatTime(iso, zone, locale, hour12)} – ${formatTime(endIso, zone, locale, hour12)}`;
  };

  const confirm = async () => {
    if (busy || !picked) return;
    setBusy(true);
    setError(null);
    try {
      const result = await rescheduleAsHostAction(uid, picked, note.trim());
      if (result.ok) {
        void invalidateSlots(queryClient, { kind: 'host', handle: target.handle, slug: target.slug });
        router.refresh();
        onClose('rescheduled');
      } else if (result.code === 'slot_unavailable') {
        setPicked(null);
        setTaken(true);
        void invalidateSlots(queryClient, { kind: 'host', handle: target.handle, slug: target.slug });
      } else if (result.code === 'not_found') setError(t('errors.gone'));
      else if (result.code === 'conflict') setError(t('errors.notAllowed'));
      else if (result.code === 'invalid_input') setError(t('errors.note'));
      else setError(t('errors.generic'));
    } catch {
      setError(t('errors.generic'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack" style={{ gap: 12 }} data-testid="host-reschedule">
      <p className="small muted" style={{ margin: 0 }}>
        {t('current', { when: when(start) })}
      </p>
      {picked ? (
        <div className="stack" style={{ gap: 8 }}>
          <p style={{ margin: 0 }}>
            {t('newTime')} <strong data-testid="host-reschedule-picked">{when(picked)}</strong>
            <br />
            <span className="muted small">{zoneLabel(zone, locale)}</span>
          </p>
          <label className="field" htmlFor={noteId}>
            <span>
              {t('noteLabel')} <span className="muted small">{t('optional')}</span>
            </span>
            <textarea id={noteId} rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="host-reschedule-note" />
          </label>
          <div className="row">
            <button type="button" className="btn primary small" onClick={confirm} disabled={busy} data-testid="host-reschedule-confirm">
              {busy ? t('saving') : t('confirm')}
            </button>
            <button type="button" className="btn ghost small" onClick={() => setPicked(null)} disabled={busy}>
              {t('back')}
            </button>
          </div>
        </div>
      ) : null}
      <div hidden={picked !== null}>
        <SlotPicker
          target={{ kind: 'host', handle: target.handle, slug: target.slug }}
          locale={locale}
          bookingWindowDays={target.bookingWindowDays}
          prefs={prefs}
          heading={t('heading')}
          hideStarts={[start]}
          reschedule={moving}
          onPick={(slot) => {
            setTaken(false);
            setError(null);
            setPicked(slot);
          }}
          notice={
            taken ? (
              <div className="notice warn" role="alert" data-testid="host-reschedule-taken">
                {t('taken')}
              </div>
            ) : null
          }
        />
      </div>
      {error ? (
        <p className="field-error" role="alert" style={{ margin: 0 }}>
          {error}
        </p>
      ) : null}
      <div>
        <button type="button" className="btn ghost small" onClick={() => onClose('closed')} disabled={busy} data-testid="host-reschedule-close">
          {t('close')}
        </button>
      </div>
    </div>
  );
}
