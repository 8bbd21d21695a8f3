/**
 * Next.js server start hook. Starts the booking follow-up worker inside the web server process
 * (Node runtime only) unless AKI_WORKER=0; more workers can run as `npm run worker` (Postgres only).
 * NEXT_RUNTIME / NEXT_PHASE are set by Next itself (not app config), so they are read here rather than in lib/env.ts.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Never during `next build` (it must not open the database).
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { env } = await import('@/lib/env');
  if (!env().inProcessWorker) return;
  const { startWorker } = await import('@/lib/bookings/effects/worker');
  startWorker({ role: 'in-process' });
}
