import { getTranslations } from 'next-intl/server';
import { getWorkerStatus } from '@/lib/bookings/queries';

/**
 * Tells the host when the follow-up steps of their bookings wait and nobody takes them (no live
 * worker, or a due step older than five minutes), with a hint for self-hosters. Renders nothing otherwise.
 */
export async function WorkerBanner({ userId }: { userId: string }) {
  const status = await getWorkerStatus(new Date(), { userId });
  if (!status.stalled) return null;
  const t = await getTranslations('common.workerBanner');
  return (
    <div className="notice error stack" role="alert" data-testid="worker-banner" style={{ gap: 4 }}>
      <strong>{t('title')}</strong>
      <span className="small">{t('body', { count: status.pendingSteps, minutes: Math.floor((status.oldestPendingAgeSeconds ?? 0) / 60) })}</span>
      <span className="small">{t('hint')}</span>
    </div>
  );
}
