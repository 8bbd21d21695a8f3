import { getBookingIcs } from '@/lib/bookings/service';
import { pathSegment } from '@/lib/text-input';

type Params = Promise<{ host: string; page: string; uid: string }>;

/** The confirmation page's .ics download (METHOD:PUBLISH; the pipeline builds it), ?token= as the page: 404 without it. */
export async function GET(request: Request, { params }: { params: Params }): Promise<Response> {
  const { uid } = await params;
  const bookingUid = pathSegment(uid);
  const file = bookingUid === null ? null : await getBookingIcs(bookingUid, new URL(request.url).searchParams.get('token'));
  if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(file.ics, {
    status: 200,
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
