'use client';

import { useTranslations } from 'next-intl';
import { Fragment, useId, useMemo, useState } from 'react';

/** Splits `line` around every case-insensitive occurrence of `query` (pure; exported for tests). */
export function highlightParts(line: string, query: string): { text: string; match: boolean }[] {
  const q = query.trim().toLowerCase();
  if (!q) return [{ text: line, match: false }];
  const lower = line.toLowerCase();
  const parts: { text: string; match: boolean }[] = [];
  let from = 0;
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, at + q.length)) {
    if (at > from) parts.push({ text: line.slice(from, at), match: false });
    parts.push({ text: line.slice(at, at + q.length), match: true });
    from = at + q.length;
  }
  if (from < line.length) parts.push({ text: line.slice(from), match: false });
  return parts;
}

/** The transcript's text with a search box: only matching lines are shown, matches highlighted (all in the browser). */
export function TranscriptSearch({ text }: { text: string }) {
  const t = useTranslations('meetings.transcript');
  const [query, setQuery] = useState('');
  const inputId = useId();
  // WebVTT cue numbers and timing lines are kept: they tell when something was said.
  const lines = useMemo(() => text.split(/\r?\n/).filter((l) => l.trim() !== '' && l.trim() !== 'WEBVTT'), [text]);
  const q = query.trim().toLowerCase();
  const shown = q ? lines.filter((l) => l.toLowerCase().includes(q)) : lines;
  return (
    <div className="stack" style={{ gap: 8 }}>
      <label className="field" htmlFor={inputId}>
        <span>{t('search')}</span>
        <input id={inputId} type="search" value={query} placeholder={t('placeholder')} onChange={(e) => setQuery(e.target.value)} data-testid="transcript-search" />
      </label>
      {q ? (
        <p className="small muted" role="status" style={{ margin: 0 }} data-testid="transcript-matches">
          {t('matches', { count: shown.length })}
        </p>
      ) : null}
      <div
        className="small"
        style={{ maxHeight: 360, overflowY: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', border: '1px solid var(--border)', borderRadius: 8, padding: 10 }}
        data-testid="transcript-text"
      >
        {shown.map((line, i) => (
          <div key={i}>
            {highlightParts(line, q).map((part, j) =>
              part.match ? (
                <mark key={j}>{part.text}</mark>
              ) : (
                <Fragment key={j}>{part.text}</Fragment>
              ),
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
