import { clientIp, readJson, routeParams, withErrors } from '@/lib/http';
import { apiCreateTeamBooking } from '@/lib/teams/booking';

/**
 * POST /api/public/teams/{org}/{page}/bookings (optional Idempotency-Key header) → 201 {booking} with
 * `hosts` (the assigned member; every member of a collective page); 409 slot_unavailable when nobody
 * (round-robin) or not everybody (collective) is free; 422 invalid_input {fields}; 429 rate_limited.
 */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ org: string; page: string }> }) => {
  const { org, page } = await routeParams(context.params);
  const result = await apiCreateTeamBooking(org, page, () => readJson(request), {
    idempotencyKey: request.headers.get('idempotency-key'),
    clientKey: clientIp(request),
  });
  return Response.json(result, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});
