import { authenticateApiToken } from '@/lib/api-tokens/mutations';
import { apiListBookings } from '@/lib/bookings/service';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { withErrors } from '@/lib/http';
import { csvHeaders } from '@/lib/meetings/csv';
import { exportBookingsCsv, parseExportQuery } from '@/lib/meetings/host';

/**
 * Host API v1 (docs/api.md): GET /api/v1/bookings?from&to&status — the token owner's bookings with step
 * status; `format=csv` answers the CSV export instead (also `scope`, `attendance=no_show`).
 */
export const GET = withErrors(async (request: Request) => {
  const { userId } = await authenticateApiToken(request);
  const query = new URL(request.url).searchParams;
  const format = query.get('format');
  if (format === 'csv') {
    const { filename, body } = await exportBookingsCsv(await getDb(), userId, parseExportQuery(query));
    return new Response(body, { headers: csvHeaders(filename) });
  }
  if (format !== null && format !== 'json') throw new AppError('invalid_input', 'Unknown format', { fields: { format: 'format' } });
  const result = await apiListBookings(userId, query);
  return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
});
