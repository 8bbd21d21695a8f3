import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { apiDeletePage, apiGetPage, apiPatchPage } from '@/lib/booking-pages/service';
import { BODY_LIMITS, readJson, routeParams, withErrors } from '@/lib/http';

/** Host API v1 (docs/api.md): one booking page of the token owner; another host's id answers 404. */
type Context = { params: Promise<{ id: string }> };

export const GET = withErrors(async (request: Request, { params }: Context) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  return Response.json({ bookingPage: await apiGetPage(userId, id) }, { headers: { 'Cache-Control': 'no-store' } });
});

export const PATCH = withErrors(async (request: Request, { params }: Context) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  return Response.json({ bookingPage: await apiPatchPage(userId, id, () => readJson(request, BODY_LIMITS.hostApi)) });
});

export const DELETE = withErrors(async (request: Request, { params }: Context) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  await apiDeletePage(userId, id);
  return new Response(null, { status: 204 });
});
