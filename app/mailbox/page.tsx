import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { PublicHeader } from '@/components/ui/public-header';
import { env } from '@/lib/env';
import { readOutbox } from '@/lib/mail/transport';

export const dynamic = 'force-dynamic';

/** Demo mode's mailbox: every mail Aki would have sent. */
export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  if (!env().demo) notFound();
  const { to } = await searchParams;
  const t = await getTranslations('common.mailbox');
  const locale = await getLocale();
  const entries = (await readOutbox()).filter((entry) => !to || entry.to.toLowerCase().includes(to.toLowerCase()));
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <>
      <PublicHeader />
      <main className="container stack">
        <h1 className="page-title">{t('title')}</h1>
        <p className="muted">{t('intro')}</p>
        <section className="card">
          {entries.length === 0 ? (
            <p className="empty">{t('empty')}</p>
          ) : (
            <ul className="list" data-testid="mailbox-list">
              {entries.map((entry) => (
                <li key={entry.id} className="row-between">
                  <div style={{ minWidth: 0 }}>
                    <Link href={`/mailbox/${entry.id}`} style={{ fontWeight: 600 }} data-testid="mail-subject">
                      {entry.subject}
                    </Link>
                    <div className="muted small">
                      {t('to')}: <span data-testid="mail-to">{entry.to}</span>
                      {entry.attachments.length > 0 ? ` · 📎 ${entry.attachments.map((a) => a.filename).join(', ')}` : ''}
                    </div>
                  </div>
                  <time className="muted small" dateTime={entry.createdAt}>
                    {format.format(new Date(entry.createdAt))}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </>
  );
}
