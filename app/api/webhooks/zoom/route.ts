import { after } from 'next/server';
import { kickWorker } from '@/lib/bookings/effects/worker';
import { withErrors } from '@/lib/http';
import { queueMeetingEvent } from '@/lib/meetings/events';
import { handleZoomWebhook } from '@/lib/zoom/webhooks';

export const dynamic = 'force-dynamic';

/**
 * Zoom event subscription endpoint (signed; URL validation; app_deauthorized; the meeting events of
 * bookings' meetings, queued for the worker). Answers fast; mail goes after the response.
 */
export const POST = withErrors(
  async (request: Request): Promise<Response> =>
    handleZoomWebhook(request, { defer: (task) => after(task), onMeetingEvent: queueMeetingEvent, onQueued: kickWorker }),
);
