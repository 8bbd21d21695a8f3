'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useMemo, useState, useTransition } from 'react';
import type { TimeZoneChoice } from '@/lib/availability/zone-names';
import { deleteScheduleAction, saveScheduleAction } from '@/lib/booking-pages/schedule-actions';
import { type FieldIssue, type FieldIssues, fieldIssues, type ScheduleInput, type ScheduleInputRaw, scheduleInputSchema, WEEKDAYS, type Weekday } from '@/lib/booking-pages/schema';
import { issueAt as findIssue, type OverrideDraft, type WindowDraft } from './booking-page-draft';
import styles from './booking-page-editor.module.css';
import { FieldIssueText } from './field-issue';
import { TimeZoneSelect } from './time-zone-select';
import { DateOverridesEditor, WeeklyHoursEditor } from './hours-editor';

type ScheduleDraft = { name: string; timeZone: string; weeklyHours: Record<Weekday, WindowDraft[]>; dateOverrides: OverrideDraft[] };

function draftOf(schedule: ScheduleInput): ScheduleDraft {
  const weeklyHours = {} as Record<Weekday, WindowDraft[]>;
  for (const day of WEEKDAYS) weeklyHours[day] = schedule.weeklyHours[day].map((w) => ({ ...w }));
  return {
    name: schedule.name,
    timeZone: schedule.timeZone,
    weeklyHours,
    dateOverrides: schedule.dateOverrides.map((o, i) => ({ key: `o-${i}`, date: o.date, intervals: o.intervals.map((w) => ({ ...w })) })),
  };
}

const inputOf = (draft: ScheduleDraft): ScheduleInputRaw => ({
  name: draft.name,
  timeZone: draft.timeZone,
  weeklyHours: draft.weeklyHours,
  dateOverrides: draft.dateOverrides.map((o) => ({ date: o.date, intervals: o.intervals })),
});

/**
 * One shared schedule: name, zone, weekly hours and date overrides (the page editor's hours editor),
 * saved for every page that uses it at once; delete leaves those pages with the same hours as their own.
 */
export function ScheduleEditor({
  scheduleId,
  initial,
  pages,
  timeZones,
  today,
  hour12,
}: {
  /** null for a schedule not saved yet. */
  scheduleId: string | null;
  initial: ScheduleInput;
  /** The pages using it (their titles are listed: they change with it). */
  pages: { id: string; title: string }[];
  timeZones: TimeZoneChoice[];
  today: string;
  hour12: boolean;
}) {
  const t = useTranslations('availability');
  const router = useRouter();
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [savedJson, setSavedJson] = useState(() => JSON.stringify(inputOf(draftOf(initial))));
  const [serverIssues, setServerIssues] = useState<FieldIssues>({});
  const [showAll, setShowAll] = useState(false);
  const [status, setStatus] = useState<'idle' | 'saved' | 'error' | 'not_found'>('idle');
  const [saving, startSaving] = useTransition();

  const input = useMemo(() => inputOf(draft), [draft]);
  const inputJson = JSON.stringify(input);
  const parsed = useMemo(() => scheduleInputSchema.safeParse(input), [input]);
  const clientIssues = useMemo(() => (parsed.success ? {} : fieldIssues(parsed.error)), [parsed]);
  const dirty = inputJson !== savedJson;
  const errorCount = Object.keys(clientIssues).length;

  const issueAt = useCallback(
    (path: string, exact?: boolean): FieldIssue | undefined => {
      const issue = findIssue(serverIssues, path, exact) ?? findIssue(clientIssues, path, exact);
      // Hours problems show at once (they are about what was just picked); an empty name waits for a save.
      return issue && (showAll || path !== 'name') ? issue : undefined;
    },
    [clientIssues, serverIssues, showAll],
  );

  const update = (patch: Partial<ScheduleDraft>) => {
    setDraft((prev) => ({ ...prev, ...patch }));
    setServerIssues({});
    setStatus('idle');
  };

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const save = () => {
    if (!parsed.success) {
      setShowAll(true);
      return;
    }
    startSaving(async () => {
      const result = await saveScheduleAction(scheduleId, input);
      if (result.ok) {
        setSavedJson(inputJson);
        if (!scheduleId) {
          router.replace(`/availability/${result.data.scheduleId}`);
          return;
        }
        setStatus('saved');
        return;
      }
      if (result.code === 'not_found') return setStatus('not_found');
      if (result.code !== 'invalid_input') return setStatus('error');
      setServerIssues(Object.fromEntries(Object.entries(result.fields ?? { _: 'invalid' }).map(([path, code]) => [path, { code }])));
      setShowAll(true);
    });
  };

  const remove = () =>
    startSaving(async () => {
      if (!scheduleId || !window.confirm(t('deleteConfirm', { name: draft.name || initial.name, count: pages.length }))) return;
      const result = await deleteScheduleAction(scheduleId);
      if (!result.ok) return setStatus(result.code === 'not_found' ? 'not_found' : 'error');
      setSavedJson(inputJson); // nothing left to warn about
      router.push('/availability');
    });

  return (
    <div data-editor>
      <div className={styles.header}>
        <div>
          <Link href="/availability" className={styles.crumb}>
            ← {t('backToList')}
          </Link>
          <h1 className="page-title" style={{ margin: 0 }}>
            {scheduleId ? t('editTitle') : t('newTitle')}
          </h1>
        </div>
        {scheduleId ? (
          <div className={styles.actions}>
            <button type="button" className="btn danger small" onClick={remove} disabled={saving}>
              {t('delete')}
            </button>
          </div>
        ) : null}
      </div>
      {status === 'not_found' ? (
        <div className="notice error" role="alert" style={{ marginBottom: 16 }}>
          {t('notFound')}
        </div>
      ) : null}
      {status === 'error' ? (
        <div className="notice error" role="alert" style={{ marginBottom: 16 }}>
          {t('actionFailed')}
        </div>
      ) : null}
      <form
        className="stack-lg"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <section className="card stack" aria-labelledby="sec-schedule">
          <h2 id="sec-schedule" className="visually-hidden">
            {t('name')}
          </h2>
          <label className="field">
            <span>{t('name')}</span>
            <input
              type="text"
              name="name"
              value={draft.name}
              maxLength={80}
              placeholder={t('namePlaceholder')}
              onChange={(e) => update({ name: e.target.value })}
              aria-invalid={Boolean(issueAt('name')) || undefined}
            />
            <FieldIssueText issue={issueAt('name')} />
          </label>
          <TimeZoneSelect
            value={draft.timeZone}
            onChange={(timeZone) => update({ timeZone })}
            zones={timeZones}
            label={t('timeZone')}
            hint={t('timeZoneHint')}
            issue={issueAt('timeZone')}
          />
          <p className={pages.length > 0 ? 'notice warn' : 'muted small'} style={{ margin: 0 }} data-testid="schedule-applies-to">
            {t('appliesTo', { count: pages.length, pages: pages.map((p) => `“${p.title}”`).join(', ') })}
          </p>
        </section>

        <section className="card stack" aria-labelledby="sec-weekly">
          <h2 id="sec-weekly">{t('weekly')}</h2>
          <WeeklyHoursEditor value={draft.weeklyHours} onChange={(weeklyHours) => update({ weeklyHours })} issueAt={issueAt} hour12={hour12} />
        </section>

        <section className="card stack" aria-labelledby="sec-schedule-overrides">
          <h2 id="sec-schedule-overrides">{t('overrides')}</h2>
          <DateOverridesEditor value={draft.dateOverrides} onChange={(dateOverrides) => update({ dateOverrides })} issueAt={issueAt} today={today} hour12={hour12} />
        </section>

        <div className={styles.saveBar}>
          <span className={`${styles.saveStatus} ${showAll && errorCount > 0 ? styles.saveStatusError : ''}`} role="status" data-testid="save-status">
            {saving ? t('saving') : showAll && errorCount > 0 ? t('errorCount', { count: errorCount }) : dirty ? t('unsaved') : status === 'saved' ? `✓ ${t('saved')}` : ''}
          </span>
          <button type="submit" className="btn primary" disabled={saving || (Boolean(scheduleId) && !dirty)}>
            {saving ? t('saving') : scheduleId ? t('save') : t('create')}
          </button>
        </div>
      </form>
    </div>
  );
}
