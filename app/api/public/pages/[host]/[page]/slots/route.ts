import { loadPublicSlots, slotsQuery, slotsResponse } from '@/lib/bookings/slots';
import { routeParams, withErrors } from '@/lib/http';

/**
 * docs/api.md: GET /api/public/pages/{host}/{page}/slots?from=YYYY-MM-DD&to=YYYY-MM-DD&timeZone=IANA
 *
 * Caching: browsers must always revalidate (max-age=0), so a guest who just booked — or got a 409 —
 * never sees the old list again from their own cache. A shared cache (CDN/reverse proxy) may keep a
 * copy for 5 s and serve it stale for 5 s more while refreshing: bursts on a popular link are absorbed
 * and a taken slot is shown for at most ~10 s, after which the booking endpoint's re-check (409) is
 * the backstop anyway. When the host's calendar could not be read the answer is incomplete, so it is
 * not cached at all.
 *
 * Rescheduling: `&reschedule=<booking uid>` with the booking's manage token in `X-Manage-Token` offers
 * the slots as if that booking were not there (its own buffers must not hide its neighbours). The
 * answer is the guest's own: never stored by a shared cache.
 */
export const GET = withErrors(async (request: Request, context: { params: Promise<{ host: string; page: string }> }) => {
  const { host, page } = await routeParams(context.params);
  const query = slotsQuery(request);
  return slotsResponse(await loadPublicSlots({ handle: host, slug: page, ...query }), { reschedule: query.reschedule !== null });
});
