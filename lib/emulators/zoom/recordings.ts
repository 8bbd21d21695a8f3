import { createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { apiError, b64url, HttpError, isoSeconds, origin, rateHeaders, trackingId, type ZoomContext } from './http';
import { jsonResponse } from './json';
import { type ApiContext, requireScope, SCOPES, s2sAppOf } from './oauth';
import { findPastMeeting } from './past-meetings';
import { recordingPage } from './pages';
import type { EmulatorMeeting, EmulatorUser, MeetingInstance, MeetingRecording, PastParticipant, RecordingFileRecord } from './state';

/**
 * Zoom cloud recordings: the files a simulated meeting leaves (MP4, M4A, VTT transcript), the
 * recording object of `recording.completed` and of `GET /v2/meetings/{id}/recordings`, download
 * tokens (HMAC-signed JWT-like strings, 24 h), and the file download: `GET {download_url}` with a
 * Bearer download token or the host's OAuth token (or `?access_token=`) → 302 to a short-lived
 * signed URL (`/rec/file/{id}?exp&sig`, Zoom's CDN) that serves the bytes.
 */

const DAY_SECONDS = 24 * 3600;
const FILE_URL_TTL_SECONDS = 300;

function signingKey(emu: ZoomContext): Buffer {
  return createHmac('sha256', `${emu.options.clientSecret}:${emu.options.webhookSecretToken}`).update('aki-zoom-emulator:recordings').digest();
}

const sign = (emu: ZoomContext, data: string) => createHmac('sha256', signingKey(emu)).update(data).digest('base64url');

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A download token for the meeting's recordings (Zoom: a JWT valid about 24 h). Checkable without state. */
export function mintDownloadToken(emu: ZoomContext, meeting: EmulatorMeeting, host: EmulatorUser | undefined, ttlSeconds = DAY_SECONDS): string {
  const iat = Math.floor(emu.now() / 1000);
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const payload = b64url(
    JSON.stringify({ aud: 'https://zoom.us', iss: 'web', sub: 'download', mid: meeting.id.toString(), uid: meeting.hostId, aid: host?.accountId ?? '', iat, exp: iat + ttlSeconds }),
  );
  return `${header}.${payload}.${sign(emu, `${header}.${payload}`)}`;
}

/** The meeting id a download token is valid for, or why not. */
function checkDownloadToken(emu: ZoomContext, token: string): { meetingId: string } | { problem: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { problem: 'Invalid access token.' };
  const [header, payload, signature] = parts as [string, string, string];
  if (!safeEqual(signature, sign(emu, `${header}.${payload}`))) return { problem: 'Invalid access token.' };
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string; mid?: string; exp?: number };
    if (claims.sub !== 'download' || typeof claims.mid !== 'string' || typeof claims.exp !== 'number') return { problem: 'Invalid access token.' };
    if (claims.exp * 1000 <= emu.now()) return { problem: 'Access token is expired.' };
    return { meetingId: claims.mid };
  } catch {
    return { problem: 'Invalid access token.' };
  }
}

const PHRASES = [
  'こんにちは、本日はよろしくお願いします。',
  'Hello, thanks for making the time today.',
  'では、始めましょうか。',
  'Could you tell me a bit about your project?',
  'ありがとうございます。資料は後ほどお送りします。',
  'Great, see you next time.',
];

const vttTime = (ms: number) => {
  const total = Math.max(0, ms);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(total % 1000, 3)}`;
};

/** A WEBVTT transcript in which every distinct participant speaks (two rounds, four seconds a cue). */
export function transcriptText(participants: PastParticipant[]): string {
  const names: string[] = [];
  for (const p of participants) if (!names.includes(p.name)) names.push(p.name);
  const cues: string[] = [];
  for (let round = 0; round < 2; round++) {
    for (const name of names) {
      const index = cues.length;
      const start = 1000 + index * 4000;
      cues.push(`${index + 1}\n${vttTime(start)} --> ${vttTime(start + 3000)}\n${name}: ${PHRASES[index % PHRASES.length]}`);
    }
  }
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

function newPasscode(length: number): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** The files of an ended instance: MP4 (speaker view with shared screen), M4A, and the VTT transcript when asked. */
export function makeRecording(instance: MeetingInstance, withTranscript: boolean): MeetingRecording {
  const start = instance.startTime;
  const end = instance.endTime ?? start;
  const minutes = Math.max(1, Math.round((Date.parse(end) - Date.parse(start)) / 60_000));
  const files: RecordingFileRecord[] = [
    {
      id: randomUUID(),
      fileType: 'MP4',
      fileExtension: 'MP4',
      recordingType: 'shared_screen_with_speaker_view',
      fileSize: minutes * 1_150_000 + randomInt(10_000, 90_000),
      recordingStart: start,
      recordingEnd: end,
    },
    {
      id: randomUUID(),
      fileType: 'M4A',
      fileExtension: 'M4A',
      recordingType: 'audio_only',
      fileSize: minutes * 118_000 + randomInt(1_000, 9_000),
      recordingStart: start,
      recordingEnd: end,
    },
  ];
  if (withTranscript) {
    const content = transcriptText(instance.participants);
    files.push({
      id: randomUUID(),
      fileType: 'TRANSCRIPT',
      fileExtension: 'VTT',
      recordingType: 'audio_transcript',
      fileSize: Buffer.byteLength(content),
      recordingStart: start,
      recordingEnd: end,
      content,
    });
  }
  return { shareId: randomBytes(30).toString('base64url'), password: newPasscode(8), playPasscode: randomBytes(24).toString('base64url'), files };
}

/** Zoom's recording object; `type` is a number in the webhook and a STRING in the REST answer. */
export function recordingObject(
  base: string,
  meeting: EmulatorMeeting,
  host: EmulatorUser | undefined,
  instance: MeetingInstance,
  recording: MeetingRecording,
  typeAs: 'number' | 'string',
) {
  const duration = Math.max(1, Math.round((Date.parse(instance.endTime ?? instance.startTime) - Date.parse(instance.startTime)) / 60_000));
  return {
    uuid: instance.uuid,
    id: meeting.id,
    account_id: host?.accountId ?? '',
    host_id: meeting.hostId,
    topic: meeting.topic,
    type: typeAs === 'string' ? String(meeting.type) : meeting.type,
    start_time: instance.startTime,
    timezone: meeting.timezone,
    host_email: host?.email ?? '',
    duration,
    total_size: recording.files.reduce((sum, file) => sum + file.fileSize, 0),
    recording_count: recording.files.length,
    share_url: `${base}/rec/share/${recording.shareId}`,
    recording_files: recording.files.map((file) => ({
      id: file.id,
      meeting_id: instance.uuid,
      recording_start: file.recordingStart,
      recording_end: file.recordingEnd,
      file_type: file.fileType,
      file_extension: file.fileExtension,
      file_size: file.fileSize,
      ...(file.fileType === 'TRANSCRIPT' ? {} : { play_url: `${base}/rec/play/${file.id}` }),
      download_url: `${base}/rec/download/${file.id}`,
      status: 'completed',
      recording_type: file.recordingType,
    })),
    password: recording.password,
    recording_play_passcode: recording.playPasscode,
  };
}

/** `GET /v2/meetings/{meetingId|uuid}/recordings[?include_fields=download_access_token&ttl=]`. */
export function listRecordings(emu: ZoomContext, ctx: ApiContext, request: Request, rawId: string): Response {
  requireScope(ctx, SCOPES.listRecordings);
  const notFound = () => new HttpError(apiError(404, 3301, 'This recording does not exist.'));
  let found: ReturnType<typeof findPastMeeting>;
  try {
    found = findPastMeeting(emu, ctx, rawId);
  } catch {
    throw notFound();
  }
  const { meeting, instance: byUuid } = found;
  const instance = byUuid ?? (meeting.instances ?? []).filter((i) => i.recording !== null).at(-1);
  if (!instance?.recording) throw notFound();
  const url = new URL(request.url);
  const host = emu.state.users.find((u) => u.id === meeting.hostId);
  const body: Record<string, unknown> = recordingObject(origin(emu, request), meeting, host, instance, instance.recording, 'string');
  if ((url.searchParams.get('include_fields') ?? '').split(',').includes('download_access_token')) {
    const ttl = Number(url.searchParams.get('ttl') ?? DAY_SECONDS);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 604_800) throw new HttpError(apiError(400, 300, 'Invalid field: ttl.'));
    body.download_access_token = mintDownloadToken(emu, meeting, host, ttl);
  }
  return jsonResponse(body, 200, { 'x-zm-trackingid': trackingId(), ...rateHeaders('Light') });
}

function findFile(emu: ZoomContext, fileId: string) {
  for (const meeting of emu.state.meetings) {
    for (const instance of meeting.instances ?? []) {
      const file = instance.recording?.files.find((f) => f.id === fileId);
      if (file && instance.recording) return { meeting, instance, recording: instance.recording, file };
    }
  }
  return undefined;
}

/** Bytes of a file: the stored transcript, or filler that starts like the container it claims to be. */
function fileBytes(file: RecordingFileRecord): { bytes: Buffer; type: string } {
  if (file.fileType === 'TRANSCRIPT') return { bytes: Buffer.from(file.content ?? 'WEBVTT\n'), type: 'text/vtt; charset=utf-8' };
  const brand = file.fileType === 'MP4' ? 'mp42' : 'M4A ';
  const bytes = Buffer.alloc(file.fileType === 'MP4' ? 6144 : 3072, 0);
  bytes.writeUInt32BE(24, 0);
  bytes.write(`ftyp${brand}`, 4, 'latin1');
  bytes.write(`isom${brand}`, 16, 'latin1');
  return { bytes, type: file.fileType === 'MP4' ? 'video/mp4' : 'audio/mp4' };
}

function requesterMayDownload(emu: ZoomContext, request: Request, url: URL, meeting: EmulatorMeeting): string | null {
  const header = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  const token = header ?? url.searchParams.get('access_token');
  if (!token) return 'Invalid access token.';
  // The host's OAuth access token works too.
  const access = emu.state.accessTokens.find((t) => t.token === token);
  if (access) {
    const set = emu.state.tokenSets.find((s) => s.id === access.setId);
    if (!set || set.revokedAt !== null) return 'Invalid access token.';
    if (set.accountId !== undefined && !s2sAppOf(emu, set)?.activated) return 'Invalid access token.';
    if (access.expiresAt <= emu.now()) return 'Access token is expired.';
    if (set.accountId !== undefined) {
      // An account (Server-to-Server) token downloads the recordings of every user of its account.
      const host = emu.state.users.find((u) => u.id === meeting.hostId);
      return host?.accountId === set.accountId ? null : 'Invalid access token.';
    }
    return set.userId === meeting.hostId ? null : 'Invalid access token.';
  }
  const checked = checkDownloadToken(emu, token);
  if ('problem' in checked) return checked.problem;
  return checked.meetingId === meeting.id.toString() ? null : 'Invalid access token.';
}

/**
 * The recording web routes: `/rec/download/{fileId}` (token → 302), `/rec/file/{fileId}?exp&sig`
 * (the bytes), `/rec/play/{fileId}` and `/rec/share/{shareId}` (pages). null when the path is none of them.
 */
export function recordingWeb(emu: ZoomContext, request: Request, path: string): Response | null {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  const url = new URL(request.url);
  const match = /^\/rec\/(download|file|play|share)\/([^/]+)$/.exec(path);
  if (!match) return null;
  const [, kind, id] = match as unknown as [string, string, string];
  if (kind === 'share') {
    const owner = emu.state.meetings.find((m) => (m.instances ?? []).some((i) => i.recording?.shareId === id));
    if (!owner) return recordingPage('This recording does not exist.', []);
    return recordingPage(`Recording: ${owner.topic}`, ['Enter the passcode to view this recording.']);
  }
  const found = findFile(emu, id);
  if (!found) return new Response('File not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  const { meeting, file } = found;
  if (kind === 'play') return recordingPage(`Recording: ${meeting.topic}`, [`${file.fileType} · ${file.recordingType}`, 'Enter the passcode to play this recording.']);
  if (kind === 'download') {
    const problem = requesterMayDownload(emu, request, url, meeting);
    if (problem) return apiError(401, 124, problem);
    const exp = Math.floor(emu.now() / 1000) + FILE_URL_TTL_SECONDS;
    const location = `${origin(emu, request)}/rec/file/${file.id}?exp=${exp}&sig=${sign(emu, `${file.id}:${exp}`)}`;
    return new Response(null, { status: 302, headers: { location, 'x-zm-trackingid': trackingId() } });
  }
  const exp = Number(url.searchParams.get('exp'));
  const sig = url.searchParams.get('sig') ?? '';
  if (!Number.isInteger(exp) || !safeEqual(sig, sign(emu, `${file.id}:${exp}`)) || exp * 1000 <= emu.now()) {
    return new Response('<Error><Code>AccessDenied</Code><Message>Request has expired or the signature is invalid</Message></Error>', {
      status: 403,
      headers: { 'content-type': 'application/xml' },
    });
  }
  const { bytes, type } = fileBytes(file);
  const name = `${isoSeconds(Date.parse(file.recordingStart)).replace(/[-:]/g, '')}_${file.recordingType}.${file.fileExtension.toLowerCase()}`;
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), {
    status: 200,
    headers: { 'content-type': type, 'content-length': String(bytes.length), 'content-disposition': `attachment; filename="${name}"` },
  });
}
