import { getTranslations } from 'next-intl/server';
import { Suspense } from 'react';
import type { Host } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { integrationNoticeMessages } from '@/lib/oauth/outcome';
import { ConfirmSubmit } from '@/components/ui/confirm-submit';
import { disconnectZoomAction } from '@/lib/zoom/actions';
import { getZoomConnectionStatus } from '@/lib/zoom/queries';
import { ZOOM_BASIC_MEETING_MINUTES } from '@/lib/zoom/queries';
import { missingZoomScopes } from '@/lib/zoom/scopes';
import { hostZoomChoice } from '@/lib/meetings/zoom-choice';
import { IntegrationNotice } from './integration-notice';
import { ZoomSourceChoice } from './zoom-source-choice';

const CONNECT_HREF = '/api/integrations/zoom/connect';

const REVOKE_REASONS = ['invalid_grant', 'app_deauthorized', 'admin_disabled'] as const;

/** Settings → Integrations: the host's own Zoom link (connect, connected as…, reconnect, disconnect). */
export async function ZoomIntegrationCard({
  host,
  chooseSource,
  sourceOutcome,
}: {
  host: Host;
  /** The server action that saves the host's choice (own / organisation's Zoom), given by the page. */
  chooseSource?: (formData: FormData) => Promise<void>;
  sourceOutcome?: string;
}) {
  const t = await getTranslations('zoom');
  const zoom = env().zoom;
  const [status, choice] = await Promise.all([getZoomConnectionStatus(host.id), hostZoomChoice(host.id)]);
  const configured = zoom.configured && Boolean(zoom.clientId);
  const email = status.email ?? '';
  const missing = status.state === 'active' ? missingZoomScopes(status.scopes ?? []) : [];
  const reason = REVOKE_REASONS.find((r) => r === status.reason) ?? 'other';

  return (
    <section className="card stack" id="zoom" data-testid="zoom-card" data-state={status.state}>
      <div className="row-between">
        <h2>{t('card.title')}</h2>
        {status.state === 'active' ? (
          <span className="badge ok">{t('card.statusConnected')}</span>
        ) : status.state === 'revoked' ? (
          <span className="badge warn">{t('card.statusRevoked')}</span>
        ) : (
          <span className="badge">{t('card.statusNotConnected')}</span>
        )}
      </div>
      <Suspense fallback={null}>
        <IntegrationNotice provider="zoom" messages={integrationNoticeMessages(t)} />
      </Suspense>
      <p className="muted">{t('card.description')}</p>
      {chooseSource ? <ZoomSourceChoice choice={choice} action={chooseSource} outcome={sourceOutcome} /> : null}

      {!configured && status.state === 'none' ? <p className="notice error">{t('card.notConfigured')}</p> : null}

      {status.state === 'active' ? (
        <>
          <p data-testid="zoom-connected-as">{email ? t('card.connectedAs', { email }) : t('card.connectedUnknownEmail')}</p>
          {missing.length > 0 ? <p className="notice warn">{t('card.missingScopes', { scopes: missing.join(', ') })}</p> : null}
          {status.afterMeetingScopesMissing ? <p className="notice warn" data-testid="zoom-after-meeting-scopes">{t('card.afterMeetingScopes')}</p> : null}
          {status.basic ? (
            <p className="notice warn" data-testid="zoom-basic">
              {t('card.basicPlan', { minutes: ZOOM_BASIC_MEETING_MINUTES })}
            </p>
          ) : null}
          <div className="row">
            {missing.length > 0 ? (
              <a className="btn primary" href={CONNECT_HREF}>
                {t('card.reconnect')}
              </a>
            ) : null}
            <form action={disconnectZoomAction}>
              <ConfirmSubmit className="btn danger" testId="zoom-disconnect" message={t('card.disconnectConfirm')}>
                {t('card.disconnect')}
              </ConfirmSubmit>
            </form>
          </div>
          <p className="muted">{t('card.disconnectHint')}</p>
        </>
      ) : null}

      {status.state === 'revoked' ? (
        <>
          <p className="notice warn" data-testid="zoom-revoked">
            {t(`card.revoked.${reason}`, { email: email || 'Zoom' })} {t('card.revokedNoMeetings')}
          </p>
          <div className="row">
            {configured ? (
              <a className="btn primary" href={CONNECT_HREF} data-testid="zoom-reconnect">
                {t('card.reconnect')}
              </a>
            ) : null}
            <form action={disconnectZoomAction}>
              <button className="btn ghost" type="submit">
                {t('card.remove')}
              </button>
            </form>
          </div>
        </>
      ) : null}

      {status.state === 'none' && configured ? (
        <>
          <div className="row">
            <a className="btn primary" href={CONNECT_HREF} data-testid="zoom-connect">
              {t('card.connect')}
            </a>
          </div>
          {zoom.emulated ? <p className="muted">{t('card.demo')}</p> : null}
        </>
      ) : null}

      {status.state !== 'active' && configured ? (
        <details>
          <summary>{t('card.adminHintTitle')}</summary>
          <p className="muted">{t('card.adminHint')}</p>
        </details>
      ) : null}
    </section>
  );
}
