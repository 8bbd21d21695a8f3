'use client';

import { useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import type { BookingQuestion } from '@/lib/booking-pages/schema';
import { embedHref } from '@/lib/embed/mode';
import type { UiLocale } from './format';
import { SlotPicker } from './slot-picker';
import { invalidateSlots, type SlotsTarget } from './slots-query';
import { useGuestPrefs } from './use-guest-prefs';

/**
 * The form (and the validation library it brings) is not part of the first screen: it is fetched when
 * the guest first touches the picker, so it is usually there by the time they pick a time.
 */
const loadBookingForm = () => import('./booking-form').then((m) => m.BookingForm);
const BookingForm = dynamic(loadBookingForm, { ssr: false, loading: () => <p className="muted" aria-busy="true">…</p> });

type Props = {
  /** The page booked: a host's (/{handle}/{slug}) or a team's (/team/{org}/{slug}). */
  target: SlotsTarget;
  durationMinutes: number;
  bookingWindowDays: number;
  questions: BookingQuestion[];
  /** Framed by public/embed.js: the confirmation opens embedded too. */
  embedded?: boolean;
};

/** The interactive part of /{host}/{page} and /team/{org}/{page}: pick a slot, fill the form, confirm. */
export function BookingWidget({ target, durationMinutes, bookingWindowDays, questions, embedded = false }: Props) {
  const t = useTranslations('booking');
  const locale = useLocale() as UiLocale;
  const router = useRouter();
  const queryClient = useQueryClient();
  const prefs = useGuestPrefs(locale);
  const [slot, setSlot] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);
  const [formValues, setFormValues] = useState<Record<string, string>>({});
  const headingRef = useRef<HTMLDivElement>(null);

  // Moving between the two steps puts focus (and, on a phone, the viewport) at the step's start.
  const firstRender = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.scrollIntoView({ block: 'start' });
    headingRef.current?.focus();
  }, [slot === null]);

  const preloadForm = () => void loadBookingForm();

  const end = slot ? new Date(new Date(slot).getTime() + durationMinutes * 60_000).toISOString() : null;

  return (
    <div
      ref={headingRef}
      tabIndex={-1}
      style={{ outline: 'none' }}
      data-testid="booking-widget"
      onPointerDownCapture={preloadForm}
      onKeyDownCapture={preloadForm}
    >
      {slot && end && prefs.zone ? (
        <div className="stack">
          <h2 style={{ margin: 0, fontSize: '1.1rem' }}>{t('form.title')}</h2>
          <BookingForm
            key={slot}
            target={target}
            questions={questions}
            start={slot}
            end={end}
            timeZone={prefs.zone}
            hour12={prefs.hour12}
            locale={locale}
            onBack={() => setSlot(null)}
            onTaken={() => {
              setSlot(null);
              setTaken(true);
              void invalidateSlots(queryClient, target);
            }}
            onBooked={(next) => router.push(embedHref(next, embedded))}
            values={formValues}
            onValuesChange={setFormValues}
          />
        </div>
      ) : null}
      {/* Kept mounted while the form shows, so "Back" returns to the same month and day. */}
      <div hidden={Boolean(slot)}>
        <SlotPicker
          target={target}
          locale={locale}
          bookingWindowDays={bookingWindowDays}
          prefs={prefs}
          heading={t('picker.heading')}
          onPick={(picked) => {
            setTaken(false);
            setSlot(picked);
          }}
          notice={
            taken ? (
              <div className="notice warn" role="alert" data-testid="slot-taken">
                {t('picker.taken')}
              </div>
            ) : null
          }
        />
      </div>
    </div>
  );
}
