import 'server-only';
import { eq } from 'drizzle-orm';
import { type DbOrTx, getDb } from '@/lib/db/client';
import { zoomConnections } from '@/lib/db/schema/integrations';
import { missingZoomScopes } from './scopes';

export type ZoomConnection = typeof zoomConnections.$inferSelect;

export type ZoomConnectionStatus = {
  state: 'none' | 'active' | 'revoked';
  email?: string | null;
  reason?: string | null;
  /** Scopes Zoom granted (space-separated on the wire). */
  scopes?: string[];
  /** An active link lacking a scope attendance and recordings need (made before they existed): "reconnect Zoom". */
  afterMeetingScopesMissing?: boolean;
  /** A Basic (free) Zoom user: meetings end after 40 minutes; attendance and cloud recordings need a paid plan. */
  basic?: boolean;
};

/** Zoom Basic (free) meetings end after this many minutes. */
export const ZOOM_BASIC_MEETING_MINUTES = 40;

/** The host's Zoom link row (with encrypted tokens) or null. Server-only: never send it to a browser. */
export async function getZoomConnection(userId: string, db?: DbOrTx): Promise<ZoomConnection | null> {
  const client = db ?? (await getDb());
  const [row] = await client.select().from(zoomConnections).where(eq(zoomConnections.userId, userId)).limit(1);
  return row ?? null;
}

/** What the UI and the booking pipeline need to know about a host's Zoom link (no secrets). */
export async function getZoomConnectionStatus(userId: string): Promise<ZoomConnectionStatus> {
  const row = await getZoomConnection(userId);
  if (!row) return { state: 'none' };
  const scopes = row.scopes.split(/\s+/).filter(Boolean);
  return {
    state: row.status,
    email: row.zoomEmail,
    reason: row.status === 'revoked' ? (row.revokedReason ?? 'revoked') : null,
    scopes,
    afterMeetingScopesMissing: row.status === 'active' && missingZoomScopes(scopes).some((scope) => AFTER_MEETING_SCOPES.includes(scope)),
    basic: row.zoomUserType === 1,
  };
}

/** Connections of a Zoom user (at most one: invariant 4). Used by webhooks. */
export async function findZoomConnectionByZoomUserId(zoomUserId: string, db?: DbOrTx): Promise<ZoomConnection | null> {
  const client = db ?? (await getDb());
  const [row] = await client.select().from(zoomConnections).where(eq(zoomConnections.zoomUserId, zoomUserId)).limit(1);
  return row ?? null;
}

/** The scopes the after-meeting features need (attendance, recordings, guest registration). */
export const AFTER_MEETING_SCOPES: readonly string[] = [
  'meeting:read:past_meeting',
  'meeting:read:list_past_participants',
  'cloud_recording:read:list_recording_files',
  'meeting:write:registrant',
];

/**
 * Required scopes an active link lacks (granular names; [] when none, when the host has no active
 * link, or when Zoom reported no scopes at all). A link made before attendance and recordings existed
 * lacks the after-meeting ones: the integrations card and the dashboard say "reconnect Zoom to allow
 * attendance and recordings" (`afterMeeting`).
 */
export async function zoomLinkMissingScopes(userId: string, db?: DbOrTx): Promise<{ missing: string[]; afterMeeting: boolean }> {
  const row = await getZoomConnection(userId, db);
  if (row?.status !== 'active') return { missing: [], afterMeeting: false };
  const missing = missingZoomScopes(row.scopes.split(/\s+/).filter(Boolean));
  return { missing, afterMeeting: missing.some((scope) => AFTER_MEETING_SCOPES.includes(scope)) };
}
