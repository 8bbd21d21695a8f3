import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { apiDeleteSchedule, apiGetSchedule, apiPatchSchedule } from '@/lib/booking-pages/service';
import { BODY_LIMITS, readJson, routeParams, withErrors } from '@/lib/http';

/** Host API v1 (docs/api.md): one availability schedule of the token owner; another host's id answers 404. */
type Context = { params: Promise<{ id: string }> };

export const GET = withErrors(async (request: Request, { params }: Context) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  return Response.json({ schedule: await apiGetSchedule(userId, id) }, { headers: { 'Cache-Control': 'no-store' } });
});

export const PATCH = withErrors(async (request: Request, { params }: Context) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  return Response.json({ schedule: await apiPatchSchedule(userId, id, () => readJson(request, BODY_LIMITS.hostApi)) });
});

export const DELETE = withErrors(async (request: Request, { params }: Context) => {
  const { userId } = await authenticateApiToken(request);
  const { id } = await routeParams(params);
  await apiDeleteSchedule(userId, id);
  return new Response(null, { status: 204 });
});
