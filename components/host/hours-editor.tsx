'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { addCalendarDays } from '@/lib/availability/time-zone';
import { type FieldIssue, PAGE_LIMITS, WEEKDAYS, type Weekday } from '@/lib/booking-pages/schema';
import { newKey, nextWindow, type OverrideDraft, timeChoices, type WindowDraft } from './booking-page-draft';
import styles from './booking-page-editor.module.css';
import { FieldIssueText } from './field-issue';
import { formatWallClock, type UiLocale } from './wall-clock';

/** Looks up the visible issue at a path (the editor decides what is visible). */
/** `exact`: only an issue about `path` itself, not about the items below it. */
export type IssueLookup = (path: string, exact?: boolean) => FieldIssue | undefined;

/** A picker's label for a wall-clock value in the host's clock; 24:00 says it is midnight at the end of the day. */
function timeLabel(value: string, locale: UiLocale, hour12: boolean, midnight: (time: string) => string): string {
  const text = formatWallClock(value, locale, hour12);
  return value === '24:00' ? midnight(text) : text;
}

function TimeSelect({ value, onChange, label, invalid, hour12 }: { value: string; onChange: (v: string) => void; label: string; invalid: boolean; hour12: boolean }) {
  const locale = useLocale() as UiLocale;
  const t = useTranslations('pages.editor');
  const choices = useMemo(() => timeChoices([value]), [value]);
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid || undefined}>
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {timeLabel(choice, locale, hour12, (time) => t('midnight', { time }))}
        </option>
      ))}
    </select>
  );
}

/** A day's windows: start–end pickers, remove, add. Errors appear under the window they concern. */
export function WindowList({
  windows,
  onChange,
  path,
  issueAt,
  labelPrefix,
  footer,
  hour12,
}: {
  windows: WindowDraft[];
  onChange: (next: WindowDraft[]) => void;
  path: string;
  issueAt: IssueLookup;
  labelPrefix: string;
  footer?: React.ReactNode;
  /** The host's clock for the pickers' labels. */
  hour12: boolean;
}) {
  const t = useTranslations('pages.editor');
  const set = (index: number, patch: Partial<WindowDraft>) => onChange(windows.map((w, i) => (i === index ? { ...w, ...patch } : w)));
  return (
    <div className={styles.windows}>
      {windows.map((w, i) => {
        const startIssue = issueAt(`${path}.${i}.start`);
        const endIssue = issueAt(`${path}.${i}.end`);
        return (
          <div className={styles.window} key={i} data-testid="window">
            <TimeSelect value={w.start} onChange={(start) => set(i, { start })} label={`${labelPrefix} ${t('from')}`} invalid={Boolean(startIssue)} hour12={hour12} />
            <span className={styles.dash} aria-hidden="true">
              –
            </span>
            <TimeSelect value={w.end} onChange={(end) => set(i, { end })} label={`${labelPrefix} ${t('to')}`} invalid={Boolean(endIssue)} hour12={hour12} />
            <button
              type="button"
              className={styles.iconButton}
              onClick={() => onChange(windows.filter((_, k) => k !== i))}
              aria-label={`${t('removeWindow')} (${labelPrefix})`}
              title={t('removeWindow')}
            >
              ×
            </button>
            {startIssue || endIssue ? (
              <div className={styles.windowError}>
                <FieldIssueText issue={startIssue ?? endIssue} />
              </div>
            ) : null}
          </div>
        );
      })}
      <FieldIssueText issue={issueAt(path, true)} />
      <div className="row">
        {windows.length < PAGE_LIMITS.windowsPerDay ? (
          <button type="button" className="btn ghost small" onClick={() => onChange([...windows, nextWindow(windows)])}>
            + {t('addWindow')}
          </button>
        ) : null}
        {footer}
      </div>
    </div>
  );
}

/** Weekly hours: a row per weekday with an on/off switch and several windows. */
export function WeeklyHoursEditor({
  value,
  onChange,
  issueAt,
  hour12,
}: {
  value: Record<Weekday, WindowDraft[]>;
  onChange: (next: Record<Weekday, WindowDraft[]>) => void;
  issueAt: IssueLookup;
  hour12: boolean;
}) {
  const t = useTranslations('pages.editor');
  return (
    <div className={styles.days}>
      {WEEKDAYS.map((day) => {
        const windows = value[day];
        const on = windows.length > 0;
        const name = t(`weekdays.${day}`);
        return (
          <div className={styles.day} key={day} data-testid={`day-${day}`}>
            <label className={styles.dayToggle}>
              <input
                type="checkbox"
                checked={on}
                onChange={(e) => onChange({ ...value, [day]: e.target.checked ? [nextWindow([])] : [] })}
              />
              {name}
            </label>
            {on ? (
              <WindowList
                windows={windows}
                onChange={(next) => onChange({ ...value, [day]: next })}
                path={`weeklyHours.${day}`}
                issueAt={issueAt}
                labelPrefix={name}
                hour12={hour12}
                footer={
                  <button
                    type="button"
                    className="btn ghost small"
                    onClick={() => {
                      const copy = {} as Record<Weekday, WindowDraft[]>;
                      for (const d of WEEKDAYS) copy[d] = value[d].length > 0 || d === day ? windows.map((w) => ({ ...w })) : [];
                      onChange(copy);
                    }}
                  >
                    {t('copyToAll')}
                  </button>
                }
              />
            ) : (
              <span className={styles.closedText}>{t('unavailable')}</span>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** The first date from `today` on without an override (calendar arithmetic lives in lib/availability). */
function firstFreeDate(today: string, overrides: readonly OverrideDraft[]): string {
  const used = new Set(overrides.map((o) => o.date));
  let date = today;
  for (let i = 0; i < 400 && used.has(date); i++) date = addCalendarDays(date, 1);
  return date;
}

/** Date overrides: a date, then "unavailable all day" or special hours replacing that day's weekly hours. */
export function DateOverridesEditor({
  value,
  onChange,
  issueAt,
  today,
  hour12,
}: {
  value: OverrideDraft[];
  onChange: (next: OverrideDraft[]) => void;
  issueAt: IssueLookup;
  /** YYYY-MM-DD in the page's zone, the default for a new override. */
  today: string;
  hour12: boolean;
}) {
  const t = useTranslations('pages.editor');
  const set = (index: number, patch: Partial<OverrideDraft>) => onChange(value.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  return (
    <div className="stack">
      {value.length === 0 ? <p className="muted small">{t('noOverrides')}</p> : null}
      {value.map((o, i) => {
        const closed = o.intervals.length === 0;
        const dateIssue = issueAt(`dateOverrides.${i}.date`);
        return (
          <div className={styles.override} key={o.key} data-testid="override">
            <div className={styles.overrideHead}>
              <label className="visually-hidden" htmlFor={`override-date-${o.key}`}>
                {t('overrideDate')}
              </label>
              <input
                id={`override-date-${o.key}`}
                type="date"
                value={o.date}
                onChange={(e) => set(i, { date: e.target.value })}
                aria-invalid={Boolean(dateIssue) || undefined}
              />
              <div className={styles.segmented}>
                <button type="button" aria-pressed={closed} onClick={() => set(i, { intervals: [] })}>
                  {t('overrideClosed')}
                </button>
                <button type="button" aria-pressed={!closed} onClick={() => !closed || set(i, { intervals: [nextWindow([])] })}>
                  {t('overrideHours')}
                </button>
              </div>
              <button
                type="button"
                className={styles.iconButton}
                onClick={() => onChange(value.filter((_, k) => k !== i))}
                aria-label={t('removeOverride')}
                title={t('removeOverride')}
              >
                ×
              </button>
            </div>
            <FieldIssueText issue={dateIssue} />
            {closed ? null : (
              <WindowList
                windows={o.intervals}
                onChange={(intervals) => set(i, { intervals })}
                path={`dateOverrides.${i}.intervals`}
                issueAt={issueAt}
                labelPrefix={o.date}
                hour12={hour12}
              />
            )}
          </div>
        );
      })}
      <FieldIssueText issue={issueAt('dateOverrides', true)} />
      {value.length < PAGE_LIMITS.dateOverrides ? (
        <div>
          <button type="button" className="btn small" onClick={() => onChange([...value, { key: newKey('o'), date: firstFreeDate(today, value), intervals: [] }])}>
            + {t('addOverride')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
