import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { AttendanceRate } from '@/components/host/attendance-rate';
import { BookingPageList } from '@/components/host/booking-page-list';
import { UpcomingBookings } from '@/components/host/upcoming-bookings';
import { WorkerBanner } from '@/components/host/worker-banner';
import { requireHost } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { getGoogleConnection } from '@/lib/calendar/google/queries';
import { getZoomConnectionStatus } from '@/lib/zoom/queries';
import { joinInstanceOrganisation } from '@/lib/organisations/service';

export default async function DashboardPage() {
  const host = await requireHost();
  // AKI_ORG_NAME: hosts who existed before it was set join the instance organisation on their next visit (idempotent).
  await joinInstanceOrganisation(host);
  const [t, tn, zoom, google] = await Promise.all([
    getTranslations('common.dashboard'),
    getTranslations('common.nav'),
    getZoomConnectionStatus(host.id),
    getGoogleConnection(host.id),
  ]);
  return (
    <div className="stack-lg">
      <div className="row-between">
        <div>
          <h1 className="page-title" style={{ marginBottom: 4 }}>
            {t('welcome', { name: host.name ?? host.handle })}
          </h1>
          <p className="muted small">{t('publicProfile', { url: `${env().appUrl}/${host.handle}` })}</p>
        </div>
        <Link className="btn primary" href="/pages/new">
          {tn('newPage')}
        </Link>
      </div>
      <WorkerBanner userId={host.id} />
      {zoom.state !== 'active' ? (
        <div className={`notice ${zoom.state === 'revoked' ? 'error' : 'warn'} row-between`} data-testid="dashboard-zoom-notice">
          <span>{zoom.state === 'revoked' ? t('zoomRevoked') : t('zoomMissing')}</span>
          <Link className="btn small" href="/settings/integrations#zoom">
            {zoom.state === 'revoked' ? t('reconnectZoom') : t('linkZoom')}
          </Link>
        </div>
      ) : null}
      {zoom.state === 'active' && zoom.afterMeetingScopesMissing ? (
        <div className="notice warn row-between" data-testid="dashboard-zoom-scopes-notice">
          <span>{t('zoomAfterMeetingScopes')}</span>
          <Link className="btn small" href="/settings/integrations#zoom">
            {t('reconnectZoom')}
          </Link>
        </div>
      ) : null}
      {google?.status === 'revoked' ? (
        <div className="notice error row-between" data-testid="dashboard-google-notice">
          <span>{t('googleRevoked')}</span>
          <Link className="btn small" href="/settings/integrations#google">
            {t('reconnectGoogle')}
          </Link>
        </div>
      ) : null}
      <section className="card stack">
        <h2>{t('pagesTitle')}</h2>
        <BookingPageList userId={host.id} handle={host.handle} />
      </section>
      <section className="card stack">
        <div className="row-between">
          <h2>{t('upcomingTitle')}</h2>
          <Link href="/bookings">{t('allBookings')}</Link>
        </div>
        <UpcomingBookings userId={host.id} timeZone={host.timeZone} hour12={host.hour12} limit={5} />
      </section>
      <AttendanceRate userId={host.id} />
    </div>
  );
}
