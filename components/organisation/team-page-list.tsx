import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import styles from './team-pages.module.css';

export type TeamPageRow = {
  id: string;
  title: string;
  slug: string;
  kind: 'round_robin' | 'collective';
  published: boolean;
  /** The members' names (or e-mail addresses), in the page's order. */
  members: string[];
};

/**
 * The organisation's team pages on the organisation page: title, kind, members and the public link
 * (once the organisation has its address). Owners and admins get "New team page" and "Edit"; members
 * read the list.
 */
export async function TeamPageList({ pages, orgSlug, appUrl, manager }: { pages: TeamPageRow[]; orgSlug: string | null; appUrl: string; manager: boolean }) {
  const t = await getTranslations('organisation.teams');
  return (
    <div className="stack" data-testid="team-pages">
      <div className="row-between">
        <h2 style={{ margin: 0 }}>{t('pagesTitle')}</h2>
        {manager ? (
          <Link className="btn primary small" href="/organisation/team-pages/new" data-testid="new-team-page">
            {t('newPage')}
          </Link>
        ) : null}
      </div>
      <p className="muted small" style={{ margin: 0 }}>
        {manager ? t('pagesHint') : t('pagesHintMember')}
      </p>
      {pages.length === 0 ? (
        <p className="muted" style={{ margin: 0 }} data-testid="team-pages-empty">
          {t('none')}
        </p>
      ) : (
        <ul className={styles.list}>
          {pages.map((page) => {
            const url = orgSlug ? `${appUrl}/team/${orgSlug}/${page.slug}` : null;
            return (
              <li key={page.id} className={styles.item} data-testid="team-page-item" data-kind={page.kind}>
                <div className={styles.itemMain}>
                  <div className="row" style={{ gap: 6 }}>
                    <span className={styles.itemTitle}>{page.title}</span>
                    <span className="badge" data-testid="team-page-kind">
                      {t(`kinds.${page.kind}`)}
                    </span>
                    {page.published ? null : <span className="badge">{t('unpublished')}</span>}
                  </div>
                  <span className={`muted small ${styles.itemMembers}`} data-testid="team-page-members">
                    {t('memberList', { count: page.members.length, names: page.members.join(t('nameSeparator')) })}
                  </span>
                  {url && page.published ? (
                    <a className={styles.link} href={url} target="_blank" rel="noreferrer" data-testid="team-page-link">
                      {url}
                    </a>
                  ) : url ? null : (
                    <span className="muted small">{t('linkNeedsAddress')}</span>
                  )}
                </div>
                {manager ? (
                  <Link className="btn small" href={`/organisation/team-pages/${page.id}`} data-testid="edit-team-page">
                    {t('edit')}
                  </Link>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
