'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import type { MeetingDefaults } from '@/lib/db/schema/organisations';
import { type FullMeetingSettings, MeetingSettingsFields } from './meeting-settings-fields';

/** Organisation → Zoom → Meeting defaults. */
export function ZoomMeetingDefaults({ initial, save }: { initial: FullMeetingSettings; save: (values: unknown) => Promise<ActionResult<MeetingDefaults>> }) {
  const t = useTranslations('organisation.meetingDefaults');
  const te = useTranslations('organisation.zoom.errors');
  const [value, setValue] = useState(initial);
  const [result, setResult] = useState<ActionResult<MeetingDefaults> | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <section className="card stack" data-testid="zoom-meeting-defaults">
      <h2>{t('title')}</h2>
      <p className="muted">{t('hint')}</p>
      <MeetingSettingsFields idPrefix="org" value={value} onChange={setValue} errors={result && !result.ok ? (result.fields ?? {}) : {}} />
      {result?.ok ? (
        <p className="notice ok" role="status">
          {t('saved')}
        </p>
      ) : result ? (
        <p className="field-error" role="alert">
          {te('generic')}
        </p>
      ) : null}
      <button type="button" className="btn primary" disabled={pending} style={{ alignSelf: 'flex-start' }} onClick={() => startTransition(async () => setResult(await save(value)))} data-testid="zoom-meeting-defaults-save">
        {t('save')}
      </button>
    </section>
  );
}
