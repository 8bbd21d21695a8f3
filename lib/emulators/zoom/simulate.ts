import { randomBytes } from 'node:crypto';
import { isoSeconds, origin, type ZoomContext } from './http';
import { personKey } from './past-meetings';
import { makeRecording, mintDownloadToken, recordingObject } from './recordings';
import { ensureRegistrant } from './registrants';
import type { EmulatorMeeting, EmulatorUser, MeetingInstance, PastParticipant } from './state';
import { accountAppTargets, deliverWebhook, type WebhookDeliveryOptions } from './webhooks';

/**
 * Changes made "in Zoom" for tests and the demo (control API):
 * - `POST /__control/meetings/{id}/simulate`: a held meeting — an instance with its join segments,
 *   ended or still running, cloud recording files, and Zoom's webhooks in Zoom's shapes. A Basic
 *   (free) host's meeting ends 40 minutes after it started, as Zoom's free plan does
 *   (`meeting.started`/`ended` and participant events carry the id as a STRING,
 *   `recording.completed` as an int64 NUMBER, with a top-level `download_token`).
 * - `POST /__control/meetings/{id}` `{status?, deleted?, startTime?, duration?, deliverWebhooks?}`:
 *   status changes, a deletion (`meeting.deleted`) or a new time (`meeting.updated`).
 */

/** Zoom ends a meeting hosted by a Basic (free) user after 40 minutes, for everyone in it. */
export const BASIC_MEETING_LIMIT_MS = 40 * 60_000;

type SimPerson = { name: string; email: string | null; registrant: boolean; host: boolean; joinMs: number; leaveMs: number | null };

type SimulateInput = {
  participants: SimPerson[];
  end: boolean;
  recording: boolean;
  transcript: boolean;
  deliverWebhooks: boolean;
  order: 'chronological' | 'reverse';
  duplicate: boolean;
  startMs: number | null;
  endMs: number | null;
  /** Deliver to this URL instead of the configured target. */
  target: string | undefined;
};

class BadInput extends Error {}

function isoMs(value: unknown, field: string): number {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw new BadInput(`${field} must be an ISO date-time`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BadInput(`${field} must be an ISO date-time`);
  // Zoom's times have whole seconds.
  return Math.floor(ms / 1000) * 1000;
}

function flag(body: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = body[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new BadInput(`${key} must be true or false`);
  return value;
}

function parseSimulate(body: Record<string, unknown>): SimulateInput {
  const raw = body.participants ?? [];
  if (!Array.isArray(raw)) throw new BadInput('participants must be an array');
  const participants = raw.map((entry, index): SimPerson => {
    const at = `participants[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new BadInput(`${at} must be an object`);
    const p = entry as Record<string, unknown>;
    if (typeof p.name !== 'string' || p.name.trim() === '') throw new BadInput(`${at}.name is required`);
    if (p.email !== undefined && p.email !== null && (typeof p.email !== 'string' || (p.email !== '' && !/^[^\s@]+@[^\s@]+$/.test(p.email)))) {
      throw new BadInput(`${at}.email is not an email address`);
    }
    const email = typeof p.email === 'string' && p.email !== '' ? p.email : null;
    const joinMs = isoMs(p.joinAt, `${at}.joinAt`);
    const leaveMs = p.leaveAt === undefined || p.leaveAt === null ? null : isoMs(p.leaveAt, `${at}.leaveAt`);
    if (leaveMs !== null && leaveMs < joinMs) throw new BadInput(`${at}.leaveAt is before its joinAt`);
    const host = p.host === true;
    const registrant = p.registrant === true;
    if (registrant && !email && !host) throw new BadInput(`${at}: a registrant needs an email`);
    return { name: p.name.trim(), email, registrant, host, joinMs, leaveMs };
  });
  const order = body.webhookOrder ?? 'chronological';
  if (order !== 'chronological' && order !== 'reverse') throw new BadInput('webhookOrder must be "chronological" or "reverse"');
  const input: SimulateInput = {
    participants,
    end: flag(body, 'end', true),
    recording: flag(body, 'recording', false),
    transcript: flag(body, 'transcript', false),
    deliverWebhooks: flag(body, 'deliverWebhooks', true),
    order,
    duplicate: flag(body, 'duplicateWebhooks', false),
    startMs: body.startAt === undefined ? null : isoMs(body.startAt, 'startAt'),
    endMs: body.endAt === undefined ? null : isoMs(body.endAt, 'endAt'),
    target: webhookTarget(body),
  };
  if (input.recording && !input.end) throw new BadInput('recording needs end: true (Zoom finishes a recording after the meeting ends)');
  if (input.transcript && !input.recording) throw new BadInput('transcript needs recording: true');
  if (!input.end && input.endMs !== null) throw new BadInput('endAt needs end: true');
  return input;
}

function webhookTarget(body: Record<string, unknown>): string | undefined {
  if (body.webhookTarget === undefined) return undefined;
  if (typeof body.webhookTarget !== 'string' || !/^https?:\/\//.test(body.webhookTarget)) throw new BadInput('webhookTarget must be an http(s) URL');
  return body.webhookTarget;
}

type PlannedEvent = { event: string; ts: number; payload: Record<string, unknown>; extra?: Record<string, unknown> };

function hostOf(emu: ZoomContext, meeting: EmulatorMeeting): EmulatorUser | undefined {
  return emu.state.users.find((u) => u.id === meeting.hostId);
}

/** The meeting object of meeting.started/ended and the participant events (id as a STRING). */
function instanceObject(meeting: EmulatorMeeting, instance: MeetingInstance) {
  return {
    id: meeting.id.toString(),
    uuid: instance.uuid,
    host_id: meeting.hostId,
    topic: meeting.topic,
    type: meeting.type,
    start_time: instance.startTime,
    timezone: meeting.timezone,
    duration: meeting.duration,
  };
}

function participantJson(p: PastParticipant, kind: 'joined' | 'left') {
  return {
    user_id: p.userId,
    user_name: p.name,
    id: p.id,
    participant_uuid: p.participantUuid,
    ...(kind === 'joined' ? { join_time: p.joinTime } : { leave_time: p.leaveTime, leave_reason: p.leaveReason }),
    email: p.email,
    ...(p.registrantId ? { registrant_id: p.registrantId } : {}),
    ...(p.host ? { participant_user_id: p.id } : {}),
  };
}

/**
 * Delivers the planned events in order: to `target` when given, else to the event subscriptions of the host
 * account's Server-to-Server apps (accountAppTargets), else to the emulator's configured target.
 */
async function send(
  emu: ZoomContext,
  planned: PlannedEvent[],
  input: { order: 'chronological' | 'reverse'; duplicate: boolean; target: string | undefined },
  host: EmulatorUser | undefined,
) {
  const sorted = planned.map((e, seq) => ({ e, seq })).sort((a, b) => a.e.ts - b.e.ts || a.seq - b.seq).map(({ e }) => e);
  if (input.order === 'reverse') sorted.reverse();
  const appTargets = input.target ? [] : accountAppTargets(emu, host?.accountId);
  const destinations: Pick<WebhookDeliveryOptions, 'target' | 'app'>[] = input.target ? [{ target: input.target }] : appTargets.length > 0 ? appTargets : [{}];
  const results: { event: string; status: number | null }[] = [];
  for (const item of sorted) {
    for (const destination of destinations) {
      const options: WebhookDeliveryOptions = { eventTs: item.ts, ...(item.extra ? { extra: item.extra } : {}), ...destination };
      for (let copy = 0; copy < (input.duplicate ? 2 : 1); copy++) {
        const result = await deliverWebhook(emu, item.event, item.payload, options);
        results.push({ event: item.event, status: result.status });
      }
    }
  }
  return results;
}

const json = (value: unknown, status = 200) => Response.json(value, { status });

function liveMeeting(emu: ZoomContext, meetingId: string): EmulatorMeeting | undefined {
  return emu.state.meetings.find((m) => m.id.toString() === meetingId && m.deletedAt === null);
}

export async function simulateMeeting(emu: ZoomContext, request: Request, meetingId: string, body: Record<string, unknown>): Promise<Response> {
  const meeting = liveMeeting(emu, meetingId);
  if (!meeting) return json({ error: 'meeting not found' }, 404);
  let input: SimulateInput;
  try {
    input = parseSimulate(body);
  } catch (error) {
    if (error instanceof BadInput) return json({ error: error.message }, 400);
    throw error;
  }
  const host = hostOf(emu, meeting);
  if (input.deliverWebhooks && !input.target && !emu.options.webhookTargetUrl && accountAppTargets(emu, host?.accountId).length === 0) {
    return json({ error: 'No webhook target URL configured (give webhookTarget, or deliverWebhooks: false)' }, 400);
  }
  meeting.instances ??= [];
  const instances = meeting.instances;
  const running = instances.at(-1)?.endTime === null ? instances.at(-1) : undefined;

  // Times: a new instance starts at startAt (default: the first join); a running one keeps its start.
  const joins = input.participants.map((p) => p.joinMs);
  const leaves = input.participants.map((p) => p.leaveMs ?? p.joinMs);
  const startMs = running ? Date.parse(running.startTime) : (input.startMs ?? (joins.length > 0 ? Math.min(...joins) : null));
  if (startMs === null) return json({ error: 'participants: give at least one, or startAt' }, 400);
  // A Basic host's meeting ends at start + 40 min: later leaves (and a later endAt) become that end.
  const basicLimitMs = host?.type === 1 ? startMs + BASIC_MEETING_LIMIT_MS : null;
  let endedByTimeLimit = false;
  if (basicLimitMs !== null) {
    if (input.participants.some((p) => p.joinMs >= basicLimitMs)) {
      return json({ error: 'a participant joins after the 40-minute limit of a Basic (free) host ended the meeting' }, 400);
    }
    const overrun = input.participants.some((p) => (p.leaveMs ?? -Infinity) > basicLimitMs) || (input.endMs ?? -Infinity) > basicLimitMs;
    if (overrun) {
      endedByTimeLimit = true;
      input.end = true;
      input.endMs = basicLimitMs;
      for (const p of input.participants) if (p.leaveMs !== null && p.leaveMs > basicLimitMs) p.leaveMs = null;
      for (let i = 0; i < leaves.length; i++) leaves[i] = Math.min(leaves[i]!, basicLimitMs);
    }
  }
  const earlier = (running?.participants ?? []).map((p) => Date.parse(p.leaveTime ?? p.joinTime));
  const latest = Math.max(startMs, ...leaves, ...earlier);
  const endMs = input.end ? (input.endMs ?? latest) : null;
  if (joins.some((ms) => ms < startMs)) return json({ error: 'a participant joins before the meeting starts (startAt)' }, 400);
  if (endMs !== null && (endMs < latest || input.participants.some((p) => p.leaveMs !== null && p.leaveMs > endMs))) {
    return json({ error: 'endAt is before a join or leave' }, 400);
  }
  // One person's segments must not overlap (a rejoin comes after the previous leave).
  const byPerson = new Map<string, SimPerson[]>();
  for (const p of input.participants) {
    const key = personKey({ host: p.host, email: p.email ?? '', name: p.name });
    byPerson.set(key, [...(byPerson.get(key) ?? []), p]);
  }
  for (const segments of byPerson.values()) {
    const sorted = [...segments].sort((a, b) => a.joinMs - b.joinMs);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i - 1]!.leaveMs === null || sorted[i]!.joinMs < sorted[i - 1]!.leaveMs!) {
        return json({ error: `${sorted[i]!.name} rejoins before leaving` }, 400);
      }
    }
  }

  const instance: MeetingInstance = running ?? {
    uuid: instances.length === 0 ? meeting.uuid : randomBytes(16).toString('base64'),
    startTime: isoSeconds(startMs),
    endTime: null,
    participants: [],
    recording: null,
  };
  if (!running) instances.push(instance);
  const planned: PlannedEvent[] = [];
  const envelope = (object: Record<string, unknown>) => ({ account_id: host?.accountId ?? '', object });
  if (!running) planned.push({ event: 'meeting.started', ts: startMs, payload: envelope(instanceObject(meeting, instance)) });

  const added: PastParticipant[] = [];
  for (const p of [...input.participants].sort((a, b) => a.joinMs - b.joinMs)) {
    const key = personKey({ host: p.host, email: p.email ?? '', name: p.name });
    const same = instance.participants.find((q) => personKey(q) === key);
    const email = p.email ?? (p.host ? (host?.email ?? '') : '');
    const registrantId = p.registrant
      ? ensureRegistrant(emu, meeting, {
          email: email,
          firstName: p.name.split(/\s+/)[0] ?? p.name,
          lastName: p.name.split(/\s+/).slice(1).join(' '),
          autoApprove: true,
        }).id
      : (same?.registrantId ?? null);
    const leaveMs = p.leaveMs ?? endMs;
    const segment: PastParticipant = {
      // Zoom gives every join its own meeting-scoped numeric id.
      userId: String(16_778_240 + 1024 * instance.participants.length),
      participantUuid: same?.participantUuid ?? randomBytes(16).toString('hex').toUpperCase(),
      id: p.host ? meeting.hostId : '',
      name: p.name,
      email,
      registrantId,
      host: p.host,
      joinTime: isoSeconds(p.joinMs),
      leaveTime: leaveMs === null ? null : isoSeconds(leaveMs),
      leaveReason: leaveMs === null ? null : `${p.name} left the meeting. Reason : ${p.leaveMs === null ? 'Host ended the meeting' : 'left the meeting'}`,
    };
    instance.participants.push(segment);
    added.push(segment);
  }
  // People still in a running instance leave when it ends.
  const closed: PastParticipant[] = [];
  if (endMs !== null) {
    for (const p of instance.participants) {
      if (p.leaveTime === null) {
        p.leaveTime = isoSeconds(endMs);
        p.leaveReason = `${p.name} left the meeting. Reason : Host ended the meeting`;
        closed.push(p);
      }
    }
    instance.endTime = isoSeconds(endMs);
  }
  const object = instanceObject(meeting, instance);
  for (const p of added) {
    planned.push({ event: 'meeting.participant_joined', ts: Date.parse(p.joinTime), payload: envelope({ ...object, participant: participantJson(p, 'joined') }) });
    if (p.leaveTime && !closed.includes(p)) {
      planned.push({ event: 'meeting.participant_left', ts: Date.parse(p.leaveTime), payload: envelope({ ...object, participant: participantJson(p, 'left') }) });
    }
  }
  for (const p of closed) {
    planned.push({ event: 'meeting.participant_left', ts: Date.parse(p.leaveTime!), payload: envelope({ ...object, participant: participantJson(p, 'left') }) });
  }
  meeting.status = endMs === null ? 'started' : 'ended';
  if (endMs !== null) planned.push({ event: 'meeting.ended', ts: endMs, payload: envelope({ ...object, end_time: instance.endTime }) });
  if (input.recording) {
    instance.recording = makeRecording(instance, input.transcript);
    planned.push({
      event: 'recording.completed',
      ts: Math.max(emu.now(), endMs!),
      payload: envelope(recordingObject(origin(emu, request), meeting, host, instance, instance.recording, 'number')),
      extra: { download_token: mintDownloadToken(emu, meeting, host) },
    });
  }
  const webhooks = input.deliverWebhooks ? await send(emu, planned, input, host) : [];
  return json({ uuid: instance.uuid, status: meeting.status, webhooks, recordingFiles: instance.recording?.files.length ?? 0, endedByTimeLimit });
}

/** `POST /__control/meetings/{id}`: status, deletion (meeting.deleted) or a new time (meeting.updated). */
export async function changeMeeting(emu: ZoomContext, meetingId: string, body: Record<string, unknown>): Promise<Response> {
  const meeting = liveMeeting(emu, meetingId);
  if (!meeting) return json({ error: 'meeting not found' }, 404);
  const { status, deleted, startTime, duration } = body;
  if (status === undefined && deleted === undefined && startTime === undefined && duration === undefined) {
    return json({ error: 'give status, deleted, startTime or duration' }, 400);
  }
  if (status !== undefined && status !== 'waiting' && status !== 'started' && status !== 'ended') {
    return json({ error: 'status must be waiting, started or ended' }, 400);
  }
  if (deleted !== undefined && deleted !== true) return json({ error: 'deleted can only be true' }, 400);
  if (duration !== undefined && (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0)) {
    return json({ error: 'duration must be a whole number of minutes' }, 400);
  }
  let startMs: number | null = null;
  let target: string | undefined;
  try {
    if (startTime !== undefined) startMs = isoMs(startTime, 'startTime');
    flag(body, 'deliverWebhooks', false);
    target = webhookTarget(body);
  } catch (error) {
    if (error instanceof BadInput) return json({ error: error.message }, 400);
    throw error;
  }
  const deliver = body.deliverWebhooks === true;
  const host = hostOf(emu, meeting);
  if (deliver && !target && !emu.options.webhookTargetUrl && accountAppTargets(emu, host?.accountId).length === 0) {
    return json({ error: 'No webhook target URL configured (give webhookTarget)' }, 400);
  }
  const operator = { operator: host?.email ?? '', operator_id: meeting.hostId };
  const planned: PlannedEvent[] = [];
  const now = emu.now();

  const changed: Record<string, unknown> = {};
  const old: Record<string, unknown> = {};
  if (startMs !== null && isoSeconds(startMs) !== meeting.startTime) {
    old.start_time = meeting.startTime;
    meeting.startTime = isoSeconds(startMs);
    changed.start_time = meeting.startTime;
  }
  if (typeof duration === 'number' && duration !== meeting.duration) {
    old.duration = meeting.duration;
    meeting.duration = duration;
    changed.duration = duration;
  }
  if (Object.keys(changed).length > 0) {
    planned.push({
      event: 'meeting.updated',
      ts: now,
      payload: {
        account_id: host?.accountId ?? '',
        ...operator,
        object: { id: meeting.id, uuid: meeting.uuid, ...changed },
        old_object: { id: meeting.id, uuid: meeting.uuid, ...old },
        time_stamp: now,
      },
    });
  }
  if (status !== undefined) meeting.status = status as EmulatorMeeting['status'];
  if (deleted === true) {
    meeting.deletedAt = now;
    planned.push({
      event: 'meeting.deleted',
      ts: now,
      payload: {
        account_id: host?.accountId ?? '',
        ...operator,
        operation: 'single',
        object: {
          id: meeting.id,
          uuid: meeting.uuid,
          host_id: meeting.hostId,
          topic: meeting.topic,
          type: meeting.type,
          start_time: meeting.startTime,
          duration: meeting.duration,
          timezone: meeting.timezone,
        },
      },
    });
  }
  const webhooks = deliver ? await send(emu, planned, { order: 'chronological', duplicate: body.duplicateWebhooks === true, target }, host) : [];
  return json({ ...meeting, id: meeting.id.toString(), webhooks });
}
