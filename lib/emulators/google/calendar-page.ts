import { TZDate } from '@date-fns/tz';
import { isKnownTimeZone } from '@/lib/availability/time-zone';
import { escapeHtml } from '@/lib/html';
import type { EmulatorState } from './state';
import { page } from './oauth';

/**
 * `GET __control/calendar`: a small page to look at the emulated calendars and add a busy event —
 * what a person would do in Google Calendar — so the demo shows slots disappearing without curl.
 * The form posts to `__control/calendar` (form-encoded), which becomes a `__control/events` call.
 */

const fieldStyle = 'display:block;width:100%;box-sizing:border-box;font-size:15px;padding:8px 10px;border:1px solid #747775;border-radius:4px;margin-top:4px';

function when(event: EmulatorState['events'][number]): string {
  if (event.start.date) return `${event.start.date} (all day)`;
  const start = event.start.dateTime ?? '';
  const end = event.end.dateTime ?? '';
  return `${start.replace('T', ' ').slice(0, 16)} – ${end.slice(11, 16)}${event.start.timeZone ? ` ${event.start.timeZone}` : ''}`;
}

export function calendarPageHtml(state: EmulatorState, actionUrl: string, now: Date, notice: string | null): Response {
  const since = now.getTime() - 86_400_000;
  const sections = state.users
    .map((user) => {
      const calendars = state.calendars.filter((c) => c.userId === user.id);
      const ids = new Set(calendars.map((c) => c.id));
      const events = state.events
        .filter((e) => ids.has(e.calendarId) && e.status !== 'cancelled')
        .filter((e) => Date.parse(e.end.dateTime ?? `${e.end.date}T00:00:00Z`) >= since)
        .sort((a, b) => (a.start.dateTime ?? a.start.date ?? '').localeCompare(b.start.dateTime ?? b.start.date ?? ''));
      const list = events.length
        ? `<ul class="scopes">${events
            .map(
              (e) =>
                `<li><strong>${escapeHtml(e.summary ?? '(no title)')}</strong><br><span class="muted">${escapeHtml(when(e))} · ${escapeHtml(calendars.find((c) => c.id === e.calendarId)?.summary ?? e.calendarId)}${e.transparency === 'transparent' ? ' · free' : ''}</span></li>`,
            )
            .join('')}</ul>`
        : '<p class="muted">No events from yesterday on.</p>';
      const options = calendars.map((c) => `<option value="${escapeHtml(c.id)}">${escapeHtml(c.summary)}</option>`).join('');
      const zone = calendars.find((c) => c.primary)?.timeZone ?? 'UTC';
      return `<section style="margin-top:28px"><h2 style="font-size:18px;font-weight:500;margin:0 0 8px">${escapeHtml(user.email)}</h2>${list}
<form method="post" action="${escapeHtml(actionUrl)}" style="margin-top:12px" data-testid="add-busy-${escapeHtml(user.email)}">
<input type="hidden" name="email" value="${escapeHtml(user.email)}">
<label class="account">Calendar<select name="calendarId" style="${fieldStyle}">${options}</select></label>
<label class="account">Title<input name="summary" value="Busy" style="${fieldStyle}"></label>
<label class="account">Date<input name="date" type="date" required value="${escapeHtml(new Date(now).toISOString().slice(0, 10))}" style="${fieldStyle}"></label>
<label class="account">Start<input name="time" type="time" required value="10:00" style="${fieldStyle}"></label>
<label class="account">Minutes<input name="minutes" type="number" min="5" max="1440" step="5" value="60" style="${fieldStyle}"></label>
<label class="account">Time zone<input name="timeZone" value="${escapeHtml(zone)}" style="${fieldStyle}"></label>
<p class="actions"><button type="submit" class="allow">Add busy event</button></p></form></section>`;
    })
    .join('');
  const body = `<h1>Calendars</h1>
<p class="muted">Events added here are busy time in Aki at once in demo mode (a real Google calendar is read at most every 45 seconds).</p>
${notice ? `<p class="notice" role="status" style="background:#e6f4ea;border-radius:8px;padding:8px 12px">${escapeHtml(notice)}</p>` : ''}
${sections || '<p class="muted">No accounts yet: connect Google Calendar in Aki first.</p>'}`;
  return page('Calendars (emulator)', body);
}

/** The form's fields as a `__control/events` body, or an error message. */
export function eventFromForm(form: URLSearchParams): { body: Record<string, unknown> } | { error: string } {
  const date = form.get('date') ?? '';
  const time = form.get('time') ?? '';
  const minutes = Number(form.get('minutes') ?? 60);
  const timeZone = form.get('timeZone') || 'UTC';
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return { error: 'Date and start time are required.' };
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) return { error: 'Minutes must be between 5 and 1440.' };
  if (!isKnownTimeZone(timeZone)) return { error: `Unknown time zone: ${timeZone}` };
  const start = new TZDate(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), 0, timeZone);
  const end = new Date(start.getTime() + minutes * 60_000);
  return {
    body: {
      email: form.get('email') ?? undefined,
      calendarId: form.get('calendarId') || undefined,
      summary: (form.get('summary') || 'Busy').slice(0, 200),
      start: start.toISOString(),
      end: end.toISOString(),
      timeZone,
    },
  };
}
