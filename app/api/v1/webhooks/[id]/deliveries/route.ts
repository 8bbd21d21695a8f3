import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { routeParams, withErrors } from '@/lib/http';
import { apiListDeliveries, deliveryPaging } from '@/lib/webhooks/service';

/** Host API v1: GET /api/v1/webhooks/{id}/deliveries?limit&before → {"deliveries":[…],"nextBefore"} (newest first). */
export const GET = withErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  const paging = deliveryPaging(new URL(request.url).searchParams);
  return Response.json(await apiListDeliveries(userId, id, paging), { headers: { 'Cache-Control': 'no-store' } });
});
