import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { apiCancelBookingAsHost } from '@/lib/bookings/service';
import { BODY_LIMITS, readJson, routeParams, withErrors } from '@/lib/http';

/** Host API v1 (docs/api.md): POST /api/v1/bookings/{uid}/cancel {"reason"?}; another host's booking is 404. */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ uid: string }> }) => {
  const { userId } = await authenticateApiToken(request);
  const { uid } = await routeParams(context.params);
  // The body is optional here: an empty one means no reason.
  const body = await readJson(request, BODY_LIMITS.hostApi, { allowEmpty: true });
  return Response.json(await apiCancelBookingAsHost(userId, uid, body), { headers: { 'Cache-Control': 'no-store' } });
});
