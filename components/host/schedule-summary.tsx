'use client';

import { useLocale, useTranslations } from 'next-intl';
import { type DateOverride, WEEKDAYS, type WeeklyHours } from '@/lib/booking-pages/schema';
import styles from './booking-page-editor.module.css';
import { formatWindows, type UiLocale } from './wall-clock';

const SHOWN_OVERRIDES = 5;

/** A schedule's hours read-only: zone, each weekday's windows and the first overrides, in the host's clock. */
export function ScheduleSummary({
  schedule,
  hour12,
}: {
  schedule: { timeZone: string; weeklyHours: WeeklyHours; dateOverrides: DateOverride[] };
  hour12: boolean;
}) {
  const locale = useLocale() as UiLocale;
  const t = useTranslations('availability');
  const te = useTranslations('pages.editor');
  const overrides = schedule.dateOverrides.slice(0, SHOWN_OVERRIDES);
  return (
    <div className="stack" data-testid="schedule-summary">
      <p className="muted small" style={{ margin: 0 }}>
        {t('zone', { zone: schedule.timeZone.replaceAll('_', ' ') })}
      </p>
      <dl className={styles.summary}>
        {WEEKDAYS.map((day) => {
          const windows = schedule.weeklyHours[day];
          return (
            <div key={day} data-testid={`summary-${day}`}>
              <dt>{te(`weekdays.${day}`)}</dt>
              <dd className={windows.length === 0 ? 'muted' : undefined}>{windows.length > 0 ? formatWindows(windows, locale, hour12) : te('unavailable')}</dd>
            </div>
          );
        })}
      </dl>
      {overrides.length > 0 ? (
        <ul className={styles.summaryOverrides}>
          {overrides.map((o) => (
            <li key={o.date}>
              <bdi>{o.date}</bdi>: {o.intervals.length > 0 ? formatWindows(o.intervals, locale, hour12) : t('overrideClosed')}
            </li>
          ))}
          {schedule.dateOverrides.length > SHOWN_OVERRIDES ? <li className="muted">{t('moreOverrides', { count: schedule.dateOverrides.length - SHOWN_OVERRIDES })}</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
