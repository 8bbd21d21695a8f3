import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { apiCreatePage, apiListPages } from '@/lib/booking-pages/service';
import { BODY_LIMITS, readJson, withErrors } from '@/lib/http';

/** Host API v1 (docs/api.md): the token owner's booking pages. */
export const GET = withErrors(async (request: Request) => {
  const { userId } = await authenticateApiToken(request);
  return Response.json(await apiListPages(userId), { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = withErrors(async (request: Request) => {
  const { userId } = await authenticateApiToken(request);
  const page = await apiCreatePage(userId, await readJson(request, BODY_LIMITS.hostApi));
  return Response.json({ bookingPage: page }, { status: 201, headers: { Location: `/api/v1/booking-pages/${page.id}` } });
});
