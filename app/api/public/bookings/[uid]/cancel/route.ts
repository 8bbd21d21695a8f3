import { apiCancelBookingAsGuest } from '@/lib/bookings/service';
import { clientIp, readJson, routeParams, withErrors } from '@/lib/http';

/** docs/api.md: POST /api/public/bookings/{uid}/cancel {"token","reason"?} — the token of the manageUrl. */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ uid: string }> }) => {
  const { uid } = await routeParams(context.params);
  const result = await apiCancelBookingAsGuest(uid, () => readJson(request), clientIp(request));
  return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
});
