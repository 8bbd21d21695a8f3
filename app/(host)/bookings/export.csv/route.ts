import { getCurrentHost } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { env } from '@/lib/env';
import { withErrors } from '@/lib/http';
import { csvHeaders } from '@/lib/meetings/csv';
import { exportBookingsCsv, parseExportQuery } from '@/lib/meetings/host';

/** /bookings/export.csv — the signed-in host's bookings as CSV, with the list's filters (scope, attendance, status, q, page, from, to: days in the host's zone). */
export const GET = withErrors(async (request: Request) => {
  const host = await getCurrentHost();
  // Signed out: to the sign-in page, as every host page does.
  if (!host) return Response.redirect(new URL('/login', env().appUrl), 303);
  const { filename, body } = await exportBookingsCsv(await getDb(), host.id, parseExportQuery(new URL(request.url).searchParams, host.timeZone));
  return new Response(body, { headers: csvHeaders(filename) });
});
