import { getTranslations } from 'next-intl/server';
import { GoogleIntegrationCard } from '@/components/host/google-integration-card';
import { IcsFeedCard } from '@/components/host/ics-feed-card';
import { SettingsTabs } from '@/components/host/settings-tabs';
import { ZoomIntegrationCard } from '@/components/host/zoom-integration-card';
import { requireHost } from '@/lib/auth/session';

export default async function IntegrationsPage() {
  const host = await requireHost();
  const t = await getTranslations('settings');
  return (
    <div className="stack">
      <h1 className="page-title">{t('title')}</h1>
      <SettingsTabs />
      <p className="muted">{t('integrations.intro')}</p>
      <ZoomIntegrationCard host={host} />
      <GoogleIntegrationCard host={host} />
      <IcsFeedCard userId={host.id} />
    </div>
  );
}
