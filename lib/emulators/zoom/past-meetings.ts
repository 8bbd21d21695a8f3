import { apiError, HttpError, rateHeaders, trackingId, type ZoomContext } from './http';
import { jsonResponse } from './json';
import { type ApiContext, requireScope, SCOPES } from './oauth';
import { actsFor } from './users';
import type { EmulatorMeeting, MeetingInstance, PastParticipant } from './state';

/**
 * Zoom's after-the-meeting REST: `GET /v2/past_meetings/{meetingId|uuid}` and
 * `GET /v2/past_meetings/{meetingId|uuid}/participants` (paged), with Zoom's quirks: 404 code 3001
 * until an instance has ended, paid plans only for the participant list (400 code 200), and an
 * empty list for a meeting only one person attended.
 */

const NOT_ENDED = 'Meeting ID is invalid or not end.';
const PAGE_TOKEN_TTL_MS = 15 * 60_000;

/** The identity of a person across join segments: the host, else the email, else the name. */
export function personKey(p: Pick<PastParticipant, 'host' | 'email' | 'name'>): string {
  if (p.host) return 'host';
  return p.email ? `e:${p.email.toLowerCase()}` : `n:${p.name}`;
}

/**
 * The meeting behind an id (numeric: the meeting; the instance is then chosen by the caller) or a
 * uuid (that instance; UUIDs starting with / or containing // come double-encoded). Deleted
 * meetings keep their past. Only the host's own meetings exist for the token: 404 code 3001.
 */
export function findPastMeeting(emu: ZoomContext, ctx: ApiContext, rawId: string): { meeting: EmulatorMeeting; instance?: MeetingInstance } {
  let decoded = rawId;
  try {
    decoded = decodeURIComponent(decodeURIComponent(rawId));
  } catch {
    // keep the raw value
  }
  let meeting: EmulatorMeeting | undefined;
  let instance: MeetingInstance | undefined;
  if (/^\d+$/.test(decoded)) {
    meeting = emu.state.meetings.find((m) => m.id.toString() === decoded);
  } else {
    for (const m of emu.state.meetings) {
      const found = (m.instances ?? []).find((i) => i.uuid === decoded);
      if (found) {
        meeting = m;
        instance = found;
        break;
      }
    }
  }
  if (!meeting || !actsFor(emu, ctx, meeting.hostId)) throw new HttpError(apiError(404, 3001, NOT_ENDED));
  return { meeting, instance };
}

function endedInstance(emu: ZoomContext, ctx: ApiContext, rawId: string): { meeting: EmulatorMeeting; instance: MeetingInstance } {
  const { meeting, instance } = findPastMeeting(emu, ctx, rawId);
  const chosen = instance ?? (meeting.instances ?? []).filter((i) => i.endTime !== null).at(-1);
  if (!chosen || chosen.endTime === null) throw new HttpError(apiError(404, 3001, NOT_ENDED));
  return { meeting, instance: chosen };
}

const seconds = (p: PastParticipant) => (p.leaveTime ? Math.max(0, Math.round((Date.parse(p.leaveTime) - Date.parse(p.joinTime)) / 1000)) : 0);

/** `GET /v2/past_meetings/{meetingId|uuid}`: the latest ended instance (or the given one). */
export function getPastMeeting(emu: ZoomContext, ctx: ApiContext, rawId: string): Response {
  requireScope(ctx, SCOPES.readPastMeeting);
  const { meeting, instance } = endedInstance(emu, ctx, rawId);
  const host = emu.state.users.find((u) => u.id === meeting.hostId);
  const totalSeconds = instance.participants.reduce((sum, p) => sum + seconds(p), 0);
  return jsonResponse(
    {
      uuid: instance.uuid,
      id: meeting.id,
      host_id: meeting.hostId,
      type: meeting.type,
      topic: meeting.topic,
      user_name: host ? `${host.firstName} ${host.lastName}` : '',
      user_email: host?.email ?? '',
      start_time: instance.startTime,
      end_time: instance.endTime,
      duration: Math.round((Date.parse(instance.endTime!) - Date.parse(instance.startTime)) / 60_000),
      total_minutes: Math.round(totalSeconds / 60),
      participants_count: instance.participants.length,
      source: 'Zoom',
    },
    200,
    { 'x-zm-trackingid': trackingId(), ...rateHeaders('Light') },
  );
}

type PageToken = { u: string; o: number; s: number; e: number };

/** `GET /v2/past_meetings/{meetingId|uuid}/participants?page_size=&next_page_token=`: one entry per join segment. */
export function listPastParticipants(emu: ZoomContext, ctx: ApiContext, request: Request, rawId: string): Response {
  requireScope(ctx, SCOPES.listPastParticipants);
  const { meeting, instance } = endedInstance(emu, ctx, rawId);
  const host = emu.state.users.find((u) => u.id === meeting.hostId);
  if (host?.type === 1) throw new HttpError(apiError(400, 200, `Only available for Paid or ZMP account: ${host.id}`));
  const url = new URL(request.url);
  const rawSize = url.searchParams.get('page_size');
  const sizeNumber = rawSize === null ? 30 : Number(rawSize);
  if (!Number.isInteger(sizeNumber) || sizeNumber < 1) throw new HttpError(apiError(400, 300, 'Invalid field: page_size.'));
  let pageSize = Math.min(300, sizeNumber);
  let offset = 0;
  const rawToken = url.searchParams.get('next_page_token');
  if (rawToken) {
    let token: PageToken | null = null;
    try {
      token = JSON.parse(Buffer.from(rawToken, 'base64url').toString('utf8')) as PageToken;
    } catch {
      token = null;
    }
    if (!token || token.u !== instance.uuid || typeof token.o !== 'number' || token.e <= emu.now()) {
      throw new HttpError(apiError(400, 300, 'The next page token is invalid or expired.'));
    }
    offset = token.o;
    pageSize = token.s;
  }
  // Zoom lists nobody for a meeting only one person attended.
  const people = new Set(instance.participants.map(personKey));
  const all = people.size <= 1 ? [] : instance.participants;
  const page = all.slice(offset, offset + pageSize);
  const nextOffset = offset + pageSize;
  const next =
    nextOffset < all.length ? Buffer.from(JSON.stringify({ u: instance.uuid, o: nextOffset, s: pageSize, e: emu.now() + PAGE_TOKEN_TTL_MS })).toString('base64url') : '';
  return jsonResponse(
    {
      next_page_token: next,
      page_count: Math.ceil(all.length / pageSize),
      page_size: pageSize,
      total_records: all.length,
      participants: page.map((p) => ({
        id: p.id,
        name: p.name,
        user_id: p.userId,
        ...(p.registrantId ? { registrant_id: p.registrantId } : {}),
        user_email: p.email,
        join_time: p.joinTime,
        leave_time: p.leaveTime,
        duration: seconds(p),
        failover: false,
        status: 'in_meeting',
        internal_user: p.host,
      })),
    },
    200,
    { 'x-zm-trackingid': trackingId(), ...rateHeaders('Medium') },
  );
}
