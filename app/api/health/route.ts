import { healthReport } from '@/lib/bookings/queries';

export const dynamic = 'force-dynamic';

/** 200 {"ok":true,"database","worker":{…},"degraded":[…]}; 503 when the database is unreachable (README "Health check"). */
export async function GET() {
  const { status, body } = await healthReport();
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}
