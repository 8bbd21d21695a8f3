import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { getDb } from '@/lib/db/client';
import { routeParams, withErrors } from '@/lib/http';
import { refreshMeetingForHost } from '@/lib/meetings/host';

/**
 * Host API v1 (docs/api.md): POST /api/v1/bookings/{uid}/refresh-meeting → 202 {"ok":true} (a REST read
 * of the Zoom meeting is queued); 409 no_meeting when the booking has no Zoom meeting; 404 for another
 * host's or an unknown booking.
 */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ uid: string }> }) => {
  const { userId } = await authenticateApiToken(request);
  const { uid } = await routeParams(context.params);
  const outcome = await refreshMeetingForHost(await getDb(), userId, uid);
  if (outcome === 'no_meeting') {
    return Response.json({ error: { code: 'no_meeting', message: 'This booking has no Zoom meeting' } }, { status: 409, headers: { 'Cache-Control': 'no-store' } });
  }
  return Response.json({ ok: true }, { status: 202, headers: { 'Cache-Control': 'no-store' } });
});
