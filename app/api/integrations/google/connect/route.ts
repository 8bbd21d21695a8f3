import { NextResponse } from 'next/server';
import { getCurrentHost } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { beginGoogleConnect, GOOGLE_SETTINGS_PATH, GoogleConnectError } from '@/lib/calendar/google/service';

/** Settings → Connect Google Calendar: sends the signed-in host to Google's consent screen. */
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const appUrl = env().appUrl;
  const host = await getCurrentHost();
  if (!host) return NextResponse.redirect(`${appUrl}/login`, 303);
  try {
    const { authorizeUrl, cookie } = await beginGoogleConnect(host.id);
    const response = NextResponse.redirect(authorizeUrl, 303);
    response.cookies.set(cookie);
    return response;
  } catch (error) {
    const outcome = error instanceof GoogleConnectError ? error.outcome : 'error';
    if (!(error instanceof GoogleConnectError)) console.error('[google] connect failed', error);
    return NextResponse.redirect(`${appUrl}${GOOGLE_SETTINGS_PATH}?google=${outcome}`, 303);
  }
}
