import { randomBytes } from 'node:crypto';
import { apiError, HttpError, isoSeconds, origin, rateHeaders, trackingId, type ZoomContext } from './http';
import { jsonResponse } from './json';
import { findMeetingAndHost } from './meetings';
import { type ApiContext, requireScope, SCOPES } from './oauth';
import type { EmulatorMeeting, EmulatorRegistrant } from './state';

/**
 * `POST /v2/meetings/{meetingId}/registrants`: registration must be enabled on the meeting
 * (settings.approval_type 0 automatic or 1 manual; else 400 code 3000), the host must be on a paid
 * plan (400 code 200), and the same email again answers with the same registrant.
 */

const MAX_REGISTRANTS = 4999;

export const newRegistrantId = () => randomBytes(16).toString('base64url').slice(0, 22);

/** The meeting's registrant with this email, or a new one (approved unless manual approval is on and auto_approve is off). */
export function ensureRegistrant(
  emu: ZoomContext,
  meeting: EmulatorMeeting,
  input: { email: string; firstName: string; lastName: string; autoApprove: boolean },
): EmulatorRegistrant {
  meeting.registrants ??= [];
  const existing = meeting.registrants.find((r) => r.email.toLowerCase() === input.email.toLowerCase());
  if (existing) {
    if (input.autoApprove) existing.status = 'approved';
    return existing;
  }
  const registrant: EmulatorRegistrant = {
    id: newRegistrantId(),
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    status: meeting.settings.approval_type === 1 && !input.autoApprove ? 'pending' : 'approved',
    joinToken: randomBytes(24).toString('base64url'),
    createdAt: isoSeconds(emu.now()),
  };
  meeting.registrants.push(registrant);
  return registrant;
}

export async function addRegistrant(emu: ZoomContext, ctx: ApiContext, request: Request, rawId: string): Promise<{ response: Response; body?: unknown }> {
  requireScope(ctx, SCOPES.addRegistrant);
  const { meeting, host } = findMeetingAndHost(emu, ctx, rawId, 'write');
  let body: Record<string, unknown>;
  try {
    const text = await request.text();
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
  } catch {
    throw new HttpError(apiError(400, 300, 'Request Body should be a valid JSON object.'));
  }
  if (host.type === 1) throw new HttpError(apiError(400, 200, `Only available for Paid or ZMP account: ${host.id}`));
  const approval = meeting.settings.approval_type;
  if (approval !== 0 && approval !== 1) {
    throw new HttpError(apiError(400, 3000, `Registration has not been enabled for this meeting: ${meeting.id}.`));
  }
  const errors: { field: string; message: string }[] = [];
  if (typeof body.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) errors.push({ field: 'email', message: 'Invalid field.' });
  if (typeof body.first_name !== 'string' || body.first_name.trim() === '' || body.first_name.length > 64) {
    errors.push({ field: 'first_name', message: 'Invalid field.' });
  }
  if (body.last_name !== undefined && (typeof body.last_name !== 'string' || body.last_name.length > 64)) errors.push({ field: 'last_name', message: 'Invalid field.' });
  if (body.auto_approve !== undefined && typeof body.auto_approve !== 'boolean') errors.push({ field: 'auto_approve', message: 'Invalid field.' });
  if (errors.length > 0) {
    throw new HttpError(jsonResponse({ code: 300, message: 'Validation Failed.', errors }, 400, { 'x-zm-trackingid': trackingId() }));
  }
  const email = body.email as string;
  const known = (meeting.registrants ?? []).some((r) => r.email.toLowerCase() === email.toLowerCase());
  if (!known && (meeting.registrants?.length ?? 0) >= MAX_REGISTRANTS) {
    throw new HttpError(apiError(400, 3000, `The maximum number of registrants (${MAX_REGISTRANTS}) has been reached for this meeting: ${meeting.id}.`));
  }
  const registrant = ensureRegistrant(emu, meeting, {
    email,
    firstName: body.first_name as string,
    lastName: typeof body.last_name === 'string' ? body.last_name : '',
    autoApprove: body.auto_approve === true,
  });
  return {
    body,
    response: jsonResponse(
      {
        registrant_id: registrant.id,
        id: meeting.id,
        topic: meeting.topic,
        start_time: meeting.startTime,
        join_url: `${origin(emu, request)}/j/${meeting.id}?tk=${registrant.joinToken}`,
      },
      201,
      { 'x-zm-trackingid': trackingId(), ...rateHeaders('Light') },
    ),
  };
}
