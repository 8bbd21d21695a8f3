import { getTranslations } from 'next-intl/server';
import { CopyButton } from '@/components/ui/copy-button';
import styles from './booking-page-list.module.css';

/** The two snippets that put a booking page on another site (public/embed.js), with copy buttons. */
export function embedSnippets(appUrl: string, pageUrl: string, buttonLabel: string) {
  const script = `<script src="${appUrl}/embed.js" async></script>`;
  return {
    inline: `<div data-aki-inline="${pageUrl}"></div>\n${script}`,
    popup: `<button type="button" data-aki-popup="${pageUrl}">${buttonLabel}</button>\n${script}`,
  };
}

/** "Embed on your site" for one booking page: inline frame or popup button. */
export async function EmbedPanel({ appUrl, pageUrl }: { appUrl: string; pageUrl: string }) {
  const t = await getTranslations('pages.embed');
  const snippets = embedSnippets(appUrl, pageUrl, t('buttonText'));
  return (
    <details className={styles.embed} data-testid="embed-panel">
      <summary>{t('summary')}</summary>
      <div className="stack" style={{ gap: 12, marginTop: 8 }}>
        <p className="muted small" style={{ margin: 0 }}>
          {t('intro')}
        </p>
        {(['inline', 'popup'] as const).map((kind) => (
          <div key={kind} className="stack" style={{ gap: 4 }}>
            <div className="row-between">
              <strong className="small">{t(`${kind}.title`)}</strong>
              <CopyButton value={snippets[kind]} label={t('copy')} />
            </div>
            <span className="muted small">{t(`${kind}.body`)}</span>
            <pre className={styles.snippet} data-testid={`embed-snippet-${kind}`}>
              <code>{snippets[kind]}</code>
            </pre>
          </div>
        ))}
      </div>
    </details>
  );
}
