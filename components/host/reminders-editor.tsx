'use client';

import { useTranslations } from 'next-intl';
import { PAGE_LIMITS } from '@/lib/booking-pages/schema';
import { type FollowUpDraft, type NoticeUnit, nextReminder, type ReminderDraft } from './booking-page-draft';
import styles from './booking-page-editor.module.css';
import { FieldIssueText } from './field-issue';
import type { IssueLookup } from './hours-editor';

const UNITS: NoticeUnit[] = ['minutes', 'hours', 'days'];

/** Reminder mails before the meeting: up to PAGE_LIMITS.reminders rows of "to guest|host, N minutes|hours|days before". */
export function RemindersEditor({
  value,
  onChange,
  issueAt,
  onTouch,
}: {
  value: ReminderDraft[];
  onChange: (next: ReminderDraft[]) => void;
  issueAt: IssueLookup;
  onTouch: (path: string) => void;
}) {
  const t = useTranslations('pages.editor.reminders');
  const tu = useTranslations('pages.editor.units');
  const set = (index: number, patch: Partial<ReminderDraft>) => onChange(value.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  return (
    <div className="stack" data-testid="reminders">
      {value.length === 0 ? <p className="muted small" style={{ margin: 0 }}>{t('none')}</p> : null}
      {value.map((r, i) => {
        const issue = issueAt(`reminders.${i}.minutesBefore`);
        return (
          <div key={r.key} data-testid="reminder" className="stack" style={{ gap: 4 }}>
            <div className={styles.reminderRow}>
              <select aria-label={t('recipient')} value={r.to} onChange={(e) => set(i, { to: e.target.value as ReminderDraft['to'] })} data-testid="reminder-to">
                <option value="guest">{t('toGuest')}</option>
                <option value="host">{t('toHost')}</option>
              </select>
              <div className={styles.numberWithUnit}>
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  aria-label={t('amount')}
                  value={r.value}
                  onChange={(e) => set(i, { value: e.target.value })}
                  onBlur={() => onTouch(`reminders.${i}.minutesBefore`)}
                  aria-invalid={Boolean(issue) || undefined}
                  data-testid="reminder-value"
                  // Narrow enough that a row fits a phone's width.
                  style={{ maxWidth: 72 }}
                />
                <select aria-label={t('unit')} value={r.unit} onChange={(e) => set(i, { unit: e.target.value as NoticeUnit })} data-testid="reminder-unit">
                  {UNITS.map((unit) => (
                    <option key={unit} value={unit}>
                      {tu(unit)}
                    </option>
                  ))}
                </select>
                <span className="muted">{t('before')}</span>
              </div>
              <button type="button" className="btn ghost small" onClick={() => onChange(value.filter((_, k) => k !== i))} data-testid="reminder-remove">
                {t('remove')}
              </button>
            </div>
            <FieldIssueText issue={issue} />
          </div>
        );
      })}
      <FieldIssueText issue={issueAt('reminders', true)} />
      <div>
        <button type="button" className="btn small" disabled={value.length >= PAGE_LIMITS.reminders} onClick={() => onChange([...value, nextReminder(value)])} data-testid="reminder-add">
          + {t('add')}
        </button>
        {value.length >= PAGE_LIMITS.reminders ? <span className="hint muted small"> {t('limit', { max: PAGE_LIMITS.reminders })}</span> : null}
      </div>
    </div>
  );
}

/** The guest's mail after the meeting: on/off, the host's message, and what a guest who did not show up gets. */
export function FollowUpEditor({ value, onChange, issueAt }: { value: FollowUpDraft; onChange: (next: FollowUpDraft) => void; issueAt: IssueLookup }) {
  const t = useTranslations('pages.editor.followUp');
  const set = (patch: Partial<FollowUpDraft>) => onChange({ ...value, ...patch });
  const messageIssue = issueAt('followUp.message');
  return (
    <div className="stack" data-testid="follow-up">
      <label className={styles.toggle}>
        <input type="checkbox" checked={value.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="follow-up-toggle" />
        <span>
          {t('enable')}
          <span className="hint muted small" style={{ display: 'block', fontWeight: 400 }}>
            {t('enableHint')}
          </span>
        </span>
      </label>
      {value.enabled ? (
        <>
          <label className="field">
            <span>{t('message')}</span>
            <textarea
              rows={4}
              maxLength={2000}
              value={value.message}
              placeholder={t('messagePlaceholder')}
              onChange={(e) => set({ message: e.target.value })}
              aria-invalid={Boolean(messageIssue) || undefined}
              data-testid="follow-up-message"
            />
            <FieldIssueText issue={messageIssue} />
          </label>
          <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0, gap: 6 }}>
            <legend style={{ fontWeight: 600, marginBottom: 6 }}>{t('noShow')}</legend>
            <label className="checkbox">
              <input type="radio" name="followUpNoShow" value="skip" checked={value.noShow === 'skip'} onChange={() => set({ noShow: 'skip' })} data-testid="no-show-skip" />
              {t('noShowSkip')}
            </label>
            <label className="checkbox">
              <input type="radio" name="followUpNoShow" value="sorry" checked={value.noShow === 'sorry'} onChange={() => set({ noShow: 'sorry' })} data-testid="no-show-sorry" />
              {t('noShowSorry')}
            </label>
          </fieldset>
        </>
      ) : null}
    </div>
  );
}
