'use client';

import { useTranslations } from 'next-intl';
import { type BookingQuestion, PAGE_LIMITS } from '@/lib/booking-pages/schema';
import { newKey, newQuestionId, type QuestionDraft } from './booking-page-draft';
import styles from './booking-page-editor.module.css';
import { FieldIssueText } from './field-issue';
import type { IssueLookup } from './hours-editor';

const TYPES: BookingQuestion['type'][] = ['text', 'multiline', 'phone', 'select'];

/** Guest questions: name and email are fixed; the host adds text / multiline / phone / select questions. */
export function QuestionsEditor({
  value,
  onChange,
  issueAt,
  onTouch,
}: {
  value: QuestionDraft[];
  onChange: (next: QuestionDraft[]) => void;
  issueAt: IssueLookup;
  onTouch: (path: string) => void;
}) {
  const t = useTranslations('pages.editor');
  const set = (index: number, patch: Partial<QuestionDraft>) => onChange(value.map((q, i) => (i === index ? { ...q, ...patch } : q)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...value];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  };
  return (
    <div className="stack">
      <div className={styles.questionFixed}>{t('fixedQuestion', { label: t('guestName') })}</div>
      <div className={styles.questionFixed}>{t('fixedQuestion', { label: t('guestEmail') })}</div>
      {value.map((q, i) => {
        const labelIssue = issueAt(`questions.${i}.label`);
        const optionsIssue = issueAt(`questions.${i}.options`);
        return (
          <div className={styles.question} key={q.key} data-testid="question">
            <div className={styles.questionRow}>
              <label className="field">
                <span>{t('questionLabel')}</span>
                <input
                  type="text"
                  value={q.label}
                  maxLength={200}
                  onChange={(e) => set(i, { label: e.target.value })}
                  onBlur={() => onTouch(`questions.${i}.label`)}
                  aria-invalid={Boolean(labelIssue) || undefined}
                />
                <FieldIssueText issue={labelIssue} />
              </label>
              <label className="field">
                <span>{t('questionType')}</span>
                <select value={q.type} onChange={(e) => set(i, { type: e.target.value as BookingQuestion['type'] })}>
                  {TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`questionTypes.${type}`)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {q.type === 'select' ? (
              <label className="field">
                <span>{t('options')}</span>
                <textarea
                  value={q.optionsText}
                  rows={3}
                  onChange={(e) => set(i, { optionsText: e.target.value })}
                  onBlur={() => onTouch(`questions.${i}.options`)}
                  aria-invalid={Boolean(optionsIssue) || undefined}
                  style={{ minHeight: 80 }}
                />
                <span className="hint">{t('optionsHint')}</span>
                <FieldIssueText issue={optionsIssue} />
              </label>
            ) : null}
            <div className={styles.questionFoot}>
              <label className="checkbox">
                <input type="checkbox" checked={q.required} onChange={(e) => set(i, { required: e.target.checked })} />
                {t('required')}
              </label>
              <div className="row">
                <button type="button" className="btn ghost small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('moveUp')} title={t('moveUp')}>
                  ↑
                </button>
                <button
                  type="button"
                  className="btn ghost small"
                  disabled={i === value.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={t('moveDown')}
                  title={t('moveDown')}
                >
                  ↓
                </button>
                <button type="button" className="btn danger small" onClick={() => onChange(value.filter((_, k) => k !== i))}>
                  {t('removeQuestion')}
                </button>
              </div>
            </div>
          </div>
        );
      })}
      <FieldIssueText issue={issueAt('questions', true)} />
      <div>
        <button
          type="button"
          className="btn small"
          disabled={value.length >= PAGE_LIMITS.questions}
          onClick={() => onChange([...value, { key: newKey('q'), id: newQuestionId(), label: '', type: 'text', required: false, optionsText: '' }])}
        >
          + {t('addQuestion')}
        </button>
      </div>
    </div>
  );
}
