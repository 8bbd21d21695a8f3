import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { routeParams, withErrors } from '@/lib/http';
import { apiSendTestEvent } from '@/lib/webhooks/service';

/** Host API v1: POST /api/v1/webhooks/{id}/test → 202 {"deliveryId"}: a `webhook.test` delivery is queued. */
export const POST = withErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  return Response.json(await apiSendTestEvent(userId, id), { status: 202 });
});
