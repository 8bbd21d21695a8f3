import { apiCreateBooking } from '@/lib/bookings/service';
import { clientIp, readJson, routeParams, withErrors } from '@/lib/http';

/**
 * docs/api.md: POST /api/public/pages/{host}/{page}/bookings (optional Idempotency-Key header)
 * → 201 {booking}; 409 slot_unavailable; 422 invalid_input {fields}; 429 rate_limited (Retry-After).
 */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ host: string; page: string }> }) => {
  const { host, page } = await routeParams(context.params);
  const result = await apiCreateBooking(host, page, () => readJson(request), {
    idempotencyKey: request.headers.get('idempotency-key'),
    clientKey: clientIp(request),
  });
  return Response.json(result, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});
