import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { CopyButton } from '@/components/ui/copy-button';
import { listPagesForHost } from '@/lib/booking-pages/queries';
import { publicPageUrl } from '@/lib/booking-pages/utils';
import { env } from '@/lib/env';
import styles from './booking-page-list.module.css';
import { EmbedPanel } from './embed-panel';

/**
 * The host's booking pages for the dashboard: title, duration, location, published state, the public
 * link with a copy button, and an edit link. Explains the next step when there are none yet.
 */
export async function BookingPageList({ userId, handle }: { userId: string; handle: string }) {
  const [pages, t, te] = await Promise.all([listPagesForHost(userId), getTranslations('pages.list'), getTranslations('pages.editor')]);

  if (pages.length === 0) {
    return (
      <div className={`empty ${styles.empty}`} data-testid="booking-page-list-empty">
        <h3>{t('emptyTitle')}</h3>
        <p>{t('emptyBody')}</p>
        <Link className="btn primary" href="/pages/new">
          {t('newPage')}
        </Link>
      </div>
    );
  }

  return (
    <ul className={`list ${styles.list}`} data-testid="booking-page-list">
      {pages.map((page) => {
        const url = publicPageUrl(env().appUrl, handle, page.slug);
        return (
          <li key={page.id} className={styles.item} data-testid="booking-page-item">
            <div className={styles.head}>
              <Link href={`/pages/${page.id}`} className={styles.title}>
                {page.title}
              </Link>
              <span className={`badge ${page.published ? 'ok' : ''}`}>{page.published ? t('published') : t('unpublished')}</span>
            </div>
            <p className="muted small" style={{ margin: 0 }}>
              {t('minutes', { count: page.durationMinutes })} · {te(`location.${page.location.type}`)}
            </p>
            <div className={styles.linkRow}>
              {page.published ? (
                <a className={styles.url} href={url} target="_blank" rel="noreferrer" aria-label={t('publicLink', { title: page.title })}>
                  {url.replace(/^https?:\/\//, '')}
                </a>
              ) : (
                <span className={`${styles.url} muted`}>{url.replace(/^https?:\/\//, '')}</span>
              )}
              <div className="row">
                <CopyButton value={url} label={t('copyLink')} />
                <Link className="btn small" href={`/pages/${page.id}`}>
                  {t('edit')}
                </Link>
              </div>
            </div>
            {page.published ? <EmbedPanel appUrl={env().appUrl} pageUrl={url} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
