'use client';

import { useTranslations } from 'next-intl';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import styles from './booking.module.css';
import { addMonths, buildMonthGrid, GRID_KEYS, type GridKey, type IsoDate, monthOf, moveDate, weekdayOrder, type YearMonth } from './calendar-grid';
import { formatDateFull, formatMonth, type UiLocale, weekdayNames } from './format';
import { ChevronLeft, ChevronRight } from './icons';

type Props = {
  month: YearMonth;
  minMonth: YearMonth;
  maxMonth: YearMonth;
  onMonthChange: (month: YearMonth) => void;
  /** Number of free slots per local date; null while loading. */
  counts: Map<IsoDate, number> | null;
  selectedDate: IsoDate | null;
  onSelect: (date: IsoDate) => void;
  today: IsoDate;
  locale: UiLocale;
};

/**
 * Month grid (WAI-ARIA grid pattern): one tab stop, arrows move by day/week, Home/End to the week's
 * ends, PageUp/PageDown by month, Enter/Space picks. Days with free slots are marked; others are
 * aria-disabled but still reachable so screen-reader users hear "no times".
 */
export function MonthCalendar({ month, minMonth, maxMonth, onMonthChange, counts, selectedDate, onSelect, today, locale }: Props) {
  const t = useTranslations('booking.calendar');
  const weeks = useMemo(() => buildMonthGrid(month, 0), [month]);
  const names = useMemo(() => weekdayNames(locale, 'short'), [locale]);
  const longNames = useMemo(() => weekdayNames(locale, 'long'), [locale]);
  const order = weekdayOrder(0);
  const gridRef = useRef<HTMLTableElement>(null);
  const focusAfterRender = useRef(false);

  const firstAvailable = useMemo(() => {
    if (!counts) return null;
    for (const week of weeks) for (const cell of week) if (cell.inMonth && (counts.get(cell.date) ?? 0) > 0) return cell.date;
    return null;
  }, [counts, weeks]);

  const defaultFocus =
    selectedDate && monthOf(selectedDate) === month ? selectedDate : (firstAvailable ?? (monthOf(today) === month ? today : `${month}-01`));
  // Null until the guest moves focus: the tab stop then follows the first open day once the counts arrive
  // (a state seeded on the first render would stay on "today" even when today has no times).
  const [focused, setFocused] = useState<IsoDate | null>(null);
  const tabStop = focused && monthOf(focused) === month ? focused : defaultFocus;

  useEffect(() => {
    if (!focusAfterRender.current) return;
    focusAfterRender.current = false;
    gridRef.current?.querySelector<HTMLButtonElement>(`button[data-date="${tabStop}"]`)?.focus();
  });

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (!GRID_KEYS.has(event.key)) return;
    event.preventDefault();
    const next = moveDate(tabStop, event.key as GridKey, 0);
    const nextMonth = monthOf(next);
    if (nextMonth < minMonth || nextMonth > maxMonth) return;
    setFocused(next);
    focusAfterRender.current = true;
    if (nextMonth !== month) onMonthChange(nextMonth);
  };

  const canPrev = month > minMonth;
  const canNext = month < maxMonth;
  const monthLabel = formatMonth(month, locale);

  return (
    <div>
      <div className={styles.monthNav}>
        <button
          type="button"
          className={`btn ghost ${styles.navBtn}`}
          onClick={() => onMonthChange(addMonths(month, -1))}
          disabled={!canPrev}
          aria-label={t('previousMonth')}
          data-testid="calendar-prev"
        >
          <ChevronLeft />
        </button>
        <p className={styles.monthLabel} aria-live="polite" id={`cal-${month}`} data-testid="calendar-month">
          {monthLabel}
        </p>
        <button
          type="button"
          className={`btn ghost ${styles.navBtn}`}
          onClick={() => onMonthChange(addMonths(month, 1))}
          disabled={!canNext}
          aria-label={t('nextMonth')}
          data-testid="calendar-next"
        >
          <ChevronRight />
        </button>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a table with role=grid is the WAI-ARIA date-picker pattern */}
      <table className={styles.grid} role="grid" aria-labelledby={`cal-${month}`} ref={gridRef} onKeyDown={onKeyDown} aria-busy={counts === null}>
        <thead>
          <tr>
            {order.map((d) => (
              <th key={d} scope="col" abbr={longNames[d]}>
                {names[d]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]!.date}>
              {week.map((cell) => {
                if (!cell.inMonth) {
                  return (
                    <td key={cell.date} aria-hidden="true">
                      <span className={`${styles.day} ${styles.dayOut}`} />
                    </td>
                  );
                }
                const count = counts?.get(cell.date) ?? 0;
                const available = count > 0;
                const selected = cell.date === selectedDate;
                const classes = [styles.day];
                if (counts === null) classes.push(styles.daySkeleton);
                else if (available) classes.push(styles.dayAvailable);
                if (selected) classes.push(styles.daySelected);
                if (cell.date === today) classes.push(styles.dayToday);
                const label = `${formatDateFull(cell.date, locale)}, ${
                  counts === null ? t('loadingDay') : available ? t('slotsCount', { count }) : t('noSlots')
                }`;
                return (
                  <td key={cell.date}>
                    <button
                      type="button"
                      className={classes.join(' ')}
                      tabIndex={cell.date === tabStop ? 0 : -1}
                      aria-disabled={!available}
                      aria-pressed={selected}
                      aria-current={cell.date === today ? 'date' : undefined}
                      aria-label={label}
                      data-date={cell.date}
                      data-available={available ? 'true' : 'false'}
                      onFocus={() => setFocused(cell.date)}
                      onClick={() => {
                        setFocused(cell.date);
                        if (available) onSelect(cell.date);
                      }}
                    >
                      {Number(cell.date.slice(8, 10))}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
