import { NextResponse } from 'next/server';
import { getCurrentHost } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { integrationsUrl, startZoomLink } from '@/lib/zoom/service';

export const dynamic = 'force-dynamic';

/** Settings → Integrations → Connect Zoom: seal state + PKCE into a short-lived cookie and go to Zoom. */
export async function GET(): Promise<Response> {
  const host = await getCurrentHost();
  if (!host) return NextResponse.redirect(`${env().appUrl}/login`);
  const start = startZoomLink(host.id);
  if (!start.ok) return NextResponse.redirect(integrationsUrl(start.outcome));
  const response = NextResponse.redirect(start.authorizeUrl);
  response.cookies.set(start.cookie.name, start.cookie.value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: start.cookie.secure,
    path: start.cookie.path,
    maxAge: start.cookie.maxAge,
  });
  response.headers.set('cache-control', 'no-store');
  return response;
}
