'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useEffect, useState } from 'react';
import type { ActionResult } from '@/lib/actions';
import { canonicalTimeZone } from '@/lib/availability/time-zone';
import type { TimeZoneChoice } from '@/lib/availability/zone-names';
import type { ProfileFormState } from '@/lib/hosts/actions';

type Values = { name: string; handle: string; timeZone: string; locale: 'ja' | 'en'; hour12?: boolean | null };

/** Profile fields, shared by onboarding and settings. The time zone is detected from the browser when not set yet. */
export function ProfileForm({
  initial,
  action,
  mode,
  appUrl,
  timeZones,
}: {
  initial: Values;
  /** The one zone list (lib/availability/zone-names.ts timeZoneChoices), labelled in the UI language. */
  timeZones: TimeZoneChoice[];
  action: (state: ProfileFormState, formData: FormData) => Promise<ActionResult>;
  mode: 'onboarding' | 'settings';
  appUrl: string;
}) {
  const t = useTranslations(mode === 'onboarding' ? 'auth.onboarding' : 'settings.profile');
  const te = useTranslations('settings.errors');
  const tc = useTranslations('common');
  const tce = useTranslations('common.errors');
  const [state, formAction, pending] = useActionState<ProfileFormState, FormData>(action, null);
  const fields = state && !state.ok ? (state.fields ?? {}) : {};
  const [handle, setHandle] = useState(initial.handle);
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [deviceZone, setDeviceZone] = useState<string | null>(null);
  useEffect(() => {
    // Browsers may report a legacy name (Asia/Calcutta): the list has the current one.
    const detected = canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    setDeviceZone(detected);
    if (mode === 'onboarding' && detected) setTimeZone(detected);
  }, [mode]);

  const error = (field: keyof Values) =>
    fields[field] ? (
      <span className="field-error" role="alert" id={`${field}-error`}>
        {te.has(fields[field]!) ? te(fields[field]!) : fields[field]}
      </span>
    ) : null;

  return (
    <form
      className="stack"
      noValidate
      // Submitting through a transition keeps React from resetting the form (and the detected zone) after an error.
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => formAction(data));
      }}
    >
      {state?.ok && mode === 'settings' ? (
        <div className="notice ok" role="status">
          {tc('saved')}
        </div>
      ) : null}
      <label className="field">
        <span>{t('name')}</span>
        <input type="text" name="name" defaultValue={initial.name} required maxLength={80} aria-invalid={Boolean(fields.name)} />
        {error('name')}
      </label>
      <label className="field">
        <span>{t('handle')}</span>
        <input
          type="text"
          name="handle"
          value={handle}
          onChange={(e) => setHandle(e.target.value.toLowerCase())}
          required
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          aria-invalid={Boolean(fields.handle)}
        />
        <span className="hint">{t('handleHint', { url: `${appUrl}/${handle || '…'}` })}</span>
        {error('handle')}
      </label>
      <label className="field">
        <span>{t('timeZone')}</span>
        <select name="timeZone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} aria-invalid={Boolean(fields.timeZone)}>
          {(timeZones.some((zone) => zone.id === timeZone) ? timeZones : [{ id: timeZone, label: timeZone }, ...timeZones]).map((zone) => (
            <option key={zone.id} value={zone.id}>
              {zone.label}
            </option>
          ))}
        </select>
        {mode === 'settings' && deviceZone && deviceZone !== timeZone ? (
          <button type="button" className="btn ghost small" style={{ alignSelf: 'flex-start' }} onClick={() => setTimeZone(deviceZone)}>
            {t('detect', { zone: timeZones.find((zone) => zone.id === deviceZone)?.label ?? deviceZone })}
          </button>
        ) : null}
        {error('timeZone')}
      </label>
      <label className="field">
        <span>{t('locale')}</span>
        <select name="locale" defaultValue={initial.locale}>
          <option value="ja">日本語</option>
          <option value="en">English</option>
        </select>
      </label>
      <label className="field">
        <span>{t('clock')}</span>
        <select name="hour12" defaultValue={initial.hour12 === true ? '12' : initial.hour12 === false ? '24' : 'auto'} data-testid="profile-clock">
          <option value="auto">{t('clockAuto')}</option>
          <option value="24">{t('clock24')}</option>
          <option value="12">{t('clock12')}</option>
        </select>
      </label>
      {state && !state.ok && !state.fields ? (
        <p className="field-error" role="alert">
          {tce('generic')}
        </p>
      ) : null}
      <button className="btn primary" type="submit" disabled={pending} style={{ alignSelf: 'flex-start' }}>
        {mode === 'onboarding' ? t('submit') : tc('save')}
      </button>
    </form>
  );
}
