import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { AppError } from '@/lib/errors';
import { routeParams, withErrors } from '@/lib/http';
import { apiRedeliver, deliveryIdFrom } from '@/lib/webhooks/service';

/** Host API v1: POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver → 202 {"deliveryId"} (same webhook-id and payload). */
export const POST = withErrors(async (request: Request, { params }: { params: Promise<{ id: string; deliveryId: string }> }) => {
  const { userId } = await authenticateApiToken(request);
  const { id, deliveryId } = await routeParams(params);
  const delivery = deliveryIdFrom(deliveryId);
  if (delivery === null) throw new AppError('not_found', `Delivery ${deliveryId} not found`);
  return Response.json(await apiRedeliver(userId, id, delivery), { status: 202 });
});
