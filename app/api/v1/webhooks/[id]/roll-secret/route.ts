import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { routeParams, withErrors } from '@/lib/http';
import { apiRollWebhookSecret } from '@/lib/webhooks/service';

/** Host API v1: POST /api/v1/webhooks/{id}/roll-secret → {"secret":"whsec_…"}; the old secret stops verifying at once. */
export const POST = withErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  return Response.json(await apiRollWebhookSecret(userId, id), { headers: { 'Cache-Control': 'no-store' } });
});
