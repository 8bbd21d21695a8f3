import { zoneDisplayName } from '@/lib/availability/zone-names';
import { escapeHtml } from '@/lib/html';
import { translator } from '@/lib/i18n/translator';

/**
 * Booking mails (guest + host, ja/en): pure functions from data to {subject, text, html}.
 * Every value is formatted into the recipient's language and time zone; every piece of text placed
 * in the HTML goes through escapeHtml (guest input included). The host's Zoom start link is not a
 * field here at all, so it cannot reach a guest. The input is plain data: lib/bookings/notifications.ts
 * turns booking rows into it.
 */

export type BookingMailKind = 'confirmed' | 'rescheduled' | 'cancelled' | 'link_ready' | 'zoom_problem' | 'reminder' | 'reassigned';

/** Where the meeting is, as the mail names it (the booking page's location setting). */
export type MailLocation =
  | { type: 'zoom' }
  | { type: 'phone'; phone?: string | null }
  | { type: 'in_person'; address: string }
  | { type: 'link'; url: string };

/**
 * A problem the host is told about. `code` names its text (mail.json booking.problem.<code>; the codes
 * are declared in lib/bookings/notifications.ts); `reconnect`: reconnecting the integration fixes it,
 * so the mail links to the settings page.
 */
export type MailProblem = { code: string; detail?: string | null; reconnect?: boolean };

export type BookingMailData = {
  kind: BookingMailKind;
  recipient: 'guest' | 'host';
  locale: 'ja' | 'en';
  /** The recipient's IANA zone. */
  timeZone: string;
  /** The recipient's clock: 12-hour (true) or 24-hour; absent: their language's habit (ja 24 h, en 12 h). */
  hour12?: boolean;
  title: string;
  start: Date;
  end: Date;
  previousStart?: Date | null;
  previousEnd?: Date | null;
  hostName: string;
  hostEmail: string;
  guestName: string;
  guestEmail: string;
  guestTimeZone: string;
  location: MailLocation;
  /** Null when the location is not Zoom. */
  meeting: { status: 'none' | 'pending' | 'created' | 'failed'; joinUrl: string | null; password: string | null } | null;
  /** Host mails only. */
  answers?: { label: string; value: string }[];
  /** Guest mails only. */
  manageUrl?: string | null;
  /** Host mails: the bookings list and the Zoom settings page. */
  bookingsUrl?: string;
  /** Host mails: this booking's page (`APP_URL/bookings/{uid}`): its timeline, attendance and recordings. */
  bookingUrl?: string;
  reconnectUrl?: string;
  cancelReason?: string | null;
  cancelledBy?: 'guest' | 'host' | null;
  /** cancelled, host mail: not cancelled but given to this member of the team page. */
  reassignedTo?: string | null;
  /** rescheduled: 'host' when the host moved it in Aki (else the guest did); `note`: the host's words to the guest. */
  rescheduledBy?: 'host' | null;
  note?: string | null;
  problem?: MailProblem | null;
  /** zoom_problem: every booking the host's notice lists (one mail per problem, not per booking). */
  affected?: { title: string; guestName: string; start: Date; end: Date }[];
  /** A .ics is attached. */
  withIcs?: boolean;
};

export type RenderedMail = { subject: string; text: string; html: string };

/** The language's habit when a recipient chose no clock: 24-hour in Japanese, 12-hour in English (as on the booking page). */
export const habitualHour12 = (locale: 'ja' | 'en') => locale === 'en';

const clock = (hour12: boolean): Intl.DateTimeFormatOptions =>
  hour12 ? { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' } : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** "Tuesday, December 1, 2026, 10:00 – 10:30 (Asia/Tokyo)" (or "8:00 PM – 8:30 PM") in the recipient's language, zone and clock. */
export function formatRange(start: Date, end: Date, timeZone: string, locale: 'ja' | 'en', hour12 = habitualHour12(locale)): string {
  const tag = locale === 'ja' ? 'ja-JP' : 'en-US';
  const day = new Intl.DateTimeFormat(tag, { timeZone, weekday: 'short', year: 'numeric', month: 'long', day: 'numeric' }).format(start);
  const time = new Intl.DateTimeFormat(tag, { timeZone, ...clock(hour12) });
  return `${day} ${time.format(start)} – ${time.format(end)} (${zoneDisplayName(timeZone, locale, start)})`;
}

/** Short form for subjects. */
export function formatWhen(start: Date, timeZone: string, locale: 'ja' | 'en', hour12 = habitualHour12(locale)): string {
  const tag = locale === 'ja' ? 'ja-JP' : 'en-US';
  return new Intl.DateTimeFormat(tag, { timeZone, month: 'short', day: 'numeric', weekday: 'short', ...clock(hour12) }).format(start);
}

/** Subjects are one line: guest text loses line breaks and is shortened. */
export const oneLine = (value: string, max = 80) => {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const KEY: Record<BookingMailKind, string> = {
  confirmed: 'Confirmed',
  rescheduled: 'Rescheduled',
  cancelled: 'Cancelled',
  link_ready: 'LinkReady',
  zoom_problem: 'ZoomProblem',
  reminder: 'Reminder',
  reassigned: 'Reassigned',
};

type Row = { label: string; value: string; href?: string };

export function renderBookingMail(data: BookingMailData): RenderedMail {
  const t = translator(data.locale, 'mail');
  const who = data.recipient === 'guest' ? 'guest' : 'host';
  const host = data.hostName;
  const guest = data.guestName;
  const when = formatWhen(data.start, data.timeZone, data.locale, data.hour12);
  const many = data.kind === 'zoom_problem' && (data.affected?.length ?? 0) > 1 ? data.affected! : null;
  const reassignedAway = data.kind === 'cancelled' && data.recipient === 'host' && data.reassignedTo ? data.reassignedTo : null;
  const subject = t(reassignedAway ? 'booking.subject.hostReassignedAway' : `booking.subject.${who}${KEY[data.kind]}${many ? 'Many' : ''}`, {
    other: oneLine(reassignedAway ?? '', 60),
    title: oneLine(data.title),
    host: oneLine(host, 60),
    guest: oneLine(guest, 60),
    when,
    count: String(many?.length ?? 1),
  });

  let intro: string;
  if (reassignedAway) {
    intro = t('booking.intro.hostReassignedAway', { guest, title: data.title, other: reassignedAway });
  } else if (data.kind === 'cancelled') {
    const by = data.cancelledBy === 'host' ? 'ByHost' : 'ByGuest';
    intro = t(`booking.intro.${who}Cancelled${by}`, { host, guest, title: data.title });
  } else if (data.kind === 'rescheduled' && data.rescheduledBy === 'host') {
    intro = t(`booking.intro.${who}RescheduledByHost`, { host, guest, title: data.title });
  } else {
    intro = t(`booking.intro.${who}${KEY[data.kind]}${many ? 'Many' : ''}`, { host, guest, title: data.title, count: String(many?.length ?? 1) });
  }

  const paragraphs: string[] = [];
  const rows: Row[] = [];
  if (many) {
    const list = many.map((b) => `${formatRange(b.start, b.end, data.timeZone, data.locale, data.hour12)} — ${b.guestName} — ${b.title}`).join('\n');
    const listOnly = { ...data, answers: [] };
    return finish(listOnly, t, subject, intro, [{ label: t('booking.label.affected'), value: list }], problemParagraphs(data, t), problemLinks(data, t));
  }
  rows.push({ label: t('booking.label.what'), value: data.title });
  rows.push({ label: t('booking.label.when'), value: formatRange(data.start, data.end, data.timeZone, data.locale, data.hour12) });
  if (data.kind === 'rescheduled' && data.previousStart && data.previousEnd) {
    rows.push({ label: t('booking.label.previously'), value: formatRange(data.previousStart, data.previousEnd, data.timeZone, data.locale, data.hour12) });
  }
  if (data.recipient === 'guest') rows.push({ label: t('booking.label.host'), value: host });
  else {
    rows.push({ label: t('booking.label.guest'), value: guest });
    rows.push({ label: t('booking.label.email'), value: data.guestEmail, href: `mailto:${data.guestEmail}` });
    rows.push({ label: t('booking.label.timeZone'), value: data.guestTimeZone });
  }

  const cancelled = data.kind === 'cancelled';
  const meeting = data.meeting;
  const joinUrl = !cancelled && meeting?.status === 'created' ? meeting.joinUrl : null;
  rows.push({ label: t('booking.label.where'), value: locationText(data, t, joinUrl) });
  if (joinUrl) {
    rows.push({ label: t('booking.label.joinUrl'), value: joinUrl, href: joinUrl });
    if (meeting?.password) rows.push({ label: t('booking.label.passcode'), value: meeting.password });
  }
  if (cancelled && data.cancelReason) rows.push({ label: t('booking.label.reason'), value: data.cancelReason });
  if (data.kind === 'rescheduled' && data.rescheduledBy === 'host' && data.note) rows.push({ label: t('booking.label.hostNote', { host }), value: data.note });

  if (!cancelled && meeting && !joinUrl && data.kind !== 'zoom_problem') {
    paragraphs.push(
      data.recipient === 'guest'
        ? t('booking.meeting.pendingGuest')
        : data.problem
          ? t('booking.meeting.pendingHost', { reason: t(`booking.problem.${data.problem.code}`) })
          : t('booking.meeting.pendingHostNoReason'),
    );
  }
  paragraphs.push(...problemParagraphs(data, t));
  if (data.recipient === 'host' && joinUrl && !cancelled) paragraphs.push(t('booking.meeting.startHint'));

  const links: Row[] = [];
  if (data.recipient === 'guest' && data.manageUrl && !cancelled) links.push({ label: t('booking.label.manage'), value: data.manageUrl, href: data.manageUrl });
  links.push(...problemLinks(data, t));
  return finish(data, t, subject, intro, rows, paragraphs, links);
}

type T = (key: string, values?: Record<string, string>) => string;

function problemParagraphs(data: BookingMailData, t: T): string[] {
  if (data.kind !== 'zoom_problem' || !data.problem) return [];
  const out = [t(`booking.problem.${data.problem.code}`)];
  if (data.problem.detail) out.push(t('booking.problem.detail', { detail: data.problem.detail }));
  return out;
}

function problemLinks(data: BookingMailData, t: T): Row[] {
  const out: Row[] = [];
  if (data.recipient === 'host' && data.kind === 'zoom_problem' && data.reconnectUrl && data.problem?.reconnect) {
    out.push({ label: t('booking.problem.reconnect'), value: data.reconnectUrl, href: data.reconnectUrl });
  }
  if (data.recipient === 'host' && data.bookingUrl && data.kind !== 'zoom_problem') {
    out.push({ label: t('booking.label.booking'), value: data.bookingUrl, href: data.bookingUrl });
  }
  if (data.recipient === 'host' && data.bookingsUrl) out.push({ label: t('booking.label.bookings'), value: data.bookingsUrl, href: data.bookingsUrl });
  return out;
}

function finish(data: BookingMailData, t: T, subject: string, intro: string, rows: Row[], paragraphs: string[], links: Row[]): RenderedMail {
  const greetingName = data.recipient === 'guest' ? data.guestName : data.hostName;
  const answers = data.recipient === 'host' ? (data.answers ?? []) : [];
  if (data.withIcs) paragraphs.push(t('booking.icsAttached'));
  const footer = t('booking.footer');
  const greeting = t('booking.greeting', { name: greetingName });

  // Plain text
  const text = [
    greeting,
    '',
    intro,
    '',
    ...rows.map((r) => `${r.label}: ${r.value}`),
    ...(answers.length > 0 ? ['', `${t('booking.label.answers')}:`, ...answers.map((a) => `- ${a.label}: ${a.value}`)] : []),
    ...(paragraphs.length > 0 ? ['', ...paragraphs] : []),
    ...(links.length > 0 ? ['', ...links.map((l) => `${l.label}: ${l.value}`)] : []),
    '',
    '--',
    footer,
    '',
  ].join('\n');

  // HTML: every string is escaped; hrefs are only ever http(s)/mailto URLs we built or got from Zoom.
  const e = escapeHtml;
  const cell = (r: Row) => (r.href && isSafeHref(r.href) ? `<a href="${e(r.href)}">${e(r.value)}</a>` : multiline(r.value));
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,-apple-system,sans-serif;font-size:15px;line-height:1.5;color:#1f2328">',
    `<p>${e(greeting)}</p>`,
    `<p>${e(intro)}</p>`,
    '<table cellpadding="4" style="border-collapse:collapse">',
    ...rows.map((r) => `<tr><th align="left" valign="top" style="padding-right:12px">${e(r.label)}</th><td>${cell(r)}</td></tr>`),
    '</table>',
    ...(answers.length > 0
      ? [
          `<h3 style="font-size:15px">${e(t('booking.label.answers'))}</h3>`,
          '<table cellpadding="4" style="border-collapse:collapse">',
          ...answers.map((a) => `<tr><th align="left" valign="top" style="padding-right:12px">${e(a.label)}</th><td>${multiline(a.value)}</td></tr>`),
          '</table>',
        ]
      : []),
    ...paragraphs.map((p) => `<p>${e(p)}</p>`),
    ...links.map((l) => `<p><a href="${e(l.href!)}">${e(l.label)}</a></p>`),
    `<p style="color:#6e7781;font-size:13px">${e(footer)}</p>`,
    '</body></html>',
  ].join('\n');

  return { subject, text, html };
}

const multiline = (value: string) => escapeHtml(value).replace(/\r?\n/g, '<br>');
const isSafeHref = (href: string) => /^(https?:\/\/|mailto:)/i.test(href);

function locationText(data: BookingMailData, t: (key: string, values?: Record<string, string>) => string, joinUrl: string | null): string {
  const loc = data.location;
  switch (loc.type) {
    case 'zoom':
      return joinUrl || data.kind === 'cancelled' ? t('booking.location.zoom') : t('booking.location.zoomPending');
    case 'phone':
      return loc.phone ? t('booking.location.phoneNumber', { phone: loc.phone }) : t('booking.location.phone');
    case 'in_person':
      return t('booking.location.inPerson', { address: loc.address });
    case 'link':
      return t('booking.location.link', { url: loc.url });
  }
}
