import { getTranslations } from 'next-intl/server';
import { GoogleIntegrationCard } from '@/components/host/google-integration-card';
import { IcsFeedCard } from '@/components/host/ics-feed-card';
import { SettingsTabs } from '@/components/host/settings-tabs';
import { ZoomIntegrationCard } from '@/components/host/zoom-integration-card';
import { requireHost } from '@/lib/auth/session';
import { chooseZoomSourceAction } from './zoom-choice-action';

export default async function IntegrationsPage({ searchParams }: { searchParams: Promise<{ zoomSource?: string | string[] }> }) {
  const host = await requireHost();
  const { zoomSource } = await searchParams;
  const t = await getTranslations('settings');
  return (
    <div className="stack">
      <h1 className="page-title">{t('title')}</h1>
      <SettingsTabs />
      <p className="muted">{t('integrations.intro')}</p>
      <ZoomIntegrationCard host={host} chooseSource={chooseZoomSourceAction} sourceOutcome={typeof zoomSource === 'string' ? zoomSource : undefined} />
      <GoogleIntegrationCard host={host} />
      <IcsFeedCard userId={host.id} />
    </div>
  );
}
