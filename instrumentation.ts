/**
 * Next.js server start hook. Installs the peer-address stamp the rate limits rely on, and starts the booking follow-up worker inside the web server process
 * (Node runtime only) unless AKI_WORKER=0; more workers can run as `npm run worker` (Postgres only).
 * NEXT_RUNTIME / NEXT_PHASE are set by Next itself (not app config), so they are read here rather than in lib/env.ts.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Never during `next build` (it must not open the database).
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  // Next.js hands route handlers no socket address: stamp it into every request (lib/client-address.ts).
  const { installPeerStamp } = await import('@/lib/client-address');
  installPeerStamp();
  const { env } = await import('@/lib/env');
  if (!env().inProcessWorker) return;
  const { startWorker } = await import('@/lib/bookings/effects/worker');
  startWorker({ role: 'in-process' });
}
