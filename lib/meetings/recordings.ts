import 'server-only';
import type { BookingRow } from '@/lib/bookings/types';
import type { Db } from '@/lib/db/client';
import type { ZoomCredentialSource } from '@/lib/zoom/types';

/**
 * Cloud recordings of a booking's meeting (contracts; the pipeline fills them in): from the
 * `recording.completed` webhook and from the REST safety net, merged by Zoom file id.
 */

/**
 * Stores the files of a `recording.completed` event (payload.object) once, then: queues the host's
 * recording mail (and the guest's when the page shares recordings), and a transcript fetch for a
 * TRANSCRIPT file using `downloadToken` (the delivery's token; null → the host's OAuth token).
 * Idempotent: a duplicate delivery adds nothing and mails nobody twice.
 */
export async function recordRecordingCompleted(
  _db: Db,
  _booking: BookingRow,
  _object: Record<string, unknown>,
  _downloadToken: string | null,
  _now: Date,
): Promise<void> {
  throw new Error('recordRecordingCompleted: not implemented yet');
}

/** REST safety net: `GET /meetings/{id}/recordings`; same effects as the webhook for files not seen yet. 404/3301 = none (not an error). */
export async function syncRecordings(_db: Db, _booking: BookingRow, _source: ZoomCredentialSource, _now: Date): Promise<void> {
  throw new Error('syncRecordings: not implemented yet');
}
