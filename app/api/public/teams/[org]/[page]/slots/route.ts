import { slotsResponse } from '@/lib/bookings/slots';
import { routeParams, withErrors } from '@/lib/http';
import { loadTeamSlots } from '@/lib/teams/slots';

/**
 * GET /api/public/teams/{org}/{page}/slots?from=YYYY-MM-DD&to=YYYY-MM-DD&timeZone=IANA — the personal
 * endpoint's query, answer and caching (slotsResponse) for a team page (README: Team pages). `&reschedule=<uid>`
 * with the manage token in `X-Manage-Token`: the times that booking can move to (never stored by a shared cache).
 */
export const GET = withErrors(async (request: Request, context: { params: Promise<{ org: string; page: string }> }) => {
  const { org, page } = await routeParams(context.params);
  const query = new URL(request.url).searchParams;
  const rescheduleUid = query.get('reschedule');
  const reschedule = rescheduleUid ? { uid: rescheduleUid, token: request.headers.get('x-manage-token') ?? '' } : null;
  const result = await loadTeamSlots({
    orgSlug: org,
    slug: page,
    from: query.get('from'),
    to: query.get('to'),
    timeZone: query.get('timeZone'),
    now: new Date(),
    reschedule,
  });
  return slotsResponse(result, { reschedule: reschedule !== null });
});
