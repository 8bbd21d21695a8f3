import { slotsQuery, slotsResponse } from '@/lib/bookings/slots';
import { routeParams, withErrors } from '@/lib/http';
import { loadTeamSlots } from '@/lib/teams/slots';

/**
 * GET /api/public/teams/{org}/{page}/slots?from=YYYY-MM-DD&to=YYYY-MM-DD&timeZone=IANA — the personal
 * endpoint's query, answer and caching (slotsResponse) for a team page (README: Team pages). `&reschedule=<uid>`
 * with the manage token in `X-Manage-Token`: the times that booking can move to (never stored by a shared cache).
 */
export const GET = withErrors(async (request: Request, context: { params: Promise<{ org: string; page: string }> }) => {
  const { org, page } = await routeParams(context.params);
  const query = slotsQuery(request);
  return slotsResponse(await loadTeamSlots({ orgSlug: org, slug: page, ...query }), { reschedule: query.reschedule !== null });
});
