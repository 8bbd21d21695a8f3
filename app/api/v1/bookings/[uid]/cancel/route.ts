import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { apiCancelBookingAsHost } from '@/lib/bookings/service';
import { withErrors } from '@/lib/http';

/** Host API v1 (DESIGN §3.3): POST /api/v1/bookings/{uid}/cancel {"reason"?}; another host's booking is 404. */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ uid: string }> }) => {
  const { userId } = await authenticateApiToken(request);
  const { uid } = await context.params;
  const text = await request.text();
  let body: unknown = null;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      return Response.json({ error: { code: 'invalid_input', message: 'Body must be valid JSON', fields: { _: 'invalid_json' } } }, { status: 422 });
    }
  }
  return Response.json(await apiCancelBookingAsHost(userId, uid, body), { headers: { 'Cache-Control': 'no-store' } });
});
