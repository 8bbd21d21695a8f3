import { getCurrentHost } from '@/lib/auth/session';
import { loadHostRescheduleSlots } from '@/lib/bookings/slots';
import { AppError } from '@/lib/errors';
import { routeParams, withErrors } from '@/lib/http';

/**
 * /bookings/{uid}/slots?from&to&timeZone — where the signed-in host can move their booking (the host's
 * reschedule picker): the answer of the public slots endpoint (docs/api.md) without the booking itself.
 * Another host's booking, or nobody signed in, is 404.
 */
export const GET = withErrors(async (request: Request, context: { params: Promise<{ uid: string }> }) => {
  const host = await getCurrentHost();
  const { uid } = await routeParams(context.params);
  if (!host?.handle) throw new AppError('not_found', 'Booking not found');
  const query = new URL(request.url).searchParams;
  const result = await loadHostRescheduleSlots({
    host: { id: host.id, handle: host.handle },
    uid,
    from: query.get('from'),
    to: query.get('to'),
    timeZone: query.get('timeZone'),
    now: new Date(),
  });
  return new Response(result.json, { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'private, no-store' } });
});
