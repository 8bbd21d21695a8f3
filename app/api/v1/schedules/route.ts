import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { apiCreateSchedule, apiListSchedules } from '@/lib/booking-pages/service';
import { BODY_LIMITS, readJson, withErrors } from '@/lib/http';

/** Host API v1 (docs/api.md): the token owner's availability schedules. */
export const GET = withErrors(async (request: Request) => {
  const { userId } = await authenticateApiToken(request);
  return Response.json(await apiListSchedules(userId), { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = withErrors(async (request: Request) => {
  const { userId } = await authenticateApiToken(request);
  const schedule = await apiCreateSchedule(userId, await readJson(request, BODY_LIMITS.hostApi));
  return Response.json({ schedule }, { status: 201, headers: { Location: `/api/v1/schedules/${schedule.id}` } });
});
