import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { Fragment } from 'react';
import { PublicHeader } from '@/components/ui/public-header';
import { env } from '@/lib/env';
import { readOutbox } from '@/lib/mail/transport';

export const dynamic = 'force-dynamic';

/** Plain text with its URLs as links (React escapes the rest). */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <>
      {parts.map((part, index) =>
        /^https?:\/\//.test(part) ? (
          <a key={index} href={part} data-testid="mail-link">
            {part}
          </a>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export default async function MailPage({ params }: { params: Promise<{ id: string }> }) {
  if (!env().demo) notFound();
  const { id } = await params;
  const entry = (await readOutbox()).find((candidate) => candidate.id === id);
  if (!entry) notFound();
  const t = await getTranslations('common.mailbox');
  const locale = await getLocale();
  // Links in the rendered mail open in a new tab; the frame runs no scripts.
  const srcDoc = `<base target="_blank"><meta charset="utf-8"><style>body{font-family:system-ui,sans-serif;margin:16px}</style>${entry.html}`;
  return (
    <>
      <PublicHeader />
      <main className="container stack">
        <Link href="/mailbox">← {t('title')}</Link>
        <section className="card stack">
          <h1 style={{ fontSize: '1.25rem' }} data-testid="mail-title">
            {entry.subject}
          </h1>
          <div className="muted small">
            <div>
              {t('from')}: {entry.from}
            </div>
            <div>
              {t('to')}: {entry.to}
            </div>
            <div>
              {t('date')}: {new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'long' }).format(new Date(entry.createdAt))}
            </div>
            {entry.attachments.length > 0 ? (
              <div>
                {t('attachments')}: {entry.attachments.map((a) => `${a.filename} (${a.contentType})`).join(', ')}
              </div>
            ) : null}
          </div>
          <a className="btn small" style={{ alignSelf: 'flex-start' }} href={`/api/mailbox/${entry.id}`}>
            {t('raw')}
          </a>
          <h2 style={{ fontSize: '1rem' }}>{t('textView')}</h2>
          <div className="mail-text" data-testid="mail-text">
            <Linkified text={entry.text} />
          </div>
          <h2 style={{ fontSize: '1rem' }}>{t('htmlView')}</h2>
          <iframe title={entry.subject} className="mail-frame" sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={srcDoc} />
        </section>
      </main>
    </>
  );
}
