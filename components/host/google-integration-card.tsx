import { getLocale, getTranslations } from 'next-intl/server';
import { Suspense } from 'react';
import type { Host } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { integrationNoticeMessages } from '@/lib/oauth/outcome';
import { ConfirmSubmit } from '@/components/ui/confirm-submit';
import { disconnectGoogleAction, saveGoogleCalendarSettingsAction } from '@/lib/calendar/google/actions';
import { getGoogleCardData } from '@/lib/calendar/google/service';
import { IntegrationNotice } from './integration-notice';

/** Settings → Integrations → Google Calendar: connect, choose calendars, disconnect, reconnect when revoked. */
export async function GoogleIntegrationCard({ host }: { host: Host }) {
  const t = await getTranslations('google');
  const locale = await getLocale();
  const data = await getGoogleCardData(host.id);
  const status =
    data.state === 'connected'
      ? { label: t('card.statusConnected'), tone: 'ok' }
      : data.state === 'revoked'
        ? { label: t('card.statusRevoked'), tone: 'error' }
        : { label: t('card.statusNotConnected'), tone: '' };

  return (
    <section className="card stack" aria-labelledby="google-card-title" data-testid="google-card" data-state={data.state}>
      <div className="row-between">
        <h2 id="google-card-title" style={{ margin: 0 }}>
          {t('card.title')}
        </h2>
        <span className={`badge ${status.tone}`}>{status.label}</span>
      </div>
      <Suspense fallback={null}>
        <IntegrationNotice provider="google" messages={integrationNoticeMessages(t)} />
      </Suspense>
      <p className="muted">{t('card.description')}</p>

      {data.state === 'not_configured' && <p className="notice info">{t('card.notConfigured')}</p>}

      {data.state === 'disconnected' && (
        <div className="stack">
          <p className="muted small">{t('card.scopesNote')}</p>
          {env().google.emulated && <p className="notice info small">{t('card.demo')}</p>}
          <div className="row">
            <a className="btn primary" href="/api/integrations/google/connect">
              {t('card.connect')}
            </a>
          </div>
        </div>
      )}

      {data.state === 'revoked' && (
        <div className="stack">
          <p className="notice error" role="alert">
            {t(data.connection.revokedReason === 'invalid_grant' ? 'card.revoked.invalid_grant' : 'card.revoked.other', {
              email: data.connection.email ?? 'Google',
            })}
          </p>
          <p className="muted small">{t('card.revokedEffects')}</p>
          <div className="row">
            <a className="btn primary" href="/api/integrations/google/connect">
              {t('card.reconnect')}
            </a>
            <form action={disconnectGoogleAction}>
              <ConfirmSubmit className="btn danger" message={t('card.disconnectConfirm')}>
                {t('card.disconnect')}
              </ConfirmSubmit>
            </form>
          </div>
        </div>
      )}

      {data.state === 'connected' && (
        <div className="stack">
          <p>
            <strong data-testid="google-connected-as">{t('card.connectedAs', { email: data.connection.email ?? '' })}</strong>
          </p>
          {data.connection.busyDegradedAt && (
            <p className="notice warn" data-testid="google-degraded">
              {t('card.degraded', {
                time: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: host.timeZone }).format(
                  data.connection.busyDegradedAt,
                ),
              })}
            </p>
          )}
          {data.calendars === null ? (
            <p className="notice warn">{t('card.calendarsUnavailable')}</p>
          ) : (
            <form action={saveGoogleCalendarSettingsAction} className="stack" data-testid="google-settings">
              <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
                <legend className="field">
                  <span>{t('card.busyLegend')}</span>
                </legend>
                {data.calendars.map((calendar) => (
                  <label key={calendar.id} className="checkbox">
                    <input
                      type="checkbox"
                      name="busyCalendarIds"
                      value={calendar.id}
                      defaultChecked={data.connection.busyCalendarIds.includes(calendar.id)}
                    />
                    <span>
                      {calendar.summary}
                      {calendar.primary && <span className="muted small"> ({t('card.primary')})</span>}
                      {!calendar.writable && <span className="muted small"> ({t('card.readOnly')})</span>}
                    </span>
                  </label>
                ))}
                <span className="muted small">{t('card.busyHint')}</span>
              </fieldset>
              <label className="field">
                <span>{t('card.targetLabel')}</span>
                <select name="targetCalendarId" defaultValue={data.connection.targetCalendarId ?? undefined} required>
                  {data.calendars
                    .filter((calendar) => calendar.writable)
                    .map((calendar) => (
                      <option key={calendar.id} value={calendar.id}>
                        {calendar.summary}
                      </option>
                    ))}
                </select>
              </label>
              <div className="stack" style={{ gap: 4 }}>
                <label className="checkbox">
                  <input type="checkbox" name="allDayEventsBusy" defaultChecked={data.connection.allDayEventsBusy} />
                  <span>{t('card.allDayLabel')}</span>
                </label>
                <span className="muted small">{t('card.allDayHint')}</span>
              </div>
              <div className="row">
                <button type="submit" className="btn primary">
                  {t('card.save')}
                </button>
              </div>
            </form>
          )}
          <div className="stack" style={{ gap: 4 }}>
            <form action={disconnectGoogleAction}>
              <ConfirmSubmit className="btn danger" message={t('card.disconnectConfirm')}>
                {t('card.disconnect')}
              </ConfirmSubmit>
            </form>
            <span className="muted small">{t('card.disconnectHint')}</span>
          </div>
        </div>
      )}
    </section>
  );
}
