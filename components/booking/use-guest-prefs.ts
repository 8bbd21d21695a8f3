'use client';

import { useCallback, useEffect, useState } from 'react';
import { canonicalTimeZone, isKnownTimeZone } from '@/lib/availability/time-zone';
import { browserTimeZone, defaultHour12, type UiLocale } from './format';

const ZONE_KEY = 'aki:guest-time-zone';
const HOUR12_KEY = 'aki:guest-hour12';

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}
function write(key: string, value: string) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // private mode: the choice just isn't remembered
  }
}

/**
 * The guest's display preferences: time zone (browser-detected, or the guest's last explicit choice)
 * and 12/24-hour clock (default by language: ja 24h, en 12h). `zone` is null until mounted, because
 * the server cannot know it; the widgets render a skeleton meanwhile.
 */
export function useGuestPrefs(locale: UiLocale) {
  const [zone, setZoneState] = useState<string | null>(null);
  const [detectedZone, setDetectedZone] = useState<string | null>(null);
  // null = no explicit choice: follow the language (switching language switches the clock too).
  const [hour12Choice, setHour12Choice] = useState<boolean | null>(null);

  useEffect(() => {
    // Browsers may report an old alias (Asia/Calcutta); show and send the current IANA name.
    const detected = canonicalTimeZone(browserTimeZone());
    const saved = read(ZONE_KEY);
    setDetectedZone(detected);
    setZoneState(saved && isKnownTimeZone(saved) ? saved : detected);
    const savedHour = read(HOUR12_KEY);
    if (savedHour === '12' || savedHour === '24') setHour12Choice(savedHour === '12');
  }, []);

  const setZone = useCallback((next: string) => {
    setZoneState(next);
    write(ZONE_KEY, next);
  }, []);
  const setHour12 = useCallback((next: boolean) => {
    setHour12Choice(next);
    write(HOUR12_KEY, next ? '12' : '24');
  }, []);

  return { zone, detectedZone, setZone, hour12: hour12Choice ?? defaultHour12(locale), setHour12 };
}
