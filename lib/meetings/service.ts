import 'server-only';
import type { Db } from '@/lib/db/client';

/**
 * The meeting lifecycle's commands for the product (UI actions and the v1 API call these; the worker
 * does the work). Contracts fixed first so the UI and the pipeline could be built side by side.
 */

/**
 * Asks for a REST read of the meeting now ("Refresh from Zoom"): enqueues the booking's `meeting.sync`
 * step to run at `now` (one pending sync per booking: an existing one is moved to `now`). The caller
 * has already checked that the booking belongs to the signed-in host and has a Zoom meeting.
 * Returns false when the booking has no Zoom meeting to read.
 */
export async function requestMeetingSync(_db: Db, _bookingId: string, _now = new Date()): Promise<boolean> {
  throw new Error('requestMeetingSync: not implemented yet');
}

/**
 * The Zoom meeting was deleted in Zoom: makes a new one for the booking (clears the dead meeting,
 * enqueues zoom.create; the guest gets the new link by mail when it is ready). Caller checked ownership.
 * Returns false when the booking's meeting was not deleted in Zoom (nothing to do).
 */
export async function recreateZoomMeeting(_db: Db, _bookingId: string, _now = new Date()): Promise<boolean> {
  throw new Error('recreateZoomMeeting: not implemented yet');
}
