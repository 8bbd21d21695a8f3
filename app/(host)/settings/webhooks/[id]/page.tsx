import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { SettingsTabs } from '@/components/host/settings-tabs';
import { WebhookDeliveryLog } from '@/components/host/webhook-delivery-log';
import { WebhookDetail } from '@/components/host/webhook-detail';
import { requireHost } from '@/lib/auth/session';
import { unusablePathSegment } from '@/lib/text-input';
import { getWebhookSubscription, listWebhookDeliveries } from '@/lib/webhooks/queries';
import { deliveryIdFrom, toApiDelivery } from '@/lib/webhooks/service';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ before?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('settings.webhooks');
  return { title: t('title') };
}

export default async function WebhookPage({ params, searchParams }: Props) {
  const host = await requireHost();
  const [{ id }, query] = await Promise.all([params, searchParams]);
  if (unusablePathSegment(id)) notFound();
  const webhook = await getWebhookSubscription(host.id, id);
  if (!webhook) notFound();
  // A cursor that is not a delivery id shows the newest page.
  const before = typeof query.before === 'string' ? (deliveryIdFrom(query.before) ?? undefined) : undefined;
  const [t, log] = await Promise.all([getTranslations('settings'), listWebhookDeliveries(webhook.id, before === undefined ? {} : { before })]);
  return (
    <div className="stack">
      <h1 className="page-title">{t('title')}</h1>
      <SettingsTabs />
      <p style={{ margin: 0 }}>
        <Link href="/settings/webhooks">← {t('webhooks.back')}</Link>
      </p>
      <WebhookDetail
        timeZone={host.timeZone}
        hour12={host.hour12}
        failingSince={webhook.failingSince?.toISOString() ?? null}
        webhook={{
          id: webhook.id,
          url: webhook.url,
          description: webhook.description,
          events: webhook.events,
          status: webhook.status,
          disabledReason: webhook.disabledReason,
          createdAt: webhook.createdAt.toISOString(),
          lastDelivery: null,
        }}
      />
      <WebhookDeliveryLog
        webhookId={webhook.id}
        deliveries={log.deliveries.map(toApiDelivery)}
        nextBefore={log.nextBefore}
        isFirstPage={before === undefined}
        timeZone={host.timeZone}
        hour12={host.hour12}
      />
    </div>
  );
}
