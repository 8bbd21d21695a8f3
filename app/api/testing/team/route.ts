import { env } from '@/lib/env';

/**
 * e2e only: an organisation with a public slug and team pages for existing hosts (see
 * lib/testing/e2e-team.ts). Absent unless demo mode is on, and even then it needs a request signed
 * with AUTH_SECRET; the code is loaded only after the demo check.
 */
export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  if (!env().demo) return new Response('Not found', { status: 404 });
  const { createTestTeam } = await import('@/lib/testing/e2e-team');
  return createTestTeam(request);
}
