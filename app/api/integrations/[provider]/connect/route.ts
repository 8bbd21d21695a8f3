import { NextResponse } from 'next/server';
import { getCurrentHost } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { routeParams, withErrors } from '@/lib/http';
import { integrationsPath } from '@/lib/oauth/outcome';
import { connectorFor } from '../connectors';

export const dynamic = 'force-dynamic';

/** Settings → Integrations → Connect: seal state + PKCE into a short-lived cookie and go to the provider's consent page. */
export const GET = withErrors(async (_request: Request, context: { params: Promise<{ provider: string }> }) => {
  const connector = connectorFor((await routeParams(context.params)).provider);
  const appUrl = env().appUrl;
  const host = await getCurrentHost();
  if (!host) return NextResponse.redirect(`${appUrl}/login`, 303);
  const start = await connector.begin(host.id);
  const response = NextResponse.redirect(start.ok ? start.authorizeUrl : `${appUrl}${integrationsPath(connector.id, start.outcome)}`, 303);
  if (start.ok) response.cookies.set(start.cookie);
  response.headers.set('cache-control', 'no-store');
  return response;
});
