/**
 * Pure text helpers for recordings (no I/O, safe anywhere): Zoom's WEBVTT transcript as plain
 * "Speaker: text" lines, and the passcode hint a host sees instead of the passcode itself.
 */

const TIMING = /^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}\s+-->\s+(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}/;

/** Undoes the few entities VTT allows in cue text and drops markup tags (<v Name>, <c>, <i>…). */
function cueText(line: string): string {
  return line
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * WEBVTT → one line per cue, in cue order: "Speaker: text" (Zoom writes "Speaker: text" itself, or
 * `<v Speaker>text</v>`); the header, NOTE/STYLE/REGION blocks, cue ids and timing lines are dropped.
 * A cue spread over several lines becomes one line. Tolerates CRLF, a BOM and a missing header.
 */
export function parseVtt(vtt: string): string[] {
  const text = vtt.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const blocks = text.split(/\n{2,}/);
  const out: string[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    const first = lines[0]!.trim();
    if (/^WEBVTT\b/.test(first) || /^(NOTE|STYLE|REGION)\b/.test(first)) continue;
    const timingAt = lines.findIndex((l) => TIMING.test(l));
    if (timingAt === -1) continue; // not a cue (an orphan id or stray text)
    const payload = lines.slice(timingAt + 1);
    if (payload.length === 0) continue;
    const voice = /^<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(payload[0]!.trim());
    const body = payload.map(cueText).filter(Boolean).join(' ');
    if (!body) continue;
    const speaker = voice?.[1]?.trim();
    out.push(speaker && !body.startsWith(`${speaker}:`) ? `${speaker}: ${body}` : body);
  }
  return out;
}

/** What a host is shown of a recording passcode: its first 2 characters, then dots ("ab•••"). */
export function passcodeHint(passcode: string | null | undefined): string | null {
  if (!passcode) return null;
  return `${[...passcode].slice(0, 2).join('')}•••`;
}
