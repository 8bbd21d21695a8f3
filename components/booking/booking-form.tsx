'use client';

import { useTranslations } from 'next-intl';
import { type FormEvent, useId, useRef, useState } from 'react';
import type { BookingQuestion } from '@/lib/booking-pages/schema';
import { confirmBookingAction } from '@/lib/bookings/actions';
import { guestEmailSchema, guestNameSchema, validateAnswers } from '@/lib/bookings/schema';
import { confirmTeamBookingAction } from '@/lib/teams/actions';
import styles from './booking.module.css';
import { formatInstantDate, formatTime, type UiLocale, zoneLabel } from './format';
import type { SlotsTarget } from './slots-query';

type Props = {
  /** The page booked: a personal page or a team page (each with its own confirm action). */
  target: SlotsTarget;
  questions: BookingQuestion[];
  start: string;
  end: string;
  timeZone: string;
  hour12: boolean;
  locale: UiLocale;
  onBack: () => void;
  /** 409: the slot went to someone else meanwhile. */
  onTaken: () => void;
  onBooked: (next: string) => void;
  /** Kept by the parent so the typed details survive "that time was just taken" and picking another slot. */
  values: Record<string, string>;
  onValuesChange: (update: (values: Record<string, string>) => Record<string, string>) => void;
};

type Errors = Record<string, string>;

const fieldKey = (id: string) => `answers.${id}`;

/**
 * Guest details + the page's questions → Confirm. One idempotency key per form instance, so a
 * double click or a retry after a network hiccup yields one booking. Field errors come from the same
 * validators the server uses and, authoritatively, from the server's 422.
 */
/**
 * One key per form. Not crypto.randomUUID(): browsers offer it only in secure contexts (https or
 * localhost), and a self-hosted Aki on plain http under another name must still take bookings.
 */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function BookingForm({ target, questions, start, end, timeZone, hour12, locale, onBack, onTaken, onBooked, values, onValuesChange }: Props) {
  const t = useTranslations('booking.form');
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const inFlight = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const idBase = useId();

  const set = (key: string, value: string) => {
    onValuesChange((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest);
  };

  const message = (code: string) => {
    const key = `errors.${code}`;
    return t.has(key) ? t(key) : t('errors.invalid');
  };

  const validate = (): Errors => {
    const found: Errors = {};
    const name = guestNameSchema.safeParse(values.name ?? '');
    if (!name.success) found.name = name.error.issues[0]?.message ?? 'invalid';
    const email = guestEmailSchema.safeParse(values.email ?? '');
    if (!email.success) found.email = email.error.issues[0]?.message ?? 'invalid';
    const answers: Record<string, string> = {};
    for (const q of questions) if (values[fieldKey(q.id)]) answers[q.id] = values[fieldKey(q.id)]!;
    Object.assign(found, validateAnswers(questions, answers).fields);
    return found;
  };

  const focusFirstError = (found: Errors) => {
    const first = Object.keys(found)[0];
    if (!first) return;
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-field="${CSS.escape(first)}"]`)?.focus());
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (inFlight.current) return;
    setFormError(null);
    const found = validate();
    if (Object.keys(found).length > 0) {
      setErrors(found);
      focusFirstError(found);
      return;
    }
    inFlight.current = true;
    setSubmitting(true);
    let keepDisabled = false;
    try {
      const answers: Record<string, string> = {};
      for (const q of questions) {
        const value = (values[fieldKey(q.id)] ?? '').trim();
        if (value) answers[q.id] = value;
      }
      const request = { start, name: values.name ?? '', email: values.email ?? '', timeZone, answers, locale, hour12, idempotencyKey };
      const result =
        target.kind === 'team'
          ? await confirmTeamBookingAction({ orgSlug: target.org, slug: target.slug, ...request })
          : await confirmBookingAction({ handle: target.handle, slug: target.slug, ...request });
      if (result.ok) {
        keepDisabled = true;
        onBooked(result.data.next);
        return;
      }
      switch (result.code) {
        case 'slot_unavailable':
          onTaken();
          return;
        case 'invalid_input': {
          const fields = result.fields ?? {};
          const visible: Errors = {};
          for (const [key, code] of Object.entries(fields)) {
            if (key === 'name' || key === 'email' || key.startsWith('answers.')) visible[key] = code;
          }
          setErrors(visible);
          if (Object.keys(visible).length > 0) focusFirstError(visible);
          else setFormError(t('errors.generic'));
          return;
        }
        case 'rate_limited':
          setFormError(t('errors.rateLimited', { seconds: Math.max(1, Math.ceil(result.retryAfterSeconds ?? 60)) }));
          return;
        case 'not_found':
          setFormError(t('errors.pageGone'));
          return;
        case 'idempotency_key_reused':
          setFormError(t('errors.keyReused'));
          return;
        default:
          setFormError(t('errors.generic'));
      }
    } catch {
      // Network failure: the same idempotency key makes a second click safe.
      setFormError(t('errors.network'));
    } finally {
      inFlight.current = false;
      if (!keepDisabled) setSubmitting(false);
    }
  };

  const errorId = (key: string) => `${idBase}-${key}-error`;
  const fieldProps = (key: string) => ({
    'data-field': key,
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? errorId(key) : undefined,
    value: values[key] ?? '',
  });
  const errorLine = (key: string) =>
    errors[key] ? (
      <span className="field-error" id={errorId(key)} data-testid={`error-${key}`}>
        {message(errors[key]!)}
      </span>
    ) : null;
  const requiredMark = (
    <span className={styles.required} aria-hidden="true">
      *
    </span>
  );

  return (
    <form ref={formRef} className="stack" onSubmit={onSubmit} noValidate data-testid="booking-form" aria-busy={submitting}>
      <div className={styles.summary}>
        <span className="small">{t('selected')}</span>
        <strong data-testid="selected-time">
          {formatInstantDate(start, timeZone, locale)} · {formatTime(start, timeZone, locale, hour12)} – {formatTime(end, timeZone, locale, hour12)}
        </strong>
        <span className="small">{zoneLabel(timeZone, locale)}</span>
      </div>
      <p className="muted small" style={{ margin: 0 }}>
        {t('requiredNote')}
      </p>
      <label className="field">
        <span>
          {t('name')}
          {requiredMark}
        </span>
        <input
          type="text"
          name="name"
          autoComplete="name"
          maxLength={120}
          required
          aria-required="true"
          {...fieldProps('name')}
          onChange={(e) => set('name', e.target.value)}
        />
        {errorLine('name')}
      </label>
      <label className="field">
        <span>
          {t('email')}
          {requiredMark}
        </span>
        <input
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          maxLength={254}
          required
          aria-required="true"
          {...fieldProps('email')}
          onChange={(e) => set('email', e.target.value)}
        />
        <span className="hint">{t('emailHint')}</span>
        {errorLine('email')}
      </label>
      {questions.map((q) => {
        const key = fieldKey(q.id);
        const label = (
          <span>
            {q.label}
            {q.required ? requiredMark : <span className="muted small"> {t('optional')}</span>}
          </span>
        );
        const common = { name: key, required: q.required, 'aria-required': q.required, ...fieldProps(key) };
        if (q.type === 'multiline') {
          return (
            <label className="field" key={q.id}>
              {label}
              <textarea {...common} maxLength={4000} rows={4} onChange={(e) => set(key, e.target.value)} />
              {errorLine(key)}
            </label>
          );
        }
        if (q.type === 'select') {
          return (
            <label className="field" key={q.id}>
              {label}
              <select {...common} onChange={(e) => set(key, e.target.value)}>
                <option value="">{t('choose')}</option>
                {(q.options ?? []).map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
              {errorLine(key)}
            </label>
          );
        }
        return (
          <label className="field" key={q.id}>
            {label}
            <input
              {...common}
              type={q.type === 'phone' ? 'tel' : 'text'}
              inputMode={q.type === 'phone' ? 'tel' : undefined}
              autoComplete={q.type === 'phone' ? 'tel' : 'off'}
              maxLength={q.type === 'phone' ? 40 : 500}
              onChange={(e) => set(key, e.target.value)}
            />
            {errorLine(key)}
          </label>
        );
      })}
      {formError ? (
        <div className="notice error" role="alert" data-testid="form-error">
          {formError}
        </div>
      ) : null}
      <div className={styles.formActions}>
        <button type="button" className="btn ghost" onClick={onBack} disabled={submitting}>
          ← {t('back')}
        </button>
        <button type="submit" className="btn primary" disabled={submitting} data-testid="confirm">
          {submitting ? t('confirming') : t('confirm')}
        </button>
      </div>
    </form>
  );
}
