import { getTranslations } from 'next-intl/server';
import { hostHasMeetingZoom } from '@/lib/meetings/zoom-choice';
import { getZoomConnectionStatus } from '@/lib/zoom/queries';

/**
 * For host pages whose location is Zoom: a warning while the host's Zoom link is missing or broken.
 * Renders nothing when Zoom is linked. Usage: `{page.location.type === 'zoom' ? <ZoomWarning hostId={host.id} /> : null}`.
 */
export async function ZoomWarning({ hostId }: { hostId: string }) {
  const status = await getZoomConnectionStatus(hostId);
  if (await hostHasMeetingZoom(hostId, status.state === 'active')) return null;
  const t = await getTranslations('zoom');
  return (
    <div className="notice warn" role="status" data-testid="zoom-warning">
      <strong>{t('warning.title')}</strong> {status.state === 'revoked' ? t('warning.revoked') : t('warning.body')}{' '}
      <a href="/settings/integrations#zoom">{t('warning.action')}</a>
    </div>
  );
}
