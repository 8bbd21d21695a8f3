import { type NextRequest, NextResponse } from 'next/server';
import { getCurrentHost } from '@/lib/auth/session';
import { wakeZoomSteps } from '@/lib/bookings/service';
import { env } from '@/lib/env';
import { finishZoomLink, integrationsUrl, ZOOM_OAUTH_COOKIE, ZOOM_OAUTH_COOKIE_PATH } from '@/lib/zoom/service';

export const dynamic = 'force-dynamic';

/** Zoom redirects here after Allow/Deny. Every outcome lands on the integrations page with ?zoom=… */
export async function GET(request: NextRequest): Promise<Response> {
  const host = await getCurrentHost();
  if (!host) return NextResponse.redirect(`${env().appUrl}/login`);
  const outcome = await finishZoomLink({
    hostId: host.id,
    params: request.nextUrl.searchParams,
    cookie: request.cookies.get(ZOOM_OAUTH_COOKIE)?.value,
  });
  // Bookings made while Zoom was unlinked get their meetings now, not at the next slow retry.
  if (outcome === 'connected') await wakeZoomSteps(host.id).catch((error) => console.error('[zoom] could not resume waiting steps', error));
  const response = NextResponse.redirect(integrationsUrl(outcome));
  // Single use: whatever happened, the state/PKCE cookie is gone.
  response.cookies.set(ZOOM_OAUTH_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: ZOOM_OAUTH_COOKIE_PATH, maxAge: 0 });
  response.headers.set('cache-control', 'no-store');
  return response;
}
