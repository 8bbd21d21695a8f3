import { apiRescheduleBookingAsGuest } from '@/lib/bookings/service';
import { clientIp, readJson, routeParams, withErrors } from '@/lib/http';

/** docs/api.md: POST /api/public/bookings/{uid}/reschedule {"token","start"} → 200 {booking}; 409 slot_unavailable. */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ uid: string }> }) => {
  const { uid } = await routeParams(context.params);
  const result = await apiRescheduleBookingAsGuest(uid, () => readJson(request), clientIp(request));
  return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
});
