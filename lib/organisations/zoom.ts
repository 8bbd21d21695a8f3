import 'server-only';
import type { Db, DbOrTx } from '@/lib/db/client';
import type { S2sApp } from '@/lib/zoom/s2s';

/**
 * The organisation's Zoom account as the meeting pipeline needs it (contracts first, filled in by
 * the organisation work).
 */

/** The organisation's S2S app (decrypted settings, or ZOOM_S2S_* for the instance organisation); null when it has none. */
export async function organisationZoomApp(_db: DbOrTx, _organisationId: string): Promise<S2sApp | null> {
  throw new Error('organisationZoomApp: not implemented yet');
}

/**
 * The Zoom user a member's meetings are created under: their mapped user, else the organisation's
 * default user; null when neither exists (the booking then waits, visibly, for an admin).
 */
export async function memberZoomUser(_db: Db, _organisationId: string, _userId: string): Promise<{ zoomUserId: string; via: 'email' | 'chosen' | 'created' | 'default' } | null> {
  throw new Error('memberZoomUser: not implemented yet');
}
