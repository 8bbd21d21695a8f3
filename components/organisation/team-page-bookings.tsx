'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { formatRange, type UiLocale } from '@/components/booking/format';
import type { TeamPageBooking } from '@/lib/teams/editor';
import { reassignTeamBookingAction } from '@/lib/teams/actions';
import { failureMessage } from './action-error';

type Member = { id: string; name: string };

/**
 * A team page's upcoming bookings for its admins. On a round-robin page each can be given to another
 * member of the page who is free then: the meeting, the calendar event and the mails follow.
 */
export function TeamPageBookings({
  bookings,
  members,
  roundRobin,
  timeZone,
  locale,
  hour12,
}: {
  bookings: TeamPageBooking[];
  members: Member[];
  roundRobin: boolean;
  timeZone: string;
  locale: UiLocale;
  hour12: boolean;
}) {
  const t = useTranslations('organisation');
  return (
    <section className="card stack" aria-labelledby="team-bookings-title" data-testid="team-page-bookings">
      <h2 id="team-bookings-title" style={{ margin: 0 }}>
        {t('teams.bookings.title')}
      </h2>
      {bookings.length === 0 ? (
        <p className="muted">{t('teams.bookings.empty')}</p>
      ) : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {bookings.map((booking) => (
            <BookingRow key={booking.uid} booking={booking} members={members} roundRobin={roundRobin} when={formatRange(booking.start, booking.end, timeZone, locale, hour12)} />
          ))}
        </ul>
      )}
      {roundRobin ? <p className="muted small">{t('teams.bookings.hint')}</p> : null}
    </section>
  );
}

function BookingRow({ booking, members, roundRobin, when }: { booking: TeamPageBooking; members: Member[]; roundRobin: boolean; when: string }) {
  const t = useTranslations('organisation');
  const router = useRouter();
  const others = members.filter((m) => m.id !== booking.hostId);
  const [to, setTo] = useState(others[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const reassign = () =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await reassignTeamBookingAction(booking.uid, to);
        if (result.ok) {
          router.refresh();
          return;
        }
        setError(result.code === 'slot_unavailable' ? t('teams.bookings.notFree', { name: others.find((m) => m.id === to)?.name ?? '' }) : failureMessage(t, result));
      } catch {
        setError(t('errors.generic'));
      }
    });

  return (
    <li className="stack" style={{ gap: 4, borderTop: '1px solid var(--border)', paddingTop: 8 }} data-testid="team-booking">
      <div>
        <strong>{when}</strong> · {booking.guestName}
      </div>
      <div className="muted small" data-testid="team-booking-host">
        {t('teams.bookings.with', { name: booking.hostName })}
      </div>
      {roundRobin && others.length > 0 ? (
        <form
          className="row"
          style={{ alignItems: 'flex-end', flexWrap: 'wrap' }}
          onSubmit={(event) => {
            event.preventDefault();
            reassign();
          }}
        >
          <label className="field" style={{ minWidth: 0 }}>
            <span>{t('teams.bookings.giveTo')}</span>
            <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="reassign-to">
              {others.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn" disabled={pending || !to} data-testid="reassign">
            {pending ? t('teams.bookings.reassigning') : t('teams.bookings.reassign')}
          </button>
        </form>
      ) : null}
      {error ? (
        <p className="notice error" role="alert" data-testid="reassign-error">
          {error}
        </p>
      ) : null}
    </li>
  );
}
