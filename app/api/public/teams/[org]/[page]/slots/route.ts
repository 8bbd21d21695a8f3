import { routeParams, withErrors } from '@/lib/http';
import { loadTeamSlots } from '@/lib/teams/slots';

/**
 * GET /api/public/teams/{org}/{page}/slots?from=YYYY-MM-DD&to=YYYY-MM-DD&timeZone=IANA — the personal
 * endpoint's query and answer for a team page (README: Team pages). Cached like it.
 */
const CACHE_CONTROL = 'public, max-age=0, s-maxage=5, stale-while-revalidate=5';

export const GET = withErrors(async (request: Request, context: { params: Promise<{ org: string; page: string }> }) => {
  const { org, page } = await routeParams(context.params);
  const query = new URL(request.url).searchParams;
  const result = await loadTeamSlots({ orgSlug: org, slug: page, from: query.get('from'), to: query.get('to'), timeZone: query.get('timeZone'), now: new Date() });
  return new Response(result.json, {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': result.calendarDegraded ? 'private, no-store' : CACHE_CONTROL },
  });
});
