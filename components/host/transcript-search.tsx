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

const CUE_TIMING = /^(\d{2}:\d{2}:\d{2})[.,]\d{3}\s+-->\s+/;

/**
 * A WebVTT transcript as readable lines: "00:00:05 Speaker: text" (cue numbers and the header dropped,
 * the cue's start time kept in front of its text); plain text stays as it is. Pure; exported for tests.
 */
export function transcriptLines(text: string): string[] {
  const out: string[] = [];
  let start: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line === 'WEBVTT' || /^\d+$/.test(line)) continue;
    const timing = CUE_TIMING.exec(line);
    if (timing) {
      start = timing[1]!;
      continue;
    }
    out.push(start ? `${start} ${line}` : line);
    start = null;
  }
  return out;
}

/** The transcript's text with a search box: only matching lines are shown, matches highlighted (all in the browser). */
export function TranscriptSearch({ text }: { text: string }) {
  const t = useTranslations('meetings.transcript');
  const [query, setQuery] = useState('');
  const inputId = useId();
  const lines = useMemo(() => transcriptLines(text), [text]);
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
