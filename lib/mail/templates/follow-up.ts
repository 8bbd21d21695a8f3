import type { Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translator';
import { formatRange, oneLine, type RenderedMail } from './booking';
import { renderSimpleMail } from './recording-ready';

/**
 * The guest's mail after the meeting, ja/en, in the guest's language, zone and clock: "thanks" (the
 * host's message, the recording link when the page shares it, a link to book again) or "sorry we
 * missed you" (the guest did not show up; the book-again link). Plain data in.
 */

export type FollowUpMailData = {
  kind: 'thanks' | 'sorry';
  locale: Locale;
  timeZone: string;
  /** The guest's clock (true: 12-hour); absent: their language's habit. */
  hour12?: boolean;
  title: string;
  start: Date;
  end: Date;
  hostName: string;
  guestName: string;
  /** The host's own words (may be empty). */
  message: string;
  /** Thanks only: the recording the page shares with the guest, when one exists. */
  recording?: { url: string; passcode: string | null } | null;
  /** The booking page, to book again (null: the page is gone or unpublished). */
  bookAgainUrl: string | null;
};

type T = (key: string, values?: Record<string, string>) => string;

export function renderFollowUpMail(data: FollowUpMailData): RenderedMail {
  const t = translator(data.locale, 'mail') as T;
  const host = data.hostName;
  const subject = t(`followUp.subject.${data.kind}`, { title: oneLine(data.title), host: oneLine(host, 60) });
  const intro = t(`followUp.intro.${data.kind}`, { host, title: data.title });
  const rows: { label: string; value: string; href?: string }[] = [
    { label: t('booking.label.what'), value: data.title },
    { label: t('booking.label.when'), value: formatRange(data.start, data.end, data.timeZone, data.locale, data.hour12) },
  ];
  const paragraphs: string[] = [];
  const message = data.message.trim();
  if (message) paragraphs.push(`${t('followUp.label.message', { host })}:`, message);
  if (data.kind === 'thanks' && data.recording) {
    rows.push({ label: t('followUp.label.recording'), value: data.recording.url, href: data.recording.url });
    if (data.recording.passcode) {
      rows.push({ label: t('booking.label.passcode'), value: data.recording.passcode });
      paragraphs.push(t('followUp.passcode'));
    }
  }
  const links = data.bookAgainUrl ? [{ label: t('followUp.label.bookAgain', { host }), value: data.bookAgainUrl, href: data.bookAgainUrl }] : [];
  return renderSimpleMail({ t, name: data.guestName, subject, intro, rows, paragraphs, links });
}
