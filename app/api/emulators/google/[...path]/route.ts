import { invalidateAllBusyCaches } from '@/lib/calendar/busy-cache';
import { env } from '@/lib/env';

/**
 * The Google emulator inside the app, only in demo mode (404 otherwise). Loaded with import() after
 * the demo check, so a production server never evaluates emulator code unless demo is on.
 */
export const dynamic = 'force-dynamic';

async function handle(request: Request): Promise<Response> {
  if (!env().demo) return new Response('Not Found', { status: 404 });
  const { getAppGoogleEmulator } = await import('@/lib/emulators/google/instance');
  const response = await getAppGoogleEmulator().handle(request);
  // An event added (or a reset) through the control API is busy time at once, not after the 45 s cache.
  if (request.method !== 'GET' && new URL(request.url).pathname.includes('/__control/')) invalidateAllBusyCaches();
  return response;
}

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
