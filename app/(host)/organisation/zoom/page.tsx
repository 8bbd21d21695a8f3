import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { ZoomCheckResult } from '@/components/organisation/zoom-check-result';
import { ZoomCredentialsForm } from '@/components/organisation/zoom-credentials-form';
import { ZoomMeetingDefaults } from '@/components/organisation/zoom-meeting-defaults';
import { ZoomMembers } from '@/components/organisation/zoom-members';
import { ZoomTestConnection } from '@/components/organisation/zoom-test-connection';
import { requireHost } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { env } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { BASELINE_MEETING_SETTINGS } from '@/lib/organisations/meeting-settings';
import {
  chooseMemberZoomUserAction,
  createMemberZoomUserAction,
  mapAllMembersAction,
  saveMeetingDefaultsAction,
  saveZoomCredentialsAction,
  setDefaultZoomUserAction,
  testZoomConnectionAction,
} from '@/lib/organisations/zoom-actions';
import { memberZoomRows, organisationZoomUsers, organisationZoomView, requireZoomAdmin } from '@/lib/organisations/zoom-admin';
import { OPTIONAL_S2S_CREATE_USER_SCOPE, REQUIRED_S2S_SCOPES, s2sCanCreateUsers } from '@/lib/zoom/scopes';

/** What the app needs (lib/zoom/scopes.ts: the granular admin names; creating users is optional). */
const S2S_SCOPES = [...REQUIRED_S2S_SCOPES.map((options) => options[0]!), `${OPTIONAL_S2S_CREATE_USER_SCOPE[0]} (optional)`];

/** Organisation → Zoom (owners and admins; anyone else gets the not-found page). */
export default async function OrganisationZoomPage() {
  const host = await requireHost();
  const db = await getDb();
  const org = await requireZoomAdmin(host.id, db).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
  const t = await getTranslations('organisation.zoom');
  const locale = await getLocale();
  const view = await organisationZoomView(db, org.organisationId);
  const members = await memberZoomRows(db, org.organisationId);
  const accountUsers = view.configured ? await organisationZoomUsers(db, org.organisationId).catch(() => null) : null;
  const when = view.check.checkedAt
    ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: host.timeZone }).format(view.check.checkedAt)
    : null;
  const scopes = view.check.scopes;
  const canCreateUsers = scopes.length === 0 || s2sCanCreateUsers(scopes);
  const webhookUrl = `${env().appUrl}/api/webhooks/zoom/organisations/${view.organisationId}`;

  return (
    <div className="stack-lg" data-testid="organisation-zoom">
      <div className="stack">
        <p className="small">
          <a href="/organisation">← {view.organisationName}</a>
        </p>
        <h1 className="page-title" style={{ marginBottom: 0 }}>
          {t('title')}
        </h1>
        <p className="muted">{t('intro')}</p>
      </div>

      <section className="card stack" data-testid="zoom-credentials">
        <h2>{t('credentials.title')}</h2>
        {view.fromEnv ? (
          <>
            <p className="notice info" data-testid="zoom-from-env">
              {t('credentials.fromEnv')}
            </p>
            <dl className="stack" style={{ margin: 0, gap: 6, overflowWrap: 'anywhere' }}>
              <div>
                <dt className="small muted">{t('credentials.accountId')}</dt>
                <dd className="mono" style={{ margin: 0 }}>
                  {view.accountId}
                </dd>
              </div>
              <div>
                <dt className="small muted">{t('credentials.clientId')}</dt>
                <dd className="mono" style={{ margin: 0 }}>
                  {view.clientId}
                </dd>
              </div>
              <div>
                <dt className="small muted">{t('credentials.clientSecret')}</dt>
                <dd style={{ margin: 0 }}>{t('credentials.secretFromEnv')}</dd>
              </div>
              <div>
                <dt className="small muted">{t('credentials.webhookSecret')}</dt>
                <dd style={{ margin: 0 }}>{view.hasWebhookSecret ? t('credentials.secretFromEnv') : t('credentials.notSet')}</dd>
              </div>
            </dl>
          </>
        ) : (
          <>
            <p className="muted">{t('credentials.hint')}</p>
            <ZoomCredentialsForm
              initial={{ accountId: view.accountId ?? '', clientId: view.clientId ?? '', hasClientSecret: view.hasClientSecret, hasWebhookSecret: view.hasWebhookSecret }}
              save={saveZoomCredentialsAction}
            />
          </>
        )}
        <p className="muted small" style={{ overflowWrap: 'anywhere' }}>
          {t('credentials.webhookSecretHint', { url: webhookUrl })}
        </p>
        <details>
          <summary>{t('credentials.scopesTitle')}</summary>
          <ul className="small mono" style={{ margin: '8px 0 0', paddingLeft: 20, overflowWrap: 'anywhere' }}>
            {S2S_SCOPES.map((scope) => (
              <li key={scope}>{scope}</li>
            ))}
          </ul>
        </details>
      </section>

      <section className="card stack" data-testid="zoom-connection" data-status={view.check.status ?? 'never'}>
        <h2>{t('check.title')}</h2>
        {view.configured ? (
          <ZoomTestConnection test={testZoomConnectionAction}>
            {view.check.status === 'ok' ? (
              accountUsers ? (
                <ZoomCheckResult result={{ ok: true, usersCount: accountUsers.length, canCreateUsers }} />
              ) : (
                <p className="notice ok">{t('check.okStored')}</p>
              )
            ) : view.check.status === 'failed' && view.check.reason ? (
              <ZoomCheckResult result={{ ok: false, reason: view.check.reason, missingScopes: view.check.missingScopes, detail: null }} />
            ) : (
              <p className="muted">{t('check.never')}</p>
            )}
            {when ? <p className="muted small">{t('check.checkedAt', { when })}</p> : null}
          </ZoomTestConnection>
        ) : (
          <p className="muted">{t('check.notConfigured')}</p>
        )}
      </section>

      {view.configured ? (
        <ZoomMembers
          members={members}
          zoomUsers={accountUsers?.map((u) => ({ id: u.id, email: u.email, name: [u.firstName, u.lastName].filter(Boolean).join(' ') })) ?? null}
          defaultUser={view.defaultUser}
          canCreateUsers={canCreateUsers}
          actions={{ choose: chooseMemberZoomUserAction, create: createMemberZoomUserAction, setDefault: setDefaultZoomUserAction, mapAll: mapAllMembersAction }}
        />
      ) : null}

      <ZoomMeetingDefaults initial={{ ...BASELINE_MEETING_SETTINGS, ...view.meetingDefaults }} save={saveMeetingDefaultsAction} />
    </div>
  );
}
