import 'server-only';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '@/lib/db/client';
import { bookings } from '@/lib/db/schema/bookings';
import { webhookEvents } from '@/lib/db/schema/integrations';
import type { BookingRow } from '@/lib/bookings/types';
import type { MeetingEventHook } from '@/lib/zoom/webhooks';
import { recomputeAttendance } from './attendance';
import { lockBooking, type ParticipantIdentity, parseZoomTime, recordJoin, recordLeave, recordMeetingEnded, recordMeetingStarted } from './facts';
import { recordRecordingCompleted } from './recordings';
import { insertStep, SYNC_AFTER_ENDED_EVENT_MS, scheduleMeetingSync } from './steps';
import { recordMeetingChangedInZoom } from './zoom-changes';

/**
 * Zoom's meeting webhooks for a booking's meeting: queued at intake (the route's hook, in the
 * transaction that stores the delivery) and applied later by the worker's `meeting.event` step.
 */

/**
 * The webhook route's hook (lib/zoom/webhooks.ts MeetingEventHook): finds the booking whose meeting
 * this is (bookings_zoom_meeting_idx) and queues its `meeting.event` step. Null when the meeting is
 * not one of Aki's (acknowledged and dropped).
 */
export const queueMeetingEvent: MeetingEventHook = async (tx: Tx, event) => {
  const [booking] = await tx
    .select({ id: bookings.id })
    .from(bookings)
    .where(eq(bookings.zoomMeetingId, event.meetingId))
    .orderBy(desc(bookings.createdAt))
    .limit(1);
  if (!booking) return null;
  await insertStep(tx, booking.id, 'meeting.event', event.receivedAt, event.receivedAt, { eventId: event.eventId, event: event.event });
  return booking.id;
};

type Envelope = { event?: unknown; payload?: { object?: Record<string, unknown> } & Record<string, unknown>; download_token?: unknown };

const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : null);

/** The participant of a participant_joined/left event (Zoom: id = Zoom user id when signed in; user_id is meeting-scoped). */
export function participantOf(object: Record<string, unknown>): { identity: ParticipantIdentity; joinAt: Date | null; leaveAt: Date | null } | null {
  const p = object.participant;
  if (!p || typeof p !== 'object') return null;
  const participant = p as Record<string, unknown>;
  return {
    identity: {
      name: str(participant.user_name) ?? '',
      email: str(participant.email),
      zoomUserId: str(participant.id),
      registrantId: str(participant.registrant_id),
    },
    joinAt: parseZoomTime(str(participant.join_time)),
    leaveAt: parseZoomTime(str(participant.leave_time)),
  };
}

export type AppliedEvent = { outcome: 'applied' | 'ignored' | 'gone'; event: string | null };

/**
 * Applies one stored event to the booking (the `meeting.event` step): started/ended/joined/left as
 * facts (one transaction with the event's processedAt), recording.completed and deleted/updated
 * through recordings.ts and zoom-changes.ts; then the verdict is recomputed. After meeting.ended the
 * booking's REST read moves to 2 minutes later (participant lists are complete only after the end).
 * An event already processed is not applied again; a pruned one is 'gone'.
 */
export async function applyMeetingEvent(db: Db, booking: BookingRow, eventId: string, now: Date): Promise<AppliedEvent> {
  const [stored] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId)).limit(1);
  if (!stored) return { outcome: 'gone', event: null };
  if (stored.processedAt) return { outcome: stored.outcome === 'ignored' ? 'ignored' : 'applied', event: stored.event };
  const body = stored.payload as Envelope;
  const object = (body.payload?.object ?? {}) as Record<string, unknown>;
  const event = stored.event;

  // Effects owned by recordings.ts / zoom-changes.ts run first, on their own (each is idempotent).
  if (event === 'recording.completed') {
    await recordRecordingCompleted(db, booking, object, str(body.download_token), now);
  } else if (event === 'meeting.deleted' || event === 'meeting.updated') {
    await recordMeetingChangedInZoom(db, booking, event, (body.payload ?? {}) as Record<string, unknown>, now);
  }

  let outcome: AppliedEvent['outcome'] = 'applied';
  await db.transaction(async (tx) => {
    if (!(await lockBooking(tx, booking.id))) return;
    const uuid = str(object.uuid);
    switch (event) {
      case 'meeting.started':
        await recordMeetingStarted(tx, booking.id, { uuid, startedAt: parseZoomTime(str(object.start_time)) }, now);
        break;
      case 'meeting.ended': {
        const endedAt = parseZoomTime(str(object.end_time)) ?? stored.receivedAt;
        await recordMeetingEnded(tx, booking.id, { uuid, startedAt: parseZoomTime(str(object.start_time)), endedAt }, now);
        await scheduleMeetingSync(tx, booking.id, new Date(now.getTime() + SYNC_AFTER_ENDED_EVENT_MS), now, 'set');
        break;
      }
      case 'meeting.participant_joined':
      case 'meeting.participant_left': {
        const participant = participantOf(object);
        const at = participant ? (event === 'meeting.participant_joined' ? participant.joinAt : participant.leaveAt) : null;
        if (!participant || !at) {
          outcome = 'ignored';
          break;
        }
        if (event === 'meeting.participant_joined') await recordJoin(tx, booking.id, participant.identity, at, now);
        else await recordLeave(tx, booking.id, participant.identity, at, now);
        break;
      }
      default:
        break;
    }
    await recomputeAttendance(tx, booking.id, now);
    await tx
      .update(webhookEvents)
      .set({ processedAt: now, outcome })
      .where(and(eq(webhookEvents.id, eventId), isNull(webhookEvents.processedAt)));
  });
  return { outcome, event };
}
