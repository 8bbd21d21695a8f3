import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { BODY_LIMITS, readJson, withErrors } from '@/lib/http';
import { apiCreateWebhook, apiListWebhooks } from '@/lib/webhooks/service';

/** Host API v1 (docs/api.md "Webhooks"): the token owner's webhook subscriptions. */
export const GET = withErrors(async (request: Request) => {
  const { userId } = await authenticateApiToken(request);
  return Response.json(await apiListWebhooks(userId), { headers: { 'Cache-Control': 'no-store' } });
});

/** The answer carries the signing secret: the only time besides roll-secret. */
export const POST = withErrors(async (request: Request) => {
  const { userId } = await authenticateApiToken(request);
  const webhook = await apiCreateWebhook(userId, await readJson(request, BODY_LIMITS.hostApi));
  return Response.json({ webhook }, { status: 201, headers: { Location: `/api/v1/webhooks/${webhook.id}`, 'Cache-Control': 'no-store' } });
});
