'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import styles from './booking.module.css';
import { addDays, addMonths, type IsoDate, monthBounds, monthOf, type YearMonth } from './calendar-grid';
import { formatDateFull, formatDateLabel, formatMonth, formatTime, type UiLocale } from './format';
import { MonthCalendar } from './month-calendar';
import { monthSlotsQuery, type RescheduleOf, rangeSlotsQuery, SlotsError, type SlotsTarget, slotsByDate, targetPath } from './slots-query';
import { TimeZonePicker } from './time-zone-picker';
import type { useGuestPrefs } from './use-guest-prefs';
import { localDateIn } from './zones';

export type GuestPrefs = ReturnType<typeof useGuestPrefs>;

type Props = {
  /** Whose slots: a personal page or a team page. */
  target: SlotsTarget;
  locale: UiLocale;
  bookingWindowDays: number;
  prefs: GuestPrefs;
  onPick: (slot: string) => void;
  /** Shown above the calendar (e.g. "that time was just taken"). */
  notice?: ReactNode;
  heading: string;
  /** Starts to hide (the booking being rescheduled). */
  hideStarts?: string[];
  /** The booking being rescheduled: slots are offered as if it were not there. */
  reschedule?: RescheduleOf;
};

/** Month calendar + the chosen day's slots + time-zone and clock preferences. Shared by booking and rescheduling. */
export function SlotPicker({ target, locale, bookingWindowDays, prefs, onPick, notice, heading, hideStarts = [], reschedule }: Props) {
  const { zone } = prefs;
  if (!zone) return <PickerSkeleton heading={heading} />;
  return (
    <ZonedPicker
      zone={zone}
      target={target}
      locale={locale}
      bookingWindowDays={bookingWindowDays}
      prefs={prefs}
      onPick={onPick}
      notice={notice}
      heading={heading}
      hideStarts={hideStarts}
      reschedule={reschedule}
    />
  );
}

function ZonedPicker({
  zone,
  target: givenTarget,
  locale,
  bookingWindowDays,
  prefs,
  onPick,
  notice,
  heading,
  hideStarts = [],
  reschedule,
}: Props & { zone: string }) {
  const t = useTranslations('booking');
  const queryClient = useQueryClient();
  const today = useMemo(() => localDateIn(zone), [zone]);
  const lastDate = addDays(today, bookingWindowDays + 1);
  const minMonth = monthOf(today);
  const maxMonth = monthOf(lastDate);
  const [month, setMonth] = useState<YearMonth>(minMonth);
  const [selectedDate, setSelectedDate] = useState<IsoDate | null>(null);
  const slotsRef = useRef<HTMLDivElement>(null);
  // Callers may pass a fresh object each render: the target is keyed by its path.
  const pathKey = targetPath(givenTarget);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by content, not by object identity
  const target = useMemo(() => givenTarget, [pathKey]);

  const query = useQuery(monthSlotsQuery(target, month, zone, reschedule));

  // Next month is prefetched so paging forward is instant.
  useEffect(() => {
    const next = addMonths(month, 1);
    if (next <= maxMonth) void queryClient.prefetchQuery(monthSlotsQuery(target, next, zone, reschedule));
  }, [queryClient, target, month, zone, maxMonth, reschedule]);

  const hiddenKey = hideStarts.join('|');
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by content, not by array identity
  const hidden = useMemo(() => new Set(hideStarts.map((s) => new Date(s).getTime())), [hiddenKey]);
  const byDate = useMemo(() => {
    const map = slotsByDate(query.data);
    if (hidden.size === 0) return map;
    for (const [date, slots] of map) map.set(date, slots.filter((s) => !hidden.has(new Date(s).getTime())));
    return map;
  }, [query.data, hidden]);
  const counts = useMemo(() => {
    if (!query.data) return null;
    const map = new Map<IsoDate, number>();
    for (const [date, slots] of byDate) if (monthOf(date) === month) map.set(date, slots.length);
    return map;
  }, [byDate, query.data, month]);
  const monthEmpty = counts !== null && Array.from(counts.values()).every((n) => n === 0);

  // When this month has nothing, look ahead (up to 62 days, the endpoint's limit) for the next open day.
  const aheadFrom = monthBounds(addMonths(month, 1)).from;
  const aheadTo = [addDays(aheadFrom, 61), lastDate].sort()[0]!;
  const ahead = useQuery({ ...rangeSlotsQuery(target, aheadFrom, aheadTo, zone, reschedule), enabled: monthEmpty && aheadFrom <= lastDate });
  const nextAvailable = useMemo(() => ahead.data?.days.find((d) => d.slots.length > 0)?.date ?? null, [ahead.data]);

  const changeMonth = (next: YearMonth) => {
    setMonth(next);
    if (selectedDate && monthOf(selectedDate) !== next) setSelectedDate(null);
  };

  const selectDate = (date: IsoDate) => {
    setSelectedDate(date);
    if (typeof window !== 'undefined' && window.matchMedia('(max-width: 899px)').matches) {
      const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      requestAnimationFrame(() => slotsRef.current?.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'start' }));
    }
  };

  const daySlots = selectedDate ? (byDate.get(selectedDate) ?? []) : [];
  const error = query.error;

  return (
    <div className="stack">
      <div className={styles.pickerHead}>
        <h2>{heading}</h2>
      </div>
      {notice}
      {error ? (
        <div className="notice error" role="alert">
          {error instanceof SlotsError && error.status === 404 ? t('picker.pageGone') : t('picker.loadError')}{' '}
          <button type="button" className="btn small" onClick={() => void query.refetch()}>
            {t('picker.retry')}
          </button>
        </div>
      ) : null}
      <div className={styles.picker}>
        <div>
          <MonthCalendar
            month={month}
            minMonth={minMonth}
            maxMonth={maxMonth}
            onMonthChange={changeMonth}
            counts={error ? new Map() : counts}
            selectedDate={selectedDate}
            onSelect={selectDate}
            today={today}
            locale={locale}
          />
          {monthEmpty ? (
            <div className="notice info" style={{ marginTop: 8 }} data-testid="month-empty">
              <p style={{ margin: 0 }}>{t('picker.monthEmpty', { month: formatMonth(month, locale) })}</p>
              {ahead.isFetching ? (
                <p className="muted small" style={{ margin: '4px 0 0' }}>
                  {t('picker.searching')}
                </p>
              ) : nextAvailable ? (
                <button
                  type="button"
                  className="btn small primary"
                  style={{ marginTop: 8 }}
                  onClick={() => {
                    setMonth(monthOf(nextAvailable));
                    selectDate(nextAvailable);
                  }}
                  data-testid="jump-next-available"
                >
                  {t('picker.jumpTo', { date: formatDateLabel(nextAvailable, locale) })}
                </button>
              ) : ahead.isSuccess || aheadFrom > lastDate ? (
                <p className="muted small" style={{ margin: '4px 0 0' }}>
                  {t('picker.nothingAhead')}
                </p>
              ) : null}
            </div>
          ) : null}
          <div className={styles.prefs}>
            <span className={styles.prefsLabel} aria-hidden="true">
              {t('timeZone.label')}
            </span>
            <TimeZonePicker value={zone} detected={prefs.detectedZone} onChange={prefs.setZone} locale={locale} />
            <fieldset className={styles.toggle} style={{ padding: 0, border: 0 }}>
              <legend className="visually-hidden">{t('picker.clock')}</legend>
              <button type="button" aria-pressed={prefs.hour12} onClick={() => prefs.setHour12(true)} data-testid="clock-12">
                {t('picker.hour12')}
              </button>
              <button type="button" aria-pressed={!prefs.hour12} onClick={() => prefs.setHour12(false)} data-testid="clock-24">
                {t('picker.hour24')}
              </button>
            </fieldset>
          </div>
        </div>
        <div className={styles.slots} ref={slotsRef} aria-live="polite" data-testid="slots">
          {selectedDate ? (
            <>
              <h3 className={styles.slotsTitle}>{formatDateLabel(selectedDate, locale)}</h3>
              {query.isPending ? (
                <SlotSkeleton />
              ) : daySlots.length === 0 ? (
                <p className="muted">{t('picker.dayFull')}</p>
              ) : (
                <ul className={styles.slotList} aria-label={t('picker.slotsFor', { date: formatDateFull(selectedDate, locale) })}>
                  {daySlots.map((slot) => (
                    <li key={slot}>
                      <button type="button" className={styles.slot} onClick={() => onPick(slot)} data-testid="slot" data-start={slot}>
                        {formatTime(slot, zone, locale, prefs.hour12)}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : query.isPending ? (
            <SlotSkeleton />
          ) : (
            <p className="muted">{t('picker.pickDay')}</p>
          )}
        </div>
      </div>
    </div>
  );
}

function SlotSkeleton() {
  return (
    <div className="stack" aria-hidden="true">
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className={styles.slotSkeleton} />
      ))}
    </div>
  );
}

function PickerSkeleton({ heading }: { heading: string }) {
  return (
    <div className="stack" aria-busy="true">
      <div className={styles.pickerHead}>
        <h2>{heading}</h2>
      </div>
      <div className={styles.picker}>
        <div className="stack">
          {[0, 1, 2, 3, 4, 5].map((i) => (
            <div key={i} className={styles.slotSkeleton} />
          ))}
        </div>
        <SlotSkeleton />
      </div>
    </div>
  );
}
