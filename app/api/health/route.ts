import { checkDatabase } from '@/lib/db/health';

export const dynamic = 'force-dynamic';

/** DESIGN §3.1: 200 {"ok":true,"database":"postgres"|"pglite"}, 503 when the database is unreachable. */
export async function GET() {
  const result = await checkDatabase();
  return Response.json(result.ok ? { ok: true, database: result.kind } : { ok: false, database: result.kind, error: 'database_unreachable' }, {
    status: result.ok ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
