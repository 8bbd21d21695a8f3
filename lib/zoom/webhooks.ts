import 'server-only';
import { and, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { sha256Hex } from '@/lib/crypto';
import { type DbOrTx, getDb, type Tx } from '@/lib/db/client';
import { webhookEvents } from '@/lib/db/schema/integrations';
import { env } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { BODY_LIMITS, errorResponse, readBodyText } from '@/lib/http';
import { parseJsonPreservingBigInts } from './json';
import { revokeZoomLink, sendRevokedNotice } from './notify';
import { findZoomConnectionByZoomUserId } from './queries';
import { urlValidationAnswer, verifyZoomSignature } from './signature';

/**
 * POST /api/webhooks/zoom. Verifies the signature over the raw body, answers URL validation,
 * stores every event once (retries are recognised by a delivery key) and handles
 * app_deauthorized. Zoom wants an answer within 3 s: slow follow-ups (mail) go to `defer`.
 */

const envelope = z.object({
  event: z.string().min(1),
  event_ts: z.union([z.number(), z.string()]).optional(),
  payload: z.record(z.string(), z.unknown()).default({}),
  /** recording.completed: the token that downloads the files (about 24 h); removed from the stored row once a step holds it. */
  download_token: z.string().optional(),
});

const deauthorizedPayload = z.object({
  user_id: z.string().min(1),
  account_id: z.string().optional(),
  client_id: z.string().optional(),
});

export type Defer = (task: () => Promise<void>) => void;

/** The meeting events the product follows a booking's meeting with (lib/meetings/events.ts). */
export const ZOOM_MEETING_EVENTS = [
  'meeting.started',
  'meeting.ended',
  'meeting.participant_joined',
  'meeting.participant_left',
  'recording.completed',
  'meeting.deleted',
  'meeting.updated',
] as const;
export type ZoomMeetingEventName = (typeof ZOOM_MEETING_EVENTS)[number];
export const isZoomMeetingEvent = (event: string): event is ZoomMeetingEventName => (ZOOM_MEETING_EVENTS as readonly string[]).includes(event);

/** A stored meeting event, as the product's hook sees it. `meetingId` is Zoom's numeric meeting id as a string (int64-safe). */
export type ZoomMeetingEvent = { eventId: string; event: ZoomMeetingEventName; meetingId: string; receivedAt: Date };

/**
 * The product's part of a meeting event, called inside the transaction that stores the delivery:
 * returns the id of the booking the event is about (having queued its processing), or null when the
 * meeting is not one of Aki's (the event is then marked processed, outcome 'dropped'). Never
 * processes the event itself: Zoom wants its answer within 3 s.
 */
export type MeetingEventHook = (tx: Tx, event: ZoomMeetingEvent) => Promise<string | null>;

/**
 * Zoom's meeting id in a payload's `object.id`: a JSON number in some events (recording.completed,
 * meeting.deleted, meeting.updated; beyond 2^53 it arrives here as a string, json.ts), a string in
 * others. Null when it is not a meeting id.
 */
export function normaliseMeetingId(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  if (typeof value === 'bigint') return value > 0n ? value.toString() : null;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return /^\d+$/.test(trimmed) && !/^0+$/.test(trimmed) ? trimmed.replace(/^0+/, '') : null;
  }
  return null;
}

/** Raw webhook bodies are kept this long (idempotency, diagnosis), then deleted. */
export const WEBHOOK_RETENTION_MS = 30 * 86_400_000;

/** Deletes stored webhook deliveries older than 30 days (the worker loop, at most once a minute). Returns how many. */
export async function pruneWebhookEvents(db: DbOrTx, now: Date): Promise<number> {
  const deleted = await db
    .delete(webhookEvents)
    .where(lt(webhookEvents.receivedAt, new Date(now.getTime() - WEBHOOK_RETENTION_MS)))
    .returning({ id: webhookEvents.id });
  return deleted.length;
}

const defaultDefer: Defer = (task) => {
  void task().catch((error: unknown) => console.error('[zoom webhook] deferred task failed:', error instanceof Error ? error.message : 'unknown error'));
};

const json = (body: unknown, status = 200) => Response.json(body, { status });

/**
 * A stable identity of a delivery: retries of one event carry the same event, event_ts and object.
 * Participant events also name the participant (`participant_uuid`, else its user/join ids): two
 * people joining one meeting in the same millisecond are two events, not a retry.
 */
export function deliveryKey(event: string, eventTs: string | number | undefined, payload: Record<string, unknown>): string {
  const object = (payload.object ?? {}) as Record<string, unknown>;
  const subject = object.uuid ?? object.id ?? payload.user_id ?? sha256Hex(JSON.stringify(payload));
  const participant = (object.participant ?? null) as Record<string, unknown> | null;
  const who = participant
    ? (participant.participant_uuid ?? sha256Hex(JSON.stringify([participant.user_id, participant.id, participant.email, participant.join_time, participant.leave_time])))
    : null;
  return `${event}:${eventTs ?? ''}:${String(subject)}${who === null ? '' : `:${String(who)}`}`;
}

export async function handleZoomWebhook(
  request: Request,
  options: {
    defer?: Defer;
    nowMs?: number;
    onMeetingEvent?: MeetingEventHook;
    onQueued?: () => void;
    /**
     * The secret token that signs the deliveries: an organisation's S2S app posts to its own URL with its
     * own secret (account-level webhooks, issue 12). Absent: the user-level app's (ZOOM_WEBHOOK_SECRET_TOKEN).
     */
    secret?: string | null;
  } = {},
): Promise<Response> {
  const defer = options.defer ?? defaultDefer;
  const organisationApp = options.secret !== undefined;
  const secret = organisationApp ? options.secret : env().zoom.webhookSecretToken;
  if (!secret) return json({ error: { code: 'not_configured', message: 'Zoom webhooks are not configured' } }, 503);

  // Capped before the signature check: the signature needs the whole body, and an unsigned one must
  // not be able to make us buffer megabytes.
  let rawBody: string;
  try {
    rawBody = await readBodyText(request, BODY_LIMITS.webhook);
  } catch (error) {
    if (isAppError(error)) return errorResponse(error);
    throw error;
  }
  const check = verifyZoomSignature({
    secret,
    timestamp: request.headers.get('x-zm-request-timestamp'),
    signature: request.headers.get('x-zm-signature'),
    rawBody,
    nowMs: options.nowMs,
  });
  if (!check.ok) return json({ error: { code: 'unauthorized', message: `Invalid signature (${check.reason})` } }, 401);

  let body: z.infer<typeof envelope>;
  try {
    // int64 ids (meeting ids beyond 2^53) stay exact: parsed to strings, never rounded.
    body = envelope.parse(parseJsonPreservingBigInts(rawBody));
  } catch {
    return json({ error: { code: 'invalid_input', message: 'Unrecognised webhook body' } }, 400);
  }

  if (body.event === 'endpoint.url_validation') {
    const plainToken = body.payload.plainToken;
    if (typeof plainToken !== 'string' || !plainToken) return json({ error: { code: 'invalid_input', message: 'plainToken missing' } }, 400);
    return json(urlValidationAnswer(secret, plainToken));
  }

  const db = await getDb();
  const key = deliveryKey(body.event, body.event_ts, body.payload);
  const onMeetingEvent = options.onMeetingEvent;
  if (onMeetingEvent && isZoomMeetingEvent(body.event)) {
    const event = body.event;
    const receivedAt = new Date(options.nowMs ?? Date.now());
    // Stored, tied to its booking and queued in one transaction: a crash leaves no half of it.
    const outcome = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(webhookEvents)
        .values({ provider: 'zoom', deliveryKey: key, event, payload: body, receivedAt })
        .onConflictDoNothing()
        .returning({ id: webhookEvents.id });
      if (!row) return 'duplicate' as const;
      const object = (body.payload.object ?? {}) as Record<string, unknown>;
      const meetingId = normaliseMeetingId(object.id);
      const bookingId = meetingId ? await onMeetingEvent(tx, { eventId: row.id, event, meetingId, receivedAt }) : null;
      await tx
        .update(webhookEvents)
        .set(bookingId ? { bookingId } : { processedAt: receivedAt, outcome: 'dropped' })
        .where(eq(webhookEvents.id, row.id));
      return bookingId ? ('queued' as const) : ('dropped' as const);
    });
    if (outcome === 'duplicate') return json({ ok: true, duplicate: true });
    if (outcome === 'queued') options.onQueued?.();
    return json({ ok: true });
  }
  const inserted = await db
    .insert(webhookEvents)
    .values({ provider: 'zoom', deliveryKey: key, event: body.event, payload: body })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  const row = inserted[0];
  if (!row) return json({ ok: true, duplicate: true });

  // app_deauthorized concerns hosts' own links (the user-level app), never an organisation's S2S app.
  if (body.event === 'app_deauthorized' && !organisationApp) {
    const payload = deauthorizedPayload.safeParse(body.payload);
    if (payload.success && (!payload.data.client_id || payload.data.client_id === env().zoom.clientId)) {
      const connection = await findZoomConnectionByZoomUserId(payload.data.user_id, db);
      if (connection) {
        // The revocation and the host's notice commit together; the send happens after the answer to Zoom.
        const { noticeId } = await revokeZoomLink(db, connection.userId, 'app_deauthorized');
        defer(() => sendRevokedNotice(noticeId));
      }
    }
    await db
      .update(webhookEvents)
      .set({ processedAt: new Date() })
      .where(and(eq(webhookEvents.id, row.id), eq(webhookEvents.provider, 'zoom')));
  }
  // Other events are stored for later issues and acknowledged.
  return json({ ok: true });
}
