import { type NextRequest, NextResponse } from 'next/server';
import { getCurrentHost } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { routeParams, withErrors } from '@/lib/http';
import { clearedOAuthCookie, oauthCookieName } from '@/lib/oauth/flow';
import { integrationsPath } from '@/lib/oauth/outcome';
import { connectorFor } from '../connectors';

export const dynamic = 'force-dynamic';

/** The provider's redirect after Allow/Deny (APP_URL/api/integrations/<provider>/callback); every outcome lands on the settings page. */
export const GET = withErrors(async (request: NextRequest, context: { params: Promise<{ provider: string }> }) => {
  const connector = connectorFor((await routeParams(context.params)).provider);
  const appUrl = env().appUrl;
  const host = await getCurrentHost();
  if (!host) return NextResponse.redirect(`${appUrl}/login`, 303);
  const outcome = await connector
    .finish({ hostId: host.id, params: request.nextUrl.searchParams, cookie: request.cookies.get(oauthCookieName(connector.id))?.value })
    .catch((error: unknown) => {
      console.error(`[${connector.id}] connect failed`, error);
      return 'error' as const;
    });
  if (outcome === 'connected') await connector.wake(host.id).catch((error) => console.error(`[${connector.id}] could not resume waiting steps`, error));
  const response = NextResponse.redirect(`${appUrl}${integrationsPath(connector.id, outcome)}`, 303);
  // Single use: whatever happened, the state/PKCE cookie is gone.
  response.cookies.set(clearedOAuthCookie(connector.id));
  response.headers.set('cache-control', 'no-store');
  return response;
});
