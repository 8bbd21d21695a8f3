import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { SettingsTabs } from '@/components/host/settings-tabs';
import { WebhookManager } from '@/components/host/webhook-manager';
import { requireHost } from '@/lib/auth/session';
import { listWebhookSubscriptions } from '@/lib/webhooks/queries';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('settings.webhooks');
  return { title: t('title') };
}

export default async function WebhooksSettingsPage() {
  const host = await requireHost();
  const [t, webhooks] = await Promise.all([getTranslations('settings'), listWebhookSubscriptions(host.id)]);
  return (
    <div className="stack">
      <h1 className="page-title">{t('title')}</h1>
      <SettingsTabs />
      <WebhookManager
        timeZone={host.timeZone}
        hour12={host.hour12}
        webhooks={webhooks.map((hook) => ({
          id: hook.id,
          url: hook.url,
          description: hook.description,
          events: hook.events,
          status: hook.status,
          disabledReason: hook.disabledReason,
          createdAt: hook.createdAt.toISOString(),
          lastDelivery: hook.lastDelivery ? { ...hook.lastDelivery, at: hook.lastDelivery.at.toISOString() } : null,
        }))}
      />
    </div>
  );
}
