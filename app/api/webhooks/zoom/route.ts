import { after } from 'next/server';
import { withErrors } from '@/lib/http';
import { handleZoomWebhook } from '@/lib/zoom/webhooks';

export const dynamic = 'force-dynamic';

/** Zoom event subscription endpoint (signed; URL validation; app_deauthorized). Answers fast; mail goes after the response. */
export const POST = withErrors(async (request: Request): Promise<Response> => handleZoomWebhook(request, { defer: (task) => after(task) }));
