import { env } from '@/lib/env';

/**
 * The Zoom emulator, mounted only in demo mode (never reachable in production unless AKI_DEMO=1).
 * Loaded with import() after the demo check, so a production server never evaluates emulator code
 * unless demo is on.
 */
export const dynamic = 'force-dynamic';

async function handle(request: Request): Promise<Response> {
  if (!env().demo) return new Response('Not found', { status: 404 });
  const { getAppZoomEmulator } = await import('@/lib/emulators/zoom/instance');
  return getAppZoomEmulator().handle(request);
}

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST };
