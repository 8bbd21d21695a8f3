import { useLocale, useTranslations } from 'next-intl';
import type { BookingConfirmationView, PublicLocation } from '@/lib/bookings/types';
import { embedHref } from '@/lib/embed/mode';
import styles from './booking.module.css';
import { googleCalendarUrl, office365CalendarUrl, outlookCalendarUrl } from './calendar-links';
import { defaultHour12, formatInstantDate, formatTime, safeHref, type UiLocale, zoneLabel } from './format';
import { CheckIcon } from './icons';
import { RefreshWhilePending } from './refresh-while-pending';
import { targetOfBookingPage, targetPath } from './target';

/**
 * `token`: the manage token the page was opened with (its proof); it carries on to the .ics and the manage page.
 * A team booking's page passes `pagePath` (/team/{org}/{page}; null: the page is gone) and `hosts`, who the guest meets.
 */
type Props = {
  view: BookingConfirmationView;
  token: string;
  embedded?: boolean;
  pagePath?: string | null;
  hosts?: { name: string | null; handle: string | null }[];
};

/** The confirmation card: when (guest's zone and host's zone), where (Zoom link or "follows by mail"), calendar links, manage link. */
export function ConfirmationView({ view, token, embedded = false, pagePath: givenPagePath, hosts }: Props) {
  const t = useTranslations('booking.confirmation');
  const locale = useLocale() as UiLocale;
  const hour12 = defaultHour12(locale);
  const guestZone = view.guestTimeZone;
  const hostZone = view.host.timeZone;
  const when = (zone: string) =>
    `${formatInstantDate(view.start, zone, locale)} ${formatTime(view.start, zone, locale, hour12)} – ${formatTime(view.end, zone, locale, hour12)}`;
  const hostName = hosts
    ? new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' }).format(hosts.map((h) => h.name ?? h.handle ?? '').filter(Boolean))
    : (view.host.name ?? view.host.handle ?? '');
  const cancelled = view.status === 'cancelled';
  const joinUrl = view.location.type === 'zoom' && view.location.status === 'created' ? safeHref(view.location.joinUrl) : null;
  const pending = view.location.type === 'zoom' && !joinUrl && !cancelled;
  // Only a mail that went out is called sent; a live worker sends a pending one within seconds.
  const mailPending = view.guestMail.status === 'pending' && !cancelled;
  const mailLine = cancelled ? t('cancelledBody') : MAIL_LINE[view.guestMail.status === 'pending' && !view.guestMail.workerRunning ? 'stalled' : view.guestMail.status];

  const pagePath =
    givenPagePath !== undefined ? givenPagePath : view.page ? `/${targetPath(targetOfBookingPage(view.page))}` : null;
  const base = pagePath ? `${pagePath}/booked/${encodeURIComponent(view.uid)}` : null;
  const manageHref = embedHref(`/booking/${encodeURIComponent(view.uid)}?token=${encodeURIComponent(token)}`, embedded);
  const icsHref = base ? `${base}/ics?token=${encodeURIComponent(token)}` : null;
  const title = hostName ? `${view.title} (${hostName})` : view.title;
  const details = [title, joinUrl ? `Zoom: ${joinUrl}` : '', t('calendarManageLine')].filter(Boolean).join('\n');
  const calendarEvent = { title, start: view.start, end: view.end, details, location: locationLine(view.location) ?? undefined };

  return (
    <section className="card narrow stack-lg" data-testid="confirmation" data-status={view.status}>
      <div className={`stack ${styles.center}`}>
        {cancelled ? null : (
          <div className={styles.check}>
            <CheckIcon width={28} height={28} />
          </div>
        )}
        <h1 className="page-title" style={{ margin: 0 }}>
          {cancelled ? t('cancelledTitle') : t('title')}
        </h1>
        {mailLine ? (
          <p className="muted" style={{ margin: 0 }} data-testid="guest-mail" data-state={cancelled ? 'cancelled' : view.guestMail.status}>
            {t(mailLine)}
          </p>
        ) : null}
        {mailPending && view.guestMail.workerRunning && !pending ? <RefreshWhilePending quiet /> : null}
      </div>

      <dl className={styles.details}>
        <dt>{t('what')}</dt>
        <dd data-testid="confirmation-title">{view.title}</dd>
        {hostName ? (
          <>
            <dt>{t('host')}</dt>
            <dd data-testid="confirmation-hosts">{hostName}</dd>
          </>
        ) : null}
        <dt>{t('when')}</dt>
        <dd>
          <strong data-testid="confirmation-when">{when(guestZone)}</strong>
          <br />
          <span className="muted small">{zoneLabel(guestZone, locale)}</span>
        </dd>
        {hostZone !== guestZone ? (
          <>
            <dt>{t('hostTime')}</dt>
            <dd>
              <span data-testid="confirmation-host-when">{when(hostZone)}</span>
              <br />
              <span className="muted small">{zoneLabel(hostZone, locale)}</span>
            </dd>
          </>
        ) : null}
        <dt>{t('where')}</dt>
        <dd>
          <LocationValue location={view.location} cancelled={cancelled} />
        </dd>
      </dl>

      {pending ? (
        <div className="notice info" data-testid="meeting-pending" role="status">
          <p style={{ margin: 0 }}>{view.meetingChangedInZoom ? t('linkReplacing') : t('linkFollows')}</p>
          <RefreshWhilePending />
        </div>
      ) : null}

      {view.meetingChangedInZoom === 'rescheduled' && !cancelled ? (
        <div className="notice info" data-testid="meeting-replacing" role="status">
          <p style={{ margin: 0 }}>{t('linkReplacing')}</p>
        </div>
      ) : null}

      {cancelled ? null : (
        <div className="stack">
          <h2 style={{ margin: 0, fontSize: '1rem' }}>{t('addToCalendar')}</h2>
          <div className={styles.linkRow}>
            <a className="btn small" href={googleCalendarUrl(calendarEvent)} target="_blank" rel="noopener noreferrer" data-testid="add-google">
              Google
            </a>
            <a className="btn small" href={outlookCalendarUrl(calendarEvent)} target="_blank" rel="noopener noreferrer" data-testid="add-outlook">
              Outlook.com
            </a>
            <a className="btn small" href={office365CalendarUrl(calendarEvent)} target="_blank" rel="noopener noreferrer">
              Microsoft 365
            </a>
            {icsHref ? (
              <a className="btn small" href={icsHref} download={`${view.uid}.ics`} data-testid="download-ics">
                {t('downloadIcs')}
              </a>
            ) : null}
          </div>
        </div>
      )}

      {cancelled ? null : (
        <div className="notice">
          <p style={{ margin: 0 }}>
            {t('manageIntro')}{' '}
            <a href={manageHref} data-testid="manage-link">
              {t('manageLink')}
            </a>
          </p>
        </div>
      )}

      {pagePath ? (
        <p className={`small ${styles.center}`} style={{ margin: 0 }}>
          <a href={embedHref(pagePath, embedded)}>{t('bookAnother')}</a>
        </p>
      ) : null}
    </section>
  );
}

const MAIL_LINE = {
  sent: 'mailSent',
  pending: 'mailSending',
  stalled: 'mailFollows',
  failed: 'mailFailed',
  none: null,
} as const;

function locationLine(location: PublicLocation): string | null {
  switch (location.type) {
    case 'zoom':
      return location.joinUrl;
    case 'phone':
      return location.phone;
    case 'in_person':
      return location.address;
    case 'link':
      return location.url;
  }
}

function LocationValue({ location, cancelled }: { location: PublicLocation; cancelled: boolean }) {
  const t = useTranslations('booking.confirmation');
  switch (location.type) {
    case 'zoom':
      if (location.status === 'created' && safeHref(location.joinUrl) && !cancelled) {
        return (
          <span className="stack" style={{ gap: 6 }}>
            <span>{t('zoomMeeting')}</span>
            <a className={`btn primary ${styles.joinUrl}`} href={safeHref(location.joinUrl)!} target="_blank" rel="noopener noreferrer" data-testid="join-link">
              {t('join')}
            </a>
            <span className={`small muted ${styles.joinUrl}`} data-testid="join-url">
              {location.joinUrl}
            </span>
          </span>
        );
      }
      return <span>{t('zoomMeeting')}</span>;
    case 'phone':
      return <span>{location.phone ? t('phoneWith', { phone: location.phone }) : t('phone')}</span>;
    case 'in_person':
      return <span>{location.address}</span>;
    case 'link':
      return cancelled || !safeHref(location.url) ? (
        <span>{location.url}</span>
      ) : (
        <a href={location.url} target="_blank" rel="noopener noreferrer" className={styles.joinUrl}>
          {location.url}
        </a>
      );
  }
}
