import { getTranslations } from 'next-intl/server';
import { getDb } from '@/lib/db/client';
import { attendanceRateSince } from '@/lib/meetings/queries';

/**
 * The dashboard's attendance rate over the last 30 days: attended ÷ bookings with a final verdict (the
 * host's correction wins) among the confirmed bookings that ended in that window; "—" with a hint when none.
 */
export async function AttendanceRate({ userId }: { userId: string }) {
  const [t, rate] = await Promise.all([getTranslations('meetings.dashboard'), attendanceRateSince(await getDb(), userId)]);
  return (
    <section className="card stack" style={{ gap: 6 }} data-testid="attendance-rate">
      <h2 style={{ margin: 0 }}>{t('rateTitle')}</h2>
      {rate.rate === null ? (
        <>
          <div style={{ fontSize: '1.8rem', fontWeight: 700 }} data-testid="attendance-rate-value">
            {t('rateNone')}
          </div>
          <p className="small muted" style={{ margin: 0 }}>
            {t('rateNoneHint')}
          </p>
        </>
      ) : (
        <>
          <div style={{ fontSize: '1.8rem', fontWeight: 700 }} data-testid="attendance-rate-value">
            {t('rate', { percent: Math.round(rate.rate * 100) })}
          </div>
          <p className="small muted" style={{ margin: 0 }}>
            {t('rateDetail', { attended: rate.attended, decided: rate.decided })}
          </p>
        </>
      )}
    </section>
  );
}
