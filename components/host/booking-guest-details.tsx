import type { HostBookingView } from '@/lib/bookings/types';

/** The guest's answers to the page's questions, as a compact definition list (bookings list and booking page). */
export function GuestAnswers({ answers }: { answers: HostBookingView['answers'] }) {
  if (answers.length === 0) return null;
  return (
    <dl className="small" style={{ margin: 0, display: 'grid', gridTemplateColumns: 'minmax(0, max-content) 1fr', gap: '2px 12px' }}>
      {answers.map((a) => (
        <div key={a.id} style={{ display: 'contents' }}>
          <dt className="muted" style={{ overflowWrap: 'anywhere' }}>
            {a.label}
          </dt>
          <dd style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{a.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Who cancelled, and why (only for a cancelled booking). `byHost`/`byGuest` are the translated phrases. */
export function CancelledBy({ booking, byHost, byGuest }: { booking: Pick<HostBookingView, 'status' | 'cancelledBy' | 'cancelReason'>; byHost: string; byGuest: string }) {
  if (booking.status !== 'cancelled') return null;
  return (
    <p className="small muted" style={{ margin: 0 }}>
      {booking.cancelledBy === 'host' ? byHost : byGuest}
      {booking.cancelReason ? ` — ${booking.cancelReason}` : ''}
    </p>
  );
}
