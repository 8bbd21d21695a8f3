'use client';

import { useTranslations } from 'next-intl';
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import styles from './booking.module.css';
import { formatOffset, type UiLocale, zoneCity, zoneLabel } from './format';
import { ChevronDown, GlobeIcon } from './icons';
import { filterZones, zoneOptions } from './zones';

type Props = {
  value: string;
  detected: string | null;
  onChange: (zone: string) => void;
  locale: UiLocale;
};

/**
 * Searchable time-zone picker (combobox + listbox): every IANA zone with its current offset and its
 * generic name in the UI language. Type to filter ("tokyo", "york", "+09", "日本"), arrows to move,
 * Enter to choose, Escape to close.
 */
export function TimeZonePicker({ value, detected, onChange, locale }: Props) {
  const t = useTranslations('booking.timeZone');
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  const inputId = useId();

  const options = useMemo(() => (open ? zoneOptions(locale, [value, detected ?? '']) : []), [open, locale, value, detected]);
  const filtered = useMemo(() => filterZones(options, query), [options, query]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active, open]);

  const openPanel = () => {
    setQuery('');
    setOpen(true);
  };
  // When the list is (re)computed, start on the current zone.
  useEffect(() => {
    if (!open) return;
    const index = filtered.findIndex((o) => o.zone === value);
    setActive(index >= 0 && query === '' ? index : 0);
  }, [filtered, open, query, value]);

  const choose = (zone: string) => {
    onChange(zone);
    setOpen(false);
    buttonRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => Math.min(i + 1, filtered.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Home' && event.ctrlKey) {
      setActive(0);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = filtered[active];
      if (option) choose(option.zone);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    }
  };

  const offset = formatOffset(value);
  return (
    <div className={styles.tz} ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={`btn ${styles.tzButton}`}
        aria-haspopup="listbox"
        aria-expanded={open}
        onClick={() => (open ? setOpen(false) : openPanel())}
        data-testid="tz-button"
      >
        <GlobeIcon />
        <span className={styles.tzButtonText}>
          <span className="visually-hidden">{t('label')}: </span>
          {zoneCity(value, locale)} <span className={styles.tzOffset}>{offset}</span>
        </span>
        <ChevronDown />
      </button>
      {open ? (
        <div className={styles.tzPanel}>
          <label htmlFor={inputId} className="visually-hidden">
            {t('search')}
          </label>
          <input
            id={inputId}
            type="search"
            role="combobox"
            aria-expanded="true"
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={filtered[active] ? `${listId}-${active}` : undefined}
            placeholder={t('searchPlaceholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKeyDown}
            // biome-ignore lint/a11y/noAutofocus: the panel exists to type a search; focus belongs in it
            autoFocus
            autoComplete="off"
            data-testid="tz-search"
          />
          {detected && detected !== value ? (
            <button type="button" className="btn ghost small" style={{ marginTop: 6 }} onClick={() => choose(detected)}>
              {t('useDetected', { zone: zoneLabel(detected, locale) })}
            </button>
          ) : null}
          <div className={styles.tzList} role="listbox" id={listId} ref={listRef} aria-label={t('label')}>
            {filtered.length === 0 ? (
              <p className="muted small" style={{ padding: 8, margin: 0 }}>
                {t('noMatch')}
              </p>
            ) : (
              filtered.map((o, index) => (
                // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard selection happens in the combobox input (aria-activedescendant)
                <div
                  key={o.zone}
                  tabIndex={-1}
                  id={`${listId}-${index}`}
                  role="option"
                  aria-selected={o.zone === value}
                  data-index={index}
                  data-zone={o.zone}
                  className={`${styles.tzOption} ${index === active ? styles.tzActive : ''}`}
                  onMouseEnter={() => setActive(index)}
                  onClick={() => choose(o.zone)}
                >
                  <span>
                    {o.label}
                    {o.name ? <span className={styles.tzName}>{o.name}</span> : null}
                  </span>
                  <span className={styles.tzOffset}>{o.offset}</span>
                </div>
              ))
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
}
