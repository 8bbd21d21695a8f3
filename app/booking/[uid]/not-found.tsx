import { getTranslations } from 'next-intl/server';
import { LockIcon } from '@/components/booking/icons';
import { PublicHeader } from '@/components/ui/public-header';

/** The manage link is wrong, expired or the booking is unknown: HTTP 404 with a card that says so (no hint which bookings exist). */
export default async function ManageLinkInvalid() {
  const t = await getTranslations('booking.manage');
  return (
    <>
      <PublicHeader />
      <main className="container">
        <section className="card narrow stack" style={{ textAlign: 'center', marginTop: 32 }} data-testid="manage-invalid">
          <p className="muted" style={{ margin: 0 }}>
            <LockIcon width={36} height={36} />
          </p>
          <h1 className="page-title" style={{ marginBottom: 0 }}>
            {t('invalidTitle')}
          </h1>
          <p className="muted">{t('invalidBody')}</p>
        </section>
      </main>
    </>
  );
}
