import { escapeHtml } from '@/lib/html';
import type { Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import { formatRange, formatWhen, oneLine, type RenderedMail } from './booking';

/**
 * "The recording is ready" mails (host, and the guest when the page shares recordings), ja/en, in
 * the recipient's language and time zone. Plain data in: play links and the passcode (the host gets
 * only a hint, `passcodeHint`; the guest needs the passcode to play). There is no field for a
 * download URL or token, so none can reach a mail.
 */

export type RecordingMailFile = { fileType: string; playUrl: string };

export type RecordingReadyMailData = {
  recipient: 'host' | 'guest';
  locale: Locale;
  timeZone: string;
  /** The recipient's clock (true: 12-hour); absent: their language's habit. */
  hour12?: boolean;
  title: string;
  start: Date;
  end: Date;
  hostName: string;
  guestName: string;
  /** Zoom's share link of the whole recording (all files). */
  shareUrl: string | null;
  files: RecordingMailFile[];
  /** Guest: the passcode itself. */
  passcode?: string | null;
  /** Host: what is shown instead of the passcode ("ab•••"). */
  passcodeHint?: string | null;
  /** Host: the booking in Aki (`${APP_URL}/bookings/{uid}`). */
  bookingUrl?: string | null;
};

type Row = { label: string; value: string; href?: string };
type T = (key: string, values?: Record<string, string>) => string;

const isSafeHref = (href: string) => /^https?:\/\//i.test(href);

/** One short mail: greeting, intro, rows (label: value or link), paragraphs, links, footer — text and escaped HTML. */
export function renderSimpleMail(args: { t: T; name: string; subject: string; intro: string; rows: Row[]; paragraphs: string[]; links: Row[] }): RenderedMail {
  const { t } = args;
  const greeting = t('booking.greeting', { name: args.name });
  const footer = t('booking.footer');
  const text = [
    greeting,
    '',
    args.intro,
    '',
    ...args.rows.map((r) => `${r.label}: ${r.value}`),
    ...(args.paragraphs.length > 0 ? ['', ...args.paragraphs] : []),
    ...(args.links.length > 0 ? ['', ...args.links.map((l) => `${l.label}: ${l.value}`)] : []),
    '',
    '--',
    footer,
    '',
  ].join('\n');
  const e = escapeHtml;
  const cell = (r: Row) => (r.href && isSafeHref(r.href) ? `<a href="${e(r.href)}">${e(r.value)}</a>` : e(r.value));
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,-apple-system,sans-serif;font-size:15px;line-height:1.5;color:#1f2328">',
    `<p>${e(greeting)}</p>`,
    `<p>${e(args.intro)}</p>`,
    '<table cellpadding="4" style="border-collapse:collapse">',
    ...args.rows.map((r) => `<tr><th align="left" valign="top" style="padding-right:12px">${e(r.label)}</th><td>${cell(r)}</td></tr>`),
    '</table>',
    // A paragraph may be the host's own several lines (the follow-up's message).
    ...args.paragraphs.map((p) => `<p>${e(p).replace(/\r?\n/g, '<br>')}</p>`),
    ...args.links.filter((l) => l.href && isSafeHref(l.href)).map((l) => `<p><a href="${e(l.href!)}">${e(l.label)}</a></p>`),
    `<p style="color:#6e7781;font-size:13px">${e(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: args.subject, text, html };
}

const FILE_TYPES = ['MP4', 'M4A', 'TRANSCRIPT', 'CHAT', 'CC', 'TIMELINE'];

export function renderRecordingReadyMail(data: RecordingReadyMailData): RenderedMail {
  const t = translator(data.locale, 'mail') as T;
  const who = data.recipient;
  const when = formatWhen(data.start, data.timeZone, data.locale, data.hour12);
  const subject = t(`recording.subject.${who}`, { title: oneLine(data.title), host: oneLine(data.hostName, 60), guest: oneLine(data.guestName, 60), when });
  const intro = t(`recording.intro.${who}`, { host: data.hostName, guest: data.guestName, title: data.title });
  const rows: Row[] = [
    { label: t('booking.label.what'), value: data.title },
    { label: t('booking.label.when'), value: formatRange(data.start, data.end, data.timeZone, data.locale, data.hour12) },
    who === 'host' ? { label: t('booking.label.guest'), value: data.guestName } : { label: t('booking.label.host'), value: data.hostName },
  ];
  if (data.shareUrl) rows.push({ label: t('recording.label.share'), value: data.shareUrl, href: data.shareUrl });
  for (const file of data.files) {
    const type = FILE_TYPES.includes(file.fileType) ? t(`recording.fileType.${file.fileType}`) : file.fileType;
    rows.push({ label: t('recording.label.play', { type }), value: file.playUrl, href: file.playUrl });
  }
  const paragraphs: string[] = [];
  if (who === 'guest' && data.passcode) {
    rows.push({ label: t('booking.label.passcode'), value: data.passcode });
    paragraphs.push(t('recording.passcodeGuest'));
  }
  if (who === 'host' && data.passcodeHint) {
    rows.push({ label: t('recording.label.passcodeHint'), value: data.passcodeHint });
    paragraphs.push(t('recording.passcodeHost'));
  }
  if (who === 'host') paragraphs.push(t('recording.hostNote'));
  const links: Row[] = who === 'host' && data.bookingUrl ? [{ label: t('recording.label.booking'), value: data.bookingUrl, href: data.bookingUrl }] : [];
  return renderSimpleMail({ t, name: who === 'host' ? data.hostName : data.guestName, subject, intro, rows, paragraphs, links });
}
