/**
 * "Add to calendar" links for a booked event. Times are absolute (UTC), so the guest's calendar shows
 * them in whatever zone it is set to. Values are URL-encoded by URLSearchParams; nothing is rendered
 * as HTML.
 */

export type CalendarLinkEvent = {
  title: string;
  start: string | Date;
  end: string | Date;
  details?: string;
  location?: string;
};

const toDate = (value: string | Date) => (value instanceof Date ? value : new Date(value));

/** 2026-04-01T09:30:00.000Z → 20260401T093000Z (the basic format Google's template expects). */
export function compactUtc(value: string | Date): string {
  return toDate(value)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** 2026-04-01T09:30:00Z (no milliseconds; Outlook accepts ISO 8601 with Z). */
export function isoUtc(value: string | Date): string {
  return toDate(value)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

export function googleCalendarUrl(event: CalendarLinkEvent): string {
  const params = new URLSearchParams({ action: 'TEMPLATE', text: event.title, dates: `${compactUtc(event.start)}/${compactUtc(event.end)}` });
  if (event.details) params.set('details', event.details);
  if (event.location) params.set('location', event.location);
  return `https://calendar.google.com/calendar/render?${params.toString()}`;
}

function outlookParams(event: CalendarLinkEvent): URLSearchParams {
  const params = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: event.title,
    startdt: isoUtc(event.start),
    enddt: isoUtc(event.end),
  });
  if (event.details) params.set('body', event.details);
  if (event.location) params.set('location', event.location);
  return params;
}

/** Outlook.com (personal Microsoft accounts). */
export function outlookCalendarUrl(event: CalendarLinkEvent): string {
  return `https://outlook.live.com/calendar/0/deeplink/compose?${outlookParams(event).toString()}`;
}

/** Outlook on the web for work/school accounts (Microsoft 365). */
export function office365CalendarUrl(event: CalendarLinkEvent): string {
  return `https://outlook.office.com/calendar/0/deeplink/compose?${outlookParams(event).toString()}`;
}
