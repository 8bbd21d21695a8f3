import 'server-only';
import { z } from 'zod';
import { isIntegrationError } from '@/lib/errors';
import { callApi, meetingPath, parse, withToken, type ZoomCallOptions } from './client';
import { zoomError } from './rest';
import type { ZoomCredentialSource } from './types';

/**
 * Zoom's cloud recordings and meeting registrants: `GET /meetings/{id}/recordings`, the download of a
 * recording file (transcripts) and `POST /meetings/{id}/registrants`. Failures are IntegrationError
 * (lib/errors.ts); Zoom's 400 code 200 ("only available for paid users") is `plan_required`.
 * Download URLs and tokens never go into error messages.
 */

/** Zoom's 400 code 200 means "a paid plan is needed" (Basic host): say so instead of a generic refusal. */
function planRequired(error: unknown): unknown {
  if (isIntegrationError(error, 'invalid_request') && error.status === 400 && Number(error.providerCode) === 200) {
    return zoomError('plan_required', `${error.message} (this needs a paid Zoom plan)`, { status: 400, providerCode: 200, retryable: false });
  }
  return error;
}

/**
 * The meeting's cloud recording as Zoom describes it (the same object a `recording.completed` webhook
 * carries in payload.object: id, uuid, share_url, password, recording_files[]), or null when there is
 * none (404, code 3301 "no recording"; also a meeting Zoom no longer knows). `meetingIdOrUuid`: a numeric
 * id (the latest instance) or an instance UUID (double-encoded when it starts with '/' or contains '//').
 */
export async function listRecordings(
  source: ZoomCredentialSource,
  meetingIdOrUuid: string,
  options?: ZoomCallOptions,
): Promise<Record<string, unknown> | null> {
  const path = /^\d+$/.test(meetingIdOrUuid) ? meetingPath(meetingIdOrUuid) : `/meetings/${encodeUuid(meetingIdOrUuid)}`;
  try {
    return await withToken(source, async (token) => {
      const response = await callApi(token, { method: 'GET', path: `${path}/recordings`, operation: 'list recordings' }, options);
      return parse(z.record(z.string(), z.unknown()), response, 'list recordings');
    });
  } catch (error) {
    if (isIntegrationError(error) && error.status === 404) return null;
    throw planRequired(error);
  }
}

/** Zoom: a UUID that starts with '/' or contains '//' must be URL-encoded twice. */
export function encodeUuid(uuid: string): string {
  const once = encodeURIComponent(uuid);
  return uuid.startsWith('/') || uuid.includes('//') ? encodeURIComponent(once) : once;
}

export type RegistrantInput = { email: string; firstName: string; lastName?: string };
export type ZoomRegistrant = { registrantId: string; joinUrl: string };

const registrantSchema = z.object({
  registrant_id: z.union([z.string(), z.number()]).transform(String),
  join_url: z.string().min(1),
});

/**
 * Adds a registrant (auto-approved) to a meeting whose registration is on (settings.approval_type 0):
 * their personal join link and registrant id (the participant records carry it). `plan_required` on a
 * Basic host; invalid_request (400/3000) when the meeting has no registration.
 */
export async function addMeetingRegistrant(
  source: ZoomCredentialSource,
  meetingId: string,
  input: RegistrantInput,
  options?: ZoomCallOptions,
): Promise<ZoomRegistrant> {
  const path = `${meetingPath(meetingId)}/registrants`;
  const body: Record<string, unknown> = { email: input.email, first_name: input.firstName.slice(0, 64) || input.email.slice(0, 64), auto_approve: true };
  if (input.lastName) body.last_name = input.lastName.slice(0, 64);
  try {
    return await withToken(source, async (token) => {
      const response = await callApi(token, { method: 'POST', path, json: body, operation: 'add registrant' }, options);
      const parsed = parse(registrantSchema, response, 'add registrant');
      return { registrantId: parsed.registrant_id, joinUrl: parsed.join_url };
    });
  } catch (error) {
    throw planRequired(error);
  }
}

export type DownloadOptions = { maxBytes: number; timeoutMs?: number; maxRedirects?: number };
export type DownloadResult = { kind: 'ok'; bytes: Buffer; contentType: string | null } | { kind: 'too_large'; bytes: number | null };

const DOWNLOAD_TIMEOUT_MS = 30_000;

/**
 * Downloads a recording file with `Authorization: Bearer <token>` (the webhook's download_token, or
 * the host's OAuth token), following redirects itself: the token is sent to the download URL's own
 * origin only, never to where Zoom redirects (a signed storage URL needs none). Stops reading past
 * `maxBytes` (`too_large`). 401 → unauthorized (an expired download token), 404 → not_found,
 * timeouts / network / 5xx → unavailable.
 */
export async function downloadRecordingFile(url: string, token: string, options: DownloadOptions): Promise<DownloadResult> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS);
  const first = new URL(url);
  let current = first;
  for (let hop = 0; hop <= (options.maxRedirects ?? 5); hop++) {
    if (current.protocol !== 'https:' && current.protocol !== 'http:') throw zoomError('invalid_request', 'Zoom download: unsupported URL');
    const headers: Record<string, string> = {};
    if (current.origin === first.origin) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(current, { headers, signal, redirect: 'manual' });
    } catch (error) {
      throw zoomError('unavailable', `Zoom download failed (${signal.aborted ? 'timed out' : 'network error'})`, { cause: error });
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (!location) throw zoomError('unexpected_response', `Zoom download: ${response.status} without Location`, { status: response.status });
      current = new URL(location, current);
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      const status = response.status;
      if (status === 401) throw zoomError('unauthorized', 'Zoom download: 401 (token expired or not accepted)', { status });
      if (status === 404) throw zoomError('not_found', 'Zoom download: 404 (file gone)', { status });
      if (status === 403) throw zoomError('forbidden', 'Zoom download: 403', { status });
      if (status >= 500 || status === 429) throw zoomError('unavailable', `Zoom download: ${status}`, { status, retryable: true });
      throw zoomError('invalid_request', `Zoom download: ${status}`, { status });
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel();
      return { kind: 'too_large', bytes: declared };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    try {
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > options.maxBytes) {
          await reader.cancel().catch(() => undefined);
          return { kind: 'too_large', bytes: null };
        }
        chunks.push(Buffer.from(value));
      }
    } catch (error) {
      throw zoomError('unavailable', `Zoom download failed while reading (${signal.aborted ? 'timed out' : 'network error'})`, { cause: error });
    }
    return { kind: 'ok', bytes: Buffer.concat(chunks), contentType: response.headers.get('content-type') };
  }
  throw zoomError('unexpected_response', 'Zoom download: too many redirects');
}
