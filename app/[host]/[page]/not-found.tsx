import { getTranslations } from 'next-intl/server';
import { CalendarIcon } from '@/components/booking/icons';
import { PublicHeader } from '@/components/ui/public-header';

/** Unknown host, unknown page or an unpublished page: one friendly answer (no hint which one). */
export default async function BookingPageNotFound() {
  const t = await getTranslations('booking.notFound');
  return (
    <>
      <PublicHeader />
      <main className="container">
        <section className="card narrow stack" style={{ textAlign: 'center', marginTop: 32 }} data-testid="booking-not-found">
          <p className="muted" style={{ margin: 0 }}>
            <CalendarIcon width={36} height={36} />
          </p>
          <h1 className="page-title" style={{ marginBottom: 0 }}>
            {t('title')}
          </h1>
          <p className="muted">{t('body')}</p>
        </section>
      </main>
    </>
  );
}
