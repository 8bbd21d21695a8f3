'use client';

import { useTranslations } from 'next-intl';
import type { MeetingDefaults } from '@/lib/db/schema/organisations';
import { AUTO_RECORDING_VALUES, BOOLEAN_MEETING_SETTINGS, type BooleanMeetingSetting } from '@/lib/organisations/meeting-settings';

export type FullMeetingSettings = Required<MeetingDefaults>;

const RECORDING_LABEL = { none: 'autoRecordingNone', cloud: 'autoRecordingCloud', local: 'autoRecordingLocal' } as const;

/** The Zoom meeting settings (organisation defaults, or a page's override), controlled. */
export function MeetingSettingsFields({
  value,
  onChange,
  disabled,
  idPrefix,
  errors = {},
}: {
  value: FullMeetingSettings;
  onChange: (next: FullMeetingSettings) => void;
  disabled?: boolean;
  idPrefix: string;
  errors?: Record<string, string>;
}) {
  const t = useTranslations('organisation.meetingDefaults');
  const te = useTranslations('organisation.zoom.errors');
  const set = (patch: Partial<FullMeetingSettings>) => onChange({ ...value, ...patch });
  return (
    <div className="stack" data-testid={`${idPrefix}-meeting-settings`}>
      {BOOLEAN_MEETING_SETTINGS.map((key: BooleanMeetingSetting) => (
        <label key={key} className="checkbox">
          <input type="checkbox" name={`${idPrefix}.${key}`} checked={value[key]} disabled={disabled} onChange={(e) => set({ [key]: e.target.checked })} data-testid={`${idPrefix}-${key}`} />
          <span>{t(key)}</span>
        </label>
      ))}
      <label className="field">
        <span>{t('autoRecording')}</span>
        <select value={value.autoRecording} disabled={disabled} onChange={(e) => set({ autoRecording: e.target.value as FullMeetingSettings['autoRecording'] })} data-testid={`${idPrefix}-autoRecording`}>
          {AUTO_RECORDING_VALUES.map((v) => (
            <option key={v} value={v}>
              {t(RECORDING_LABEL[v])}
            </option>
          ))}
        </select>
        {errors.autoRecording ? <span className="field-error">{te.has(errors.autoRecording) ? te(errors.autoRecording) : te('generic')}</span> : null}
      </label>
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0, gap: 6 }}>
        <legend style={{ fontWeight: 600, fontSize: '0.92rem', marginBottom: 4 }}>{t('passcode')}</legend>
        {(['generate', 'none'] as const).map((v) => (
          <label key={v} className="checkbox">
            <input type="radio" name={`${idPrefix}.passcode`} value={v} checked={value.passcode === v} disabled={disabled} onChange={() => set({ passcode: v })} />
            <span>{t(v === 'generate' ? 'passcodeGenerate' : 'passcodeNone')}</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
