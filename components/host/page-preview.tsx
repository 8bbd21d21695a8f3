'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { previewPageAction } from '@/lib/bookings/actions';
import type { BookingPageInputRaw } from '@/lib/booking-pages/schema';
import styles from './booking-page-editor.module.css';
import { formatInstantClock, type UiLocale } from './wall-clock';

const SLOTS_PER_DAY = 8;

/** Re-renders with `value` only after it has stayed the same for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * The editor's live preview: the next days with free times for the current (unsaved) values,
 * computed on the server by the slot engine. `input` is null while the form has errors. Times read
 * in the host's clock (`hour12`), like the hours pickers.
 */
export function PagePreview({ pageId, input, timeZone, hour12 }: { pageId: string | null; input: BookingPageInputRaw | null; timeZone: string; hour12: boolean }) {
  const t = useTranslations('pages.preview');
  const locale = useLocale() as UiLocale;
  const key = input ? JSON.stringify(input) : null;
  const debouncedKey = useDebounced(key, 450);
  const query = useQuery({
    queryKey: ['booking-page-preview', pageId, debouncedKey],
    queryFn: () => previewPageAction(pageId, JSON.parse(debouncedKey!) as unknown),
    enabled: debouncedKey !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const stale = query.isFetching || key !== debouncedKey;

  let body: React.ReactNode;
  if (!input) body = <p className="muted small">{t('invalid')}</p>;
  else if (query.isError || (query.data && !query.data.ok && query.data.code !== 'invalid_input')) body = <p className="field-error">{t('error')}</p>;
  else if (!query.data) body = <p className="muted small">{t('loading')}</p>;
  else if (!query.data.ok) body = <p className="muted small">{t('invalid')}</p>;
  else if (query.data.data.days.length === 0) body = <p className="muted small">{t('none')}</p>;
  else {
    const preview = query.data.data;
    const zone = preview.timeZone;
    const dayFormat = new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
    body = (
      <div className={`${styles.previewDays} ${stale ? styles.stale : ''}`} data-testid="preview-days">
        {preview.days.map((day) => (
          <div className={styles.previewDay} key={day.date}>
            <h3>{dayFormat.format(new Date(`${day.date}T12:00:00Z`))}</h3>
            <div className={styles.previewSlots}>
              {day.slots.slice(0, SLOTS_PER_DAY).map((slot) => (
                <span className={styles.previewSlot} key={slot}>
                  {formatInstantClock(new Date(slot), zone, locale, hour12)}
                </span>
              ))}
              {day.slots.length > SLOTS_PER_DAY ? <span className={styles.previewMore}>{t('more', { count: day.slots.length - SLOTS_PER_DAY })}</span> : null}
            </div>
          </div>
        ))}
      </div>
    );
  }

  return (
    <section className="card stack" aria-live="polite" aria-busy={stale} data-testid="page-preview">
      <div className={styles.sectionTitle}>
        <h2 style={{ margin: 0 }}>{t('title')}</h2>
        {stale && input ? <span className="muted small">{t('loading')}</span> : null}
      </div>
      <p className="muted small" style={{ margin: 0 }}>
        {t('hint', { zone: timeZone.replaceAll('_', ' ') })}
      </p>
      {body}
      {query.data?.ok && query.data.data.calendarDegraded ? <p className="muted small">{t('calendarDegraded')}</p> : null}
    </section>
  );
}
