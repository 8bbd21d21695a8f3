import type { BookingQuestion, Location } from '@/lib/booking-pages/schema';
import { EmbedBridge } from '@/components/booking/embed-bridge';
import { PageFacts } from '@/components/booking/page-facts';
import { PublicHeader } from '@/components/ui/public-header';
import styles from './booking.module.css';
import { BookingWidget } from './booking-widget';
import type { SlotsTarget } from './target';

/**
 * The public booking page's frame, shared by a host's page (/{handle}/{slug}) and a team page
 * (/team/{org}/{slug}): page facts beside the booking widget; no header when embedded (public/embed.js).
 */
export function BookingPageShell({
  target,
  hostName,
  hostsLine,
  page,
  embedded,
}: {
  target: SlotsTarget;
  hostName: string;
  /** Team pages: whom the guest may meet. */
  hostsLine?: string;
  page: { title: string; description: string; durationMinutes: number; location: Location; bookingWindowDays: number; questions: BookingQuestion[] };
  embedded: boolean;
}) {
  return (
    <>
      {embedded ? null : <PublicHeader />}
      <EmbedBridge />
      <main className="container">
        <div className={styles.shell}>
          <aside className="card">
            <PageFacts
              hostName={hostName}
              hostsLine={hostsLine}
              title={page.title}
              durationMinutes={page.durationMinutes}
              location={page.location}
              description={page.description}
            />
          </aside>
          <section className="card" aria-label={page.title}>
            <BookingWidget
              target={target}
              durationMinutes={page.durationMinutes}
              bookingWindowDays={page.bookingWindowDays}
              questions={page.questions}
              embedded={embedded}
            />
          </section>
        </div>
      </main>
    </>
  );
}
