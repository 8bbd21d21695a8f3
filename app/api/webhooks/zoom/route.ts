import { after } from 'next/server';
import { handleZoomWebhook } from '@/lib/zoom/webhooks';

export const dynamic = 'force-dynamic';

/** Zoom event subscription endpoint (signed; URL validation; app_deauthorized). Answers fast; mail goes after the response. */
export async function POST(request: Request): Promise<Response> {
  return handleZoomWebhook(request, { defer: (task) => after(task) });
}
