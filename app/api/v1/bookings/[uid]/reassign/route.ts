import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { BODY_LIMITS, readJson, routeParams, withErrors } from '@/lib/http';
import { apiReassignTeamBooking } from '@/lib/teams/reassign';

/**
 * Host API v1 (docs/api.md): POST /api/v1/bookings/{uid}/reassign {"to": "<member handle>"} — an owner or
 * admin gives a round-robin team booking to another member of its page. 404 for another organisation's
 * booking, 403 for a member, 409 slot_unavailable when that member is not free, 422 {fields: {to}}.
 */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ uid: string }> }) => {
  const { userId } = await authenticateApiToken(request);
  const { uid } = await routeParams(context.params);
  const body = await readJson(request, BODY_LIMITS.hostApi);
  return Response.json(await apiReassignTeamBooking(userId, uid, body), { headers: { 'Cache-Control': 'no-store' } });
});
