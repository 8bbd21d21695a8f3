import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { BODY_LIMITS, readJson, routeParams, withErrors } from '@/lib/http';
import { apiDeleteWebhook, apiGetWebhook, apiUpdateWebhook } from '@/lib/webhooks/service';

/** Host API v1 (docs/api.md "Webhooks"): one subscription of the token owner; another host's id answers 404. */
type Context = { params: Promise<{ id: string }> };

export const GET = withErrors(async (request: Request, { params }: Context) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  return Response.json({ webhook: await apiGetWebhook(userId, id) }, { headers: { 'Cache-Control': 'no-store' } });
});

export const PATCH = withErrors(async (request: Request, { params }: Context) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  const body = await readJson(request, BODY_LIMITS.hostApi);
  return Response.json({ webhook: await apiUpdateWebhook(userId, id, body) });
});

export const DELETE = withErrors(async (request: Request, { params }: Context) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  await apiDeleteWebhook(userId, id);
  return new Response(null, { status: 204 });
});
