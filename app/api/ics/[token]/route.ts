import { AppError } from '@/lib/errors';
import { renderIcsFeed } from '@/lib/bookings/ics-feed';
import { routeParams, withErrors } from '@/lib/http';

/** The host's private ICS feed (subscribe from any calendar app). 404 for any wrong token. */
export const GET = withErrors(async (_request: Request, context: { params: Promise<{ token: string }> }) => {
  const { token } = await routeParams(context.params);
  const ics = await renderIcsFeed(token);
  if (ics === null) throw new AppError('not_found', 'Not found');
  return new Response(ics, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="aki.ics"',
      'Cache-Control': 'private, no-store',
      'X-Robots-Tag': 'noindex',
    },
  });
});
