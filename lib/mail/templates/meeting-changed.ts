import type { Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import { formatRange, formatWhen, type RenderedMail } from './booking';
import { renderSimpleMail } from './recording-ready';

/**
 * The host's mail when a booking's Zoom meeting was changed in Zoom directly (not by Aki): deleted,
 * or moved to another time. The booking itself still stands; the host opens it to recreate the
 * meeting (or reschedule). The guest is not mailed automatically.
 */

export type MeetingChangedMailData = {
  locale: Locale;
  timeZone: string;
  /** The recipient's clock (true: 12-hour); absent: their language's habit. */
  hour12?: boolean;
  change: 'deleted' | 'rescheduled';
  title: string;
  start: Date;
  end: Date;
  hostName: string;
  guestName: string;
  /** rescheduled: the start the meeting now has in Zoom. */
  zoomStart?: Date | null;
  bookingUrl: string;
};

type T = (key: string, values?: Record<string, string>) => string;

export function renderMeetingChangedMail(data: MeetingChangedMailData): RenderedMail {
  const t = translator(data.locale, 'mail') as T;
  const when = formatWhen(data.start, data.timeZone, data.locale, data.hour12);
  const guest = data.guestName.replace(/\s+/g, ' ').trim().slice(0, 60);
  const subject = t(`meetingChanged.subject.${data.change}`, { guest, title: data.title.replace(/\s+/g, ' ').trim().slice(0, 80), when });
  const intro = t(`meetingChanged.intro.${data.change}`, { guest: data.guestName, title: data.title });
  const rows = [
    { label: t('booking.label.what'), value: data.title },
    { label: t('booking.label.when'), value: formatRange(data.start, data.end, data.timeZone, data.locale, data.hour12) },
    { label: t('booking.label.guest'), value: data.guestName },
  ];
  if (data.change === 'rescheduled' && data.zoomStart) {
    rows.push({ label: t('meetingChanged.label.zoomStart'), value: formatWhen(data.zoomStart, data.timeZone, data.locale, data.hour12) });
  }
  const paragraphs = [t(`meetingChanged.action.${data.change}`), t('meetingChanged.guestNotTold')];
  const links = [{ label: t('meetingChanged.label.booking'), value: data.bookingUrl, href: data.bookingUrl }];
  return renderSimpleMail({ t, name: data.hostName, subject, intro, rows, paragraphs, links });
}
