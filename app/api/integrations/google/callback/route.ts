import { type NextRequest, NextResponse } from 'next/server';
import { getCurrentHost } from '@/lib/auth/session';
import { wakeCalendarSteps } from '@/lib/bookings/service';
import { env } from '@/lib/env';
import { finishGoogleConnect, GOOGLE_CONNECT_COOKIE, GOOGLE_CONNECT_COOKIE_PATH, GOOGLE_SETTINGS_PATH, GoogleConnectError } from '@/lib/calendar/google/service';

/** Google's redirect after consent (APP_URL/api/integrations/google/callback). */
export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  const appUrl = env().appUrl;
  const host = await getCurrentHost();
  if (!host) return NextResponse.redirect(`${appUrl}/login`, 303);
  const params = request.nextUrl.searchParams;
  let outcome: string = 'connected';
  try {
    await finishGoogleConnect(host.id, {
      cookie: request.cookies.get(GOOGLE_CONNECT_COOKIE)?.value,
      state: params.get('state'),
      code: params.get('code'),
      error: params.get('error'),
    });
  } catch (error) {
    if (error instanceof GoogleConnectError) {
      outcome = error.outcome;
      if (outcome === 'error' || outcome === 'unreachable') {
        const cause = error.cause instanceof Error ? error.cause.message : '';
        console.warn('[google] connect failed:', error.message, cause);
      }
    } else {
      console.error('[google] connect failed', error);
      outcome = 'error';
    }
  }
  // Calendar writes that waited for a reconnect run now.
  if (outcome === 'connected') await wakeCalendarSteps(host.id).catch((error) => console.error('[google] could not resume waiting steps', error));
  const response = NextResponse.redirect(`${appUrl}${GOOGLE_SETTINGS_PATH}?google=${outcome}`, 303);
  response.cookies.set({ name: GOOGLE_CONNECT_COOKIE, value: '', path: GOOGLE_CONNECT_COOKIE_PATH, maxAge: 0 });
  return response;
}
