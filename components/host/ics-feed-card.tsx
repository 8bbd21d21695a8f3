import { getTranslations } from 'next-intl/server';
import { getIcsFeedUrl } from '@/lib/bookings/ics-feed';
import { IcsFeedUrl } from './ics-feed-url';

/**
 * The host's private calendar feed: with no calendar linked, subscribing to it in any calendar app
 * (Apple, Outlook, Google "From URL") shows every booking.
 */
export async function IcsFeedCard({ userId }: { userId: string }) {
  const [t, url] = await Promise.all([getTranslations('settings.icsFeed'), getIcsFeedUrl(userId)]);
  return (
    <section className="card stack" id="ics-feed" data-testid="ics-feed-card">
      <h2>{t('title')}</h2>
      <p className="muted">{t('body')}</p>
      <IcsFeedUrl initialUrl={url} />
      <p className="muted small">{t('privacy')}</p>
    </section>
  );
}
