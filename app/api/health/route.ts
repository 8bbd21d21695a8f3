import { healthReport } from '@/lib/bookings/queries';
import { withErrors } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** 200 {"ok":true,"database","worker":{…},"degraded":[…]}; 503 when the database is unreachable (README "Health check"). */
export const GET = withErrors(async () => {
  const { status, body } = await healthReport();
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
});
