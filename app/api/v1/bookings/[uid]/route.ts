import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { apiGetBooking } from '@/lib/bookings/service';
import { getDb } from '@/lib/db/client';
import { routeParams, withErrors } from '@/lib/http';
import { getBookingMeetingDetail } from '@/lib/meetings/queries';
import { apiBookingDetail } from '@/lib/meetings/view';

/**
 * Host API v1 (docs/api.md): GET /api/v1/bookings/{uid} → {"booking":{…the list item…, "meeting",
 * "attendance", "recordings"}}; another host's or an unknown booking is 404.
 */
export const GET = withErrors(async (request: Request, context: { params: Promise<{ uid: string }> }) => {
  const { userId } = await authenticateApiToken(request);
  const { uid } = await routeParams(context.params);
  // Ownership first (not_found for another host's), then the list item of exactly this booking.
  const page = await getBookingMeetingDetail(await getDb(), userId, uid);
  const item = await apiGetBooking(userId, uid);
  return Response.json({ booking: apiBookingDetail(item, page.detail) }, { headers: { 'Cache-Control': 'no-store' } });
});
