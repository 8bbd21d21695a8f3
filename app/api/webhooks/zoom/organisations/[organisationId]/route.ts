import { after } from 'next/server';
import { kickWorker } from '@/lib/bookings/effects/worker';
import { withErrors } from '@/lib/http';
import { queueMeetingEvent } from '@/lib/meetings/events';
import { organisationWebhookSecret } from '@/lib/meetings/org-webhooks';
import { handleZoomWebhook } from '@/lib/zoom/webhooks';

export const dynamic = 'force-dynamic';

/**
 * An organisation's Zoom account webhooks (its Server-to-Server app's event subscription, issue 12):
 * verified with that organisation's secret token, then the same intake as /api/webhooks/zoom — meeting
 * events are tied to bookings by meeting id. An unknown organisation is 404.
 */
export const POST = withErrors(async (request: Request, context: { params: Promise<{ organisationId: string }> }): Promise<Response> => {
  const { organisationId } = await context.params;
  const organisation = await organisationWebhookSecret(organisationId);
  if (!organisation) return Response.json({ error: { code: 'not_found', message: 'Unknown organisation' } }, { status: 404 });
  return handleZoomWebhook(request, { secret: organisation.secret, defer: (task) => after(task), onMeetingEvent: queueMeetingEvent, onQueued: kickWorker });
});
