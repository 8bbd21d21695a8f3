'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { setAttendanceOverrideAction } from '@/lib/meetings/actions';
import type { AttendanceVerdict } from '@/lib/meetings/types';

const VERDICTS: AttendanceVerdict[] = ['attended', 'guest_no_show', 'host_no_show', 'nobody'];

/** The host's correction of the attendance verdict: a select and a note, saved or removed. */
export function AttendanceOverrideForm({ uid, current, note }: { uid: string; current: AttendanceVerdict | null; note: string | null }) {
  const t = useTranslations('meetings');
  const router = useRouter();
  const [verdict, setVerdict] = useState<AttendanceVerdict | ''>(current ?? '');
  const [text, setText] = useState(note ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const selectId = useId();
  const noteId = useId();

  const save = async (value: AttendanceVerdict | null) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await setAttendanceOverrideAction(uid, value, value ? text : '');
      if (result.ok) {
        setMessage({ kind: 'ok', text: value ? t('attendance.override.saved') : t('attendance.override.cleared') });
        if (!value) {
          setVerdict('');
          setText('');
        }
        router.refresh();
      } else {
        setMessage({
          kind: 'error',
          text: result.code === 'invalid_input' ? t('detail.errors.invalid') : result.code === 'not_found' ? t('detail.errors.gone') : t('detail.errors.generic'),
        });
      }
    } catch {
      setMessage({ kind: 'error', text: t('detail.errors.generic') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="stack"
      style={{ gap: 8 }}
      onSubmit={(e) => {
        e.preventDefault();
        void save(verdict === '' ? null : verdict);
      }}
      data-testid="attendance-override-form"
    >
      <label className="field" htmlFor={selectId}>
        <span>{t('attendance.override.verdict')}</span>
        <select id={selectId} value={verdict} onChange={(e) => setVerdict(e.target.value as AttendanceVerdict | '')} data-testid="override-verdict">
          <option value="">{t('attendance.override.none')}</option>
          {VERDICTS.map((v) => (
            <option key={v} value={v}>
              {t(`attendance.status.${v}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field" htmlFor={noteId}>
        <span>{t('attendance.override.note')}</span>
        <textarea id={noteId} rows={2} maxLength={500} value={text} onChange={(e) => setText(e.target.value)} data-testid="override-note" />
      </label>
      <div className="row">
        <button type="submit" className="btn primary small" disabled={busy} data-testid="override-save">
          {busy ? t('attendance.override.saving') : t('attendance.override.save')}
        </button>
        {current ? (
          <button type="button" className="btn ghost small" disabled={busy} onClick={() => void save(null)} data-testid="override-clear">
            {t('attendance.override.clear')}
          </button>
        ) : null}
      </div>
      <p className="small muted" style={{ margin: 0 }}>
        {t('attendance.override.hint')}
      </p>
      {message ? (
        <p className={message.kind === 'ok' ? 'small' : 'field-error'} role={message.kind === 'error' ? 'alert' : 'status'} style={{ margin: 0 }}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
