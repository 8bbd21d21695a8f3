import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { apiListBookings } from '@/lib/bookings/service';
import { withErrors } from '@/lib/http';

/** Host API v1 (docs/api.md): GET /api/v1/bookings?from&to&status — the token owner's bookings with step status. */
export const GET = withErrors(async (request: Request) => {
  const { userId } = await authenticateApiToken(request);
  const result = await apiListBookings(userId, new URL(request.url).searchParams);
  return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
});
