import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveFetchHandler } from '../serve';
import { createZoomEmulator, type ZoomEmulator } from './emulator';
import { startZoomEmulator } from './testing';

/**
 * The emulator after the meeting, over real HTTP: simulate (signed webhooks in Zoom's shapes, order,
 * duplicates), past meeting + participants (paging and quirks), recordings (int64 ids, download
 * tokens, redirect, 401), registrants, and meetings deleted or moved "in Zoom".
 */

const SECRET = 'test-webhook-secret';
const DEMO = 'KdYKjnimT4KPd8FFgQt9FQ';
const BASIC_USER = 'p3Vb8hL0QZ-9xKcN2rTj4w';

type Delivery = { event: string; text: string; body: Record<string, unknown>; headers: Headers; path: string };
let deliveries: Delivery[] = [];
let emulator: ZoomEmulator;
let url: string;
let close: () => Promise<void>;
let closeReceiver: () => void;
let receiverBase: string;

beforeAll(async () => {
  const receiver = await serveFetchHandler(async (request) => {
    const text = await request.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    deliveries.push({ event: String(body.event), text, body, headers: request.headers, path: new URL(request.url).pathname });
    return new Response(null, { status: 204 });
  }, 0);
  const address = receiver.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  closeReceiver = () => {
    receiver.closeAllConnections();
    receiver.close();
  };
  receiverBase = `http://127.0.0.1:${port}`;
  ({ emulator, url, close } = await startZoomEmulator({ webhookTargetUrl: `${receiverBase}/hook` }));
});

afterAll(async () => {
  await close();
  closeReceiver();
});

beforeEach(() => {
  emulator.reset();
  deliveries = [];
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

function tokenFor(user = DEMO): string {
  return emulator.issueTokenSet(user).access_token;
}

async function createMeeting(token: string, extra: Record<string, unknown> = {}): Promise<{ id: string; uuid: string; text: string }> {
  const response = await fetch(`${url}/v2/users/me/meetings`, {
    method: 'POST',
    headers: bearer(token),
    body: JSON.stringify({ topic: 'Intro call', start_time: '2031-05-01T01:00:00Z', duration: 30, ...extra }),
  });
  expect(response.status).toBe(201);
  const text = await response.text();
  return { id: /"id":(\d+)/.exec(text)![1]!, uuid: /"uuid":"([^"]+)"/.exec(text)![1]!, text };
}

async function control(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}/__control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const HELD = {
  participants: [
    { name: 'Demo Host', host: true, joinAt: '2031-05-01T00:58:00Z', leaveAt: '2031-05-01T01:31:00Z' },
    { name: 'Aiko Tanaka', email: 'aiko@example.com', joinAt: '2031-05-01T01:01:00Z', leaveAt: '2031-05-01T01:10:00Z' },
    { name: 'Aiko Tanaka', email: 'aiko@example.com', joinAt: '2031-05-01T01:12:00Z', leaveAt: '2031-05-01T01:30:00Z' },
    { name: 'Phone guest', joinAt: '2031-05-01T01:05:00Z', leaveAt: '2031-05-01T01:06:00Z' },
  ],
  end: true,
  recording: true,
  transcript: true,
};

const simulate = (id: string, body: unknown) => control(`meetings/${id}/simulate`, body);

describe('simulate', () => {
  it('records the instance and sends signed webhooks in Zoom shapes, chronologically', async () => {
    const token = tokenFor();
    const meeting = await createMeeting(token);
    const { status, json } = await simulate(meeting.id, HELD);
    expect(status).toBe(200);
    expect(json.uuid).toBe(meeting.uuid);
    expect(json.recordingFiles).toBe(3);
    expect(deliveries.map((d) => d.event)).toEqual([
      'meeting.started',
      'meeting.participant_joined', // host 00:58
      'meeting.participant_joined', // Aiko 01:01
      'meeting.participant_joined', // phone 01:05
      'meeting.participant_left', // phone 01:06
      'meeting.participant_left', // Aiko 01:10
      'meeting.participant_joined', // Aiko 01:12
      'meeting.participant_left', // Aiko 01:30
      'meeting.participant_left', // host 01:31
      'meeting.ended',
      'recording.completed',
    ]);
    expect((json.webhooks as { event: string; status: number }[]).every((w) => w.status === 204)).toBe(true);

    for (const d of deliveries) {
      const timestamp = d.headers.get('x-zm-request-timestamp')!;
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
      const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${d.text}`).digest('hex')}`;
      expect(d.headers.get('x-zm-signature')).toBe(expected);
    }
    const [started] = deliveries;
    expect(started!.text).toContain(`"id":"${meeting.id}"`); // a STRING in meeting.started
    expect(started!.body.event_ts).toBe(Date.parse('2031-05-01T00:58:00Z'));
    expect((started!.body.payload as { object: Record<string, unknown> }).object).toMatchObject({
      uuid: meeting.uuid,
      host_id: DEMO,
      topic: 'Intro call',
      type: 2,
      start_time: '2031-05-01T00:58:00Z',
      duration: 30,
    });

    const participant = (d: Delivery) => (d.body.payload as { object: { participant: Record<string, unknown> } }).object.participant;
    const joins = deliveries.filter((d) => d.event === 'meeting.participant_joined').map(participant);
    const lefts = deliveries.filter((d) => d.event === 'meeting.participant_left').map(participant);
    expect(joins[0]).toMatchObject({ user_name: 'Demo Host', id: DEMO, email: 'demo.host@zoom-demo.example', join_time: '2031-05-01T00:58:00Z' });
    expect(joins[2]).toMatchObject({ user_name: 'Phone guest', id: '', email: '' });
    expect(typeof joins[1]!.user_id).toBe('string');
    expect(joins[1]!.user_id).toMatch(/^\d+$/);
    // A rejoin: same person (participant_uuid), a new per-join user_id.
    expect(joins[3]!.participant_uuid).toBe(joins[1]!.participant_uuid);
    expect(joins[3]!.user_id).not.toBe(joins[1]!.user_id);
    for (const left of lefts) {
      expect(left).not.toHaveProperty('join_time');
      expect(left.leave_time).toMatch(/Z$/);
      expect(left.leave_reason).toEqual(expect.stringContaining('left the meeting'));
    }
    const ended = deliveries.find((d) => d.event === 'meeting.ended')!;
    expect(ended.text).toContain(`"id":"${meeting.id}"`);
    expect((ended.body.payload as { object: Record<string, unknown> }).object.end_time).toBe('2031-05-01T01:31:00Z');

    const completed = deliveries.find((d) => d.event === 'recording.completed')!;
    // int64 as a bare JSON NUMBER, exact (JSON.parse would round it).
    expect(completed.text).toContain(`"id":${meeting.id},`);
    expect(BigInt(meeting.id)).toBeGreaterThan(2n ** 53n);
    expect(typeof completed.body.download_token).toBe('string');
    expect(Object.keys(completed.body)).toEqual(['event', 'payload', 'event_ts', 'download_token']);
    const object = (completed.body.payload as { object: Record<string, unknown> }).object;
    expect(object).toMatchObject({ uuid: meeting.uuid, host_id: DEMO, host_email: 'demo.host@zoom-demo.example', type: 2, recording_count: 3, duration: 33 });
    expect(object.share_url).toMatch(/\/rec\/share\//);
    expect(object.password).toEqual(expect.any(String));
    expect(object.recording_play_passcode).toEqual(expect.any(String));
    const files = object.recording_files as Record<string, unknown>[];
    expect(files.map((f) => [f.file_type, f.file_extension, f.recording_type])).toEqual([
      ['MP4', 'MP4', 'shared_screen_with_speaker_view'],
      ['M4A', 'M4A', 'audio_only'],
      ['TRANSCRIPT', 'VTT', 'audio_transcript'],
    ]);
    expect(files[0]).toMatchObject({ meeting_id: meeting.uuid, status: 'completed', recording_start: '2031-05-01T00:58:00Z', recording_end: '2031-05-01T01:31:00Z' });
    expect(files[0]!.file_size as number).toBeGreaterThan(1_000_000);
    expect(String(files[0]!.download_url)).toBe(`${url}/rec/download/${files[0]!.id}`);
    expect(String(files[0]!.play_url)).toBe(`${url}/rec/play/${files[0]!.id}`);

    const state = (await (await fetch(`${url}/__control/state`)).json()) as { meetings: { id: string; status: string; instances: unknown[] }[] };
    expect(state.meetings[0]).toMatchObject({ id: meeting.id, status: 'ended' });
    expect(state.meetings[0]!.instances).toHaveLength(1);
  });

  it('sends in reverse order and twice when asked; deliverWebhooks false sends nothing; later instances get new uuids', async () => {
    const meeting = await createMeeting(tokenFor());
    const { json } = await simulate(meeting.id, {
      participants: [
        { name: 'Demo Host', host: true, joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T01:20:00Z' },
        { name: 'Guest', email: 'g@example.com', joinAt: '2031-05-01T01:01:00Z', leaveAt: '2031-05-01T01:19:00Z' },
      ],
      webhookOrder: 'reverse',
      duplicateWebhooks: true,
    });
    const events = deliveries.map((d) => d.event);
    expect(events[0]).toBe('meeting.ended');
    expect(events.at(-1)).toBe('meeting.started');
    expect(events).toHaveLength(12); // started, 2 joins, 2 lefts, ended — each twice
    expect(deliveries[0]!.text).toBe(deliveries[1]!.text);
    expect(json.recordingFiles).toBe(0);

    deliveries = [];
    const second = await simulate(meeting.id, { participants: [{ name: 'Solo', joinAt: '2031-05-08T01:00:00Z', leaveAt: '2031-05-08T01:05:00Z' }], deliverWebhooks: false });
    expect(second.status).toBe(200);
    expect(second.json.uuid).not.toBe(meeting.uuid);
    expect(second.json.webhooks).toEqual([]);
    expect(deliveries).toEqual([]);

    // webhookTarget overrides the configured target.
    await simulate(meeting.id, { participants: [{ name: 'Solo', joinAt: '2031-05-09T01:00:00Z', leaveAt: '2031-05-09T01:05:00Z' }], webhookTarget: `${receiverBase}/other` });
    expect(deliveries.length).toBe(4);
    expect(new Set(deliveries.map((d) => d.path))).toEqual(new Set(['/other']));
    expect((await simulate(meeting.id, { participants: [], startAt: '2031-05-10T01:00:00Z', webhookTarget: 'ftp://x' })).status).toBe(400);
  });

  it('keeps a meeting running (status started) and ends it on the next call', async () => {
    const meeting = await createMeeting(tokenFor());
    const first = await simulate(meeting.id, { participants: [{ name: 'Demo Host', host: true, joinAt: '2031-05-01T01:00:00Z' }], end: false });
    expect(first.json.status).toBe('started');
    expect(deliveries.map((d) => d.event)).toEqual(['meeting.started', 'meeting.participant_joined']);
    deliveries = [];
    const second = await simulate(meeting.id, {
      participants: [{ name: 'Guest', email: 'g@example.com', joinAt: '2031-05-01T01:02:00Z', leaveAt: '2031-05-01T01:25:00Z' }],
      endAt: '2031-05-01T01:30:00Z',
    });
    expect(second.json.uuid).toBe(first.json.uuid);
    expect(deliveries.map((d) => d.event)).toEqual(['meeting.participant_joined', 'meeting.participant_left', 'meeting.participant_left', 'meeting.ended']);
    const hostLeft = (deliveries[2]!.body.payload as { object: { participant: Record<string, unknown> } }).object.participant;
    expect(hostLeft).toMatchObject({ id: DEMO, leave_time: '2031-05-01T01:30:00Z', leave_reason: expect.stringContaining('Host ended the meeting') });

    // Ending a running meeting without endAt: it ends at the last leave, never before someone left.
    const other = await createMeeting(tokenFor());
    await simulate(other.id, { participants: [{ name: 'Guest', email: 'g@example.com', joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T01:40:00Z' }], end: false, deliverWebhooks: false });
    expect((await simulate(other.id, { participants: [], deliverWebhooks: false })).status).toBe(200);
    const state = (await (await fetch(`${url}/__control/state`)).json()) as { meetings: { id: string; instances?: { endTime: string }[] }[] };
    expect(state.meetings.find((m) => m.id === other.id)!.instances![0]!.endTime).toBe('2031-05-01T01:40:00Z');
    expect((await simulate(other.id, { participants: [], deliverWebhooks: false })).status).toBe(400); // ended, and no one to start a new instance
  });

  it('refuses bad bodies (400 with a message) and unknown or deleted meetings (404)', async () => {
    const meeting = await createMeeting(tokenFor());
    const bad = async (body: unknown, message: string | RegExp) => {
      const { status, json } = await simulate(meeting.id, body);
      expect(status).toBe(400);
      expect(String(json.error)).toMatch(message);
    };
    await bad({ participants: [{ joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T01:10:00Z' }] }, 'participants[0].name is required');
    await bad({ participants: [{ name: 'A', joinAt: 'yesterday', leaveAt: '2031-05-01T01:10:00Z' }] }, 'participants[0].joinAt must be an ISO date-time');
    await bad({ participants: [{ name: 'A', joinAt: '2031-05-01T01:10:00Z', leaveAt: '2031-05-01T01:00:00Z' }] }, 'leaveAt is before its joinAt');
    await bad({ participants: 'x' }, 'participants must be an array');
    await bad({ participants: [] }, 'give at least one, or startAt');
    await bad({ participants: [{ name: 'A', joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T01:10:00Z' }], end: false, recording: true }, 'recording needs end');
    await bad(
      {
        participants: [
          { name: 'A', joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T01:10:00Z' },
          { name: 'A', joinAt: '2031-05-01T01:05:00Z', leaveAt: '2031-05-01T01:20:00Z' },
        ],
      },
      'rejoins before leaving',
    );
    await bad({ participants: [{ name: 'A', registrant: true, joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T01:10:00Z' }] }, 'registrant needs an email');
    expect(deliveries).toEqual([]);
    expect((await simulate('12345', HELD)).status).toBe(404);
    await control(`meetings/${meeting.id}`, { deleted: true });
    expect((await simulate(meeting.id, HELD)).status).toBe(404);
  });
});

describe('past meetings REST', () => {
  it('answers 404 3001 before the end, then the details and every segment, paged', async () => {
    const token = tokenFor();
    const meeting = await createMeeting(token);
    const get = (path: string, auth = token) => fetch(`${url}/v2${path}`, { headers: bearer(auth) });
    const before = await get(`/past_meetings/${meeting.id}`);
    expect(before.status).toBe(404);
    expect(await before.json()).toEqual({ code: 3001, message: 'Meeting ID is invalid or not end.' });
    expect((await get(`/past_meetings/${meeting.id}/participants`)).status).toBe(404);
    await simulate(meeting.id, { participants: [{ name: 'Demo Host', host: true, joinAt: '2031-05-01T01:00:00Z' }], end: false, deliverWebhooks: false });
    expect(await (await get(`/past_meetings/${meeting.id}/participants`)).json()).toMatchObject({ code: 3001 });

    await simulate(meeting.id, { ...HELD, participants: HELD.participants.slice(1), endAt: '2031-05-01T01:31:00Z', deliverWebhooks: false });
    const details = await get(`/past_meetings/${meeting.id}`);
    expect(details.status).toBe(200);
    expect(details.headers.get('x-zm-trackingid')).toMatch(/^v=2\.0;/);
    expect(details.headers.get('x-ratelimit-category')).toBe('Light');
    const detailsText = await details.text();
    expect(detailsText).toContain(`"id":${meeting.id},`);
    expect(JSON.parse(detailsText)).toMatchObject({
      uuid: meeting.uuid,
      host_id: DEMO,
      type: 2,
      topic: 'Intro call',
      user_name: 'Demo Host',
      user_email: 'demo.host@zoom-demo.example',
      start_time: '2031-05-01T01:00:00Z',
      end_time: '2031-05-01T01:31:00Z',
      duration: 31,
      participants_count: 4,
      total_minutes: 31 + 9 + 18 + 1,
      source: 'Zoom',
    });
    // By uuid too (double-encoded as Zoom wants for uuids with / or //).
    const byUuid = await get(`/past_meetings/${encodeURIComponent(encodeURIComponent(meeting.uuid))}`);
    expect(byUuid.status).toBe(200);

    type Page = { next_page_token: string; page_count: number; page_size: number; total_records: number; participants: Record<string, unknown>[] };
    const first = (await (await get(`/past_meetings/${meeting.id}/participants?page_size=3`)).json()) as Page;
    expect(first).toMatchObject({ page_count: 2, page_size: 3, total_records: 4 });
    expect(first.next_page_token).not.toBe('');
    const second = (await (await get(`/past_meetings/${meeting.id}/participants?next_page_token=${first.next_page_token}`)).json()) as Page;
    expect(second.next_page_token).toBe('');
    const all = [...first.participants, ...second.participants];
    expect(all).toHaveLength(4);
    expect(all.map((p) => p.name)).toEqual(['Demo Host', 'Aiko Tanaka', 'Phone guest', 'Aiko Tanaka']);
    expect(all[0]).toMatchObject({ id: DEMO, user_email: 'demo.host@zoom-demo.example', join_time: '2031-05-01T01:00:00Z', leave_time: '2031-05-01T01:31:00Z', duration: 1860, internal_user: true });
    expect(all[1]).toMatchObject({ id: '', user_email: 'aiko@example.com', duration: 540, failover: false, status: 'in_meeting', internal_user: false });
    expect(all[2]).toMatchObject({ user_email: '' });
    expect(all[1]!.user_id).toMatch(/^\d+$/);
    expect((await get(`/past_meetings/${meeting.id}/participants?next_page_token=bogus`)).status).toBe(400);
    // Page size is capped at 300.
    expect(((await (await get(`/past_meetings/${meeting.id}/participants?page_size=1000`)).json()) as Page).page_size).toBe(300);
    // The token's 15 minutes run out.
    emulator.state.clockOffsetMs += 16 * 60_000;
    const expired = await get(`/past_meetings/${meeting.id}/participants?next_page_token=${first.next_page_token}`);
    expect(expired.status).toBe(400);
  });

  it('lists nobody for a one-person meeting, refuses Basic hosts (400 code 200), checks scopes (granular or classic)', async () => {
    const token = tokenFor();
    const solo = await createMeeting(token);
    await simulate(solo.id, {
      participants: [
        { name: 'Demo Host', host: true, joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T01:05:00Z' },
        { name: 'Demo Host', host: true, joinAt: '2031-05-01T01:06:00Z', leaveAt: '2031-05-01T01:09:00Z' },
      ],
      deliverWebhooks: false,
    });
    const empty = await fetch(`${url}/v2/past_meetings/${solo.id}/participants`, { headers: bearer(token) });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ total_records: 0, participants: [], next_page_token: '' });
    expect(await (await fetch(`${url}/v2/past_meetings/${solo.id}`, { headers: bearer(token) })).json()).toMatchObject({ participants_count: 2 });

    const basicToken = tokenFor(BASIC_USER);
    const basicMeeting = await createMeeting(basicToken);
    await simulate(basicMeeting.id, { ...HELD, participants: HELD.participants.slice(1), recording: false, transcript: false, deliverWebhooks: false });
    const paid = await fetch(`${url}/v2/past_meetings/${basicMeeting.id}/participants`, { headers: bearer(basicToken) });
    expect(paid.status).toBe(400);
    expect(await paid.json()).toEqual({ code: 200, message: `Only available for Paid or ZMP account: ${BASIC_USER}` });
    // Another host's meeting does not exist for this token.
    expect((await fetch(`${url}/v2/past_meetings/${basicMeeting.id}`, { headers: bearer(token) })).status).toBe(404);

    emulator.state.users[0]!.scopes = ['meeting:read'];
    const classic = tokenFor();
    expect((await fetch(`${url}/v2/past_meetings/${solo.id}/participants`, { headers: bearer(classic) })).status).toBe(200);
    emulator.state.users[0]!.scopes = ['meeting:read:meeting'];
    const narrow = tokenFor();
    const denied = await fetch(`${url}/v2/past_meetings/${solo.id}/participants`, { headers: bearer(narrow) });
    expect(await denied.json()).toEqual({
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[meeting:read:list_past_participants:admin, meeting:read:list_past_participants].',
    });
    expect(await (await fetch(`${url}/v2/past_meetings/${solo.id}`, { headers: bearer(narrow) })).json()).toMatchObject({ code: 4711 });
    expect(await (await fetch(`${url}/v2/meetings/${solo.id}/recordings`, { headers: bearer(narrow) })).json()).toMatchObject({ code: 4711 });
  });
});

describe('recordings', () => {
  it('lists the files (type a STRING, id an exact int64), mints download tokens, redirects downloads, refuses without a token', async () => {
    const token = tokenFor();
    const meeting = await createMeeting(token);
    const none = await fetch(`${url}/v2/meetings/${meeting.id}/recordings`, { headers: bearer(token) });
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ code: 3301, message: 'This recording does not exist.' });
    await simulate(meeting.id, HELD);
    const webhookToken = String(deliveries.find((d) => d.event === 'recording.completed')!.body.download_token);

    const listed = await fetch(`${url}/v2/meetings/${meeting.id}/recordings?include_fields=download_access_token`, { headers: bearer(token) });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).toContain(`"id":${meeting.id},`);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toMatchObject({ uuid: meeting.uuid, type: '2', host_id: DEMO, recording_count: 3, share_url: expect.any(String), password: expect.any(String) });
    expect(body.recording_play_passcode).toEqual(expect.any(String));
    expect(body.download_access_token).toEqual(expect.any(String));
    expect(body.total_size).toBe((body.recording_files as { file_size: number }[]).reduce((s, f) => s + f.file_size, 0));
    const plain = (await (await fetch(`${url}/v2/meetings/${meeting.id}/recordings`, { headers: bearer(token) })).json()) as Record<string, unknown>;
    expect(plain).not.toHaveProperty('download_access_token');
    const byUuid = await fetch(`${url}/v2/meetings/${encodeURIComponent(encodeURIComponent(meeting.uuid))}/recordings`, { headers: bearer(token) });
    expect(byUuid.status).toBe(200);

    const files = body.recording_files as { file_type: string; download_url: string; file_size: number }[];
    const transcript = files.find((f) => f.file_type === 'TRANSCRIPT')!;
    const mp4 = files.find((f) => f.file_type === 'MP4')!;

    const noToken = await fetch(transcript.download_url, { redirect: 'manual' });
    expect(noToken.status).toBe(401);
    expect((await fetch(transcript.download_url, { redirect: 'manual', headers: { authorization: 'Bearer nope.nope.nope' } })).status).toBe(401);
    const tampered = `${webhookToken.slice(0, -2)}xx`;
    expect((await fetch(transcript.download_url, { redirect: 'manual', headers: { authorization: `Bearer ${tampered}` } })).status).toBe(401);

    const redirected = await fetch(transcript.download_url, { redirect: 'manual', headers: { authorization: `Bearer ${webhookToken}` } });
    expect(redirected.status).toBe(302);
    const location = redirected.headers.get('location')!;
    expect(location).toContain('/rec/file/');
    expect(location).not.toBe(transcript.download_url);
    const followed = await fetch(transcript.download_url, { headers: { authorization: `Bearer ${webhookToken}` } });
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toContain('text/vtt');
    const vtt = await followed.text();
    expect(vtt).toMatch(/^WEBVTT\n\n1\n00:00:01\.000 --> 00:00:04\.000\nDemo Host: /);
    expect(vtt).toContain('Aiko Tanaka: ');
    expect(vtt).toContain('Phone guest: ');
    expect(Buffer.byteLength(vtt)).toBe(transcript.file_size);
    // The signed file URL itself needs its signature.
    expect((await fetch(location.replace(/sig=[^&]+/, 'sig=forged'))).status).toBe(403);

    // ?access_token= with the REST download_access_token, and the host's OAuth token, work too.
    const viaQuery = await fetch(`${mp4.download_url}?access_token=${body.download_access_token}`);
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await viaQuery.arrayBuffer());
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect((await fetch(mp4.download_url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    // Another user's OAuth token, or another meeting's download token, is refused.
    expect((await fetch(mp4.download_url, { redirect: 'manual', headers: { authorization: `Bearer ${tokenFor(BASIC_USER)}` } })).status).toBe(401);
    const other = await createMeeting(token);
    await simulate(other.id, { ...HELD, deliverWebhooks: false });
    const otherToken = (await (await fetch(`${url}/v2/meetings/${other.id}/recordings?include_fields=download_access_token`, { headers: bearer(token) })).json()) as {
      download_access_token: string;
    };
    expect((await fetch(mp4.download_url, { redirect: 'manual', headers: { authorization: `Bearer ${otherToken.download_access_token}` } })).status).toBe(401);

    // Download tokens last 24 hours.
    emulator.state.clockOffsetMs += 25 * 3600_000;
    const expired = await fetch(transcript.download_url, { redirect: 'manual', headers: { authorization: `Bearer ${webhookToken}` } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ code: 124, message: 'Access token is expired.' });
    const calls = emulator.state.calls.filter((c) => c.path.startsWith('/rec/download/'));
    expect(calls.length).toBeGreaterThan(3);
  });
});

describe('registrants', () => {
  it('needs registration enabled and a paid host, validates, returns the same registrant for the same email, and marks the participant', async () => {
    const token = tokenFor();
    const closed = await createMeeting(token);
    const register = (id: string, body: unknown, auth = token) => fetch(`${url}/v2/meetings/${id}/registrants`, { method: 'POST', headers: bearer(auth), body: JSON.stringify(body) });
    const notEnabled = await register(closed.id, { email: 'aiko@example.com', first_name: 'Aiko' });
    expect(notEnabled.status).toBe(400);
    expect(await notEnabled.json()).toEqual({ code: 3000, message: `Registration has not been enabled for this meeting: ${closed.id}.` });

    const open = await createMeeting(token, { settings: { approval_type: 0 } });
    const created = await register(open.id, { email: 'aiko@example.com', first_name: 'Aiko', last_name: 'Tanaka', auto_approve: true });
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).toContain(`"id":${open.id},`);
    const registrant = JSON.parse(text) as Record<string, string>;
    expect(registrant).toMatchObject({ topic: 'Intro call', start_time: '2031-05-01T01:00:00Z' });
    expect(registrant.registrant_id).toMatch(/^[\w-]{22}$/);
    expect(registrant.join_url).toMatch(new RegExp(`/j/${open.id}\\?tk=`));
    const again = (await (await register(open.id, { email: 'AIKO@example.com', first_name: 'Aiko' })).json()) as Record<string, string>;
    expect(again.registrant_id).toBe(registrant.registrant_id);
    expect(again.join_url).toBe(registrant.join_url);

    const invalid = await register(open.id, { email: 'not-an-email', first_name: 'x'.repeat(65) });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 300, errors: [{ field: 'email' }, { field: 'first_name' }] });

    const state = (await (await fetch(`${url}/__control/state`)).json()) as { meetings: { id: string; registrants?: { id: string; email: string; status: string }[] }[] };
    expect(state.meetings.find((m) => m.id === open.id)!.registrants).toEqual([expect.objectContaining({ id: registrant.registrant_id, email: 'aiko@example.com', status: 'approved' })]);

    // The simulated participant who registered carries the registrant id (REST and webhooks).
    await simulate(open.id, {
      participants: [
        { name: 'Demo Host', host: true, joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T01:30:00Z' },
        { name: 'Aiko Tanaka', email: 'aiko@example.com', registrant: true, joinAt: '2031-05-01T01:01:00Z', leaveAt: '2031-05-01T01:29:00Z' },
        { name: 'Ken', email: 'ken@example.com', registrant: true, joinAt: '2031-05-01T01:02:00Z', leaveAt: '2031-05-01T01:03:00Z' },
      ],
    });
    const joined = deliveries.filter((d) => d.event === 'meeting.participant_joined').map((d) => (d.body.payload as { object: { participant: Record<string, unknown> } }).object.participant);
    expect(joined[1]!.registrant_id).toBe(registrant.registrant_id);
    expect(joined[0]).not.toHaveProperty('registrant_id');
    const listed = (await (await fetch(`${url}/v2/past_meetings/${open.id}/participants`, { headers: bearer(token) })).json()) as { participants: Record<string, unknown>[] };
    expect(listed.participants[1]!.registrant_id).toBe(registrant.registrant_id);
    expect(listed.participants[2]!.registrant_id).toMatch(/^[\w-]{22}$/); // created for Ken

    const basicToken = tokenFor(BASIC_USER);
    const basicMeeting = await createMeeting(basicToken, { settings: { approval_type: 0 } });
    expect(await (await register(basicMeeting.id, { email: 'a@example.com', first_name: 'A' }, basicToken)).json()).toEqual({
      code: 200,
      message: `Only available for Paid or ZMP account: ${BASIC_USER}`,
    });
  });
});

describe('changes made in Zoom', () => {
  it('deletes a meeting (meeting.deleted, id a NUMBER) and moves one (meeting.updated with old_object)', async () => {
    const token = tokenFor();
    const meeting = await createMeeting(token);
    const moved = await control(`meetings/${meeting.id}`, { startTime: '2031-05-02T03:00:00Z', duration: 45, deliverWebhooks: true });
    expect(moved.status).toBe(200);
    expect(moved.json.webhooks).toEqual([{ event: 'meeting.updated', status: 204 }]);
    const updated = deliveries[0]!;
    expect(updated.text).toContain(`"object":{"id":${meeting.id},`);
    expect(updated.body.payload).toMatchObject({
      account_id: expect.any(String),
      operator: 'demo.host@zoom-demo.example',
      operator_id: DEMO,
      object: { start_time: '2031-05-02T03:00:00Z', duration: 45 },
      old_object: { start_time: '2031-05-01T01:00:00Z', duration: 30 },
      time_stamp: expect.any(Number),
    });
    const read = (await (await fetch(`${url}/v2/meetings/${meeting.id}`, { headers: bearer(token) })).json()) as Record<string, unknown>;
    expect(read).toMatchObject({ start_time: '2031-05-02T03:00:00Z', duration: 45 });

    // Without deliverWebhooks nothing is sent; status still works.
    deliveries = [];
    expect((await control(`meetings/${meeting.id}`, { status: 'started' })).json.webhooks).toEqual([]);
    expect((await control(`meetings/${meeting.id}`, { status: 'waiting' })).status).toBe(200);
    expect(deliveries).toEqual([]);
    expect((await control(`meetings/${meeting.id}`, {})).status).toBe(400);
    expect((await control(`meetings/${meeting.id}`, { startTime: 'soon' })).status).toBe(400);

    const deleted = await control(`meetings/${meeting.id}`, { deleted: true, deliverWebhooks: true });
    expect(deleted.json.webhooks).toEqual([{ event: 'meeting.deleted', status: 204 }]);
    expect(deliveries[0]!.text).toContain(`"object":{"id":${meeting.id},`);
    expect(deliveries[0]!.body.payload).toMatchObject({
      operator: 'demo.host@zoom-demo.example',
      operator_id: DEMO,
      operation: 'single',
      object: { uuid: meeting.uuid, host_id: DEMO, topic: 'Intro call', type: 2, start_time: '2031-05-02T03:00:00Z', duration: 45, timezone: 'Asia/Tokyo' },
    });
    expect((await fetch(`${url}/v2/meetings/${meeting.id}`, { headers: bearer(token) })).status).toBe(404);
    expect((await control(`meetings/${meeting.id}`, { deleted: true })).status).toBe(404);
  });

  it('issues a token set without the browser round trip; a newer one supersedes it', async () => {
    const first = emulator.issueTokenSet('demo.host@zoom-demo.example');
    expect(first.scope.split(' ')).toEqual(expect.arrayContaining(['meeting:read:past_meeting', 'cloud_recording:read:list_recording_files', 'meeting:write:registrant']));
    expect((await fetch(`${url}/v2/users/me`, { headers: bearer(first.access_token) })).status).toBe(200);
    emulator.issueTokenSet(DEMO);
    expect((await fetch(`${url}/v2/users/me`, { headers: bearer(first.access_token) })).status).toBe(401);
    expect(() => emulator.issueTokenSet('nobody@example.com')).toThrow();
  });
});

describe('mounted under a base path (the app)', () => {
  it('simulates through /api/emulators/zoom/__control and points recording URLs below the mount', async () => {
    const mounted = createZoomEmulator({ basePath: '/api/emulators/zoom', clientId: 'cid', clientSecret: 'secret', webhookSecretToken: 'whsec' });
    const base = 'http://localhost:3000/api/emulators/zoom';
    const call = (path: string, init?: RequestInit) => mounted.handle(new Request(`${base}${path}`, init));
    const token = mounted.issueTokenSet(DEMO).access_token;
    const created = await call('/v2/users/me/meetings', { method: 'POST', headers: bearer(token), body: JSON.stringify({ topic: 't', duration: 30 }) });
    const id = /"id":(\d+)/.exec(await created.text())![1]!;
    const simulated = await call(`/__control/meetings/${id}/simulate`, {
      method: 'POST',
      body: JSON.stringify({ ...HELD, deliverWebhooks: false }),
    });
    expect(simulated.status).toBe(200);
    expect(await simulated.json()).toMatchObject({ webhooks: [], recordingFiles: 3 });
    const listed = (await (await call(`/v2/meetings/${id}/recordings`, { headers: bearer(token) })).json()) as {
      share_url: string;
      recording_files: { file_type: string; download_url: string }[];
    };
    expect(listed.share_url.startsWith(`${base}/rec/share/`)).toBe(true);
    const transcript = listed.recording_files.find((f) => f.file_type === 'TRANSCRIPT')!;
    expect(transcript.download_url.startsWith(`${base}/rec/download/`)).toBe(true);
    const redirect = await mounted.handle(new Request(transcript.download_url, { headers: { authorization: `Bearer ${token}` } }));
    expect(redirect.status).toBe(302);
    const file = await mounted.handle(new Request(redirect.headers.get('location')!));
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('Aiko Tanaka: ');
  });
});

describe('a Basic (free) host', () => {
  type Left = { participant: { user_name: string; leave_time: string } };
  const leftAt = () => deliveries.filter((d) => d.event === 'meeting.participant_left').map((d) => (d.body.payload as { object: Left }).object.participant);

  it('has its meeting ended by Zoom 40 minutes after the start: later leaves are cut, meeting.ended comes at 40 min', async () => {
    const token = tokenFor(BASIC_USER);
    const meeting = await createMeeting(token);
    const result = await simulate(meeting.id, {
      participants: [
        { name: 'Basic Host', host: true, joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T02:10:00Z' },
        { name: 'Aiko Tanaka', email: 'aiko@example.com', joinAt: '2031-05-01T01:02:00Z', leaveAt: '2031-05-01T01:20:00Z' },
        { name: 'Ken Mori', email: 'ken@example.com', joinAt: '2031-05-01T01:05:00Z', leaveAt: '2031-05-01T01:55:00Z' },
      ],
    });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ status: 'ended', endedByTimeLimit: true });
    const ended = deliveries.find((d) => d.event === 'meeting.ended')!;
    expect((ended.body.payload as { object: { end_time: string } }).object.end_time).toBe('2031-05-01T01:40:00Z');
    const leaves = Object.fromEntries(leftAt().map((p) => [p.user_name, p.leave_time]));
    expect(leaves).toEqual({ 'Basic Host': '2031-05-01T01:40:00Z', 'Aiko Tanaka': '2031-05-01T01:20:00Z', 'Ken Mori': '2031-05-01T01:40:00Z' });
    const past = await fetch(`${url}/v2/past_meetings/${meeting.id}`, { headers: bearer(token) });
    expect(await past.json()).toMatchObject({ end_time: '2031-05-01T01:40:00Z' });
    // Zoom's paid-only participant report stays refused for it.
    const report = await fetch(`${url}/v2/past_meetings/${meeting.id}/participants`, { headers: bearer(token) });
    expect(report.status).toBe(400);
    expect(await report.json()).toMatchObject({ code: 200 });
  });

  it('keeps a meeting within the limit as given, refuses a join after it, and a licensed host has no limit', async () => {
    const token = tokenFor(BASIC_USER);
    const short = await createMeeting(token);
    const ok = await simulate(short.id, { participants: [{ name: 'Basic Host', host: true, joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T01:39:00Z' }], deliverWebhooks: false });
    expect(ok.json).toMatchObject({ status: 'ended', endedByTimeLimit: false });
    const late = await createMeeting(token);
    const refused = await simulate(late.id, {
      participants: [
        { name: 'Basic Host', host: true, joinAt: '2031-05-01T01:00:00Z' },
        { name: 'Late', email: 'late@example.com', joinAt: '2031-05-01T01:41:00Z', leaveAt: '2031-05-01T01:50:00Z' },
      ],
      deliverWebhooks: false,
    });
    expect(refused.status).toBe(400);
    expect(String(refused.json.error)).toMatch(/40-minute/);

    const paid = await createMeeting(tokenFor(DEMO));
    const long = await simulate(paid.id, { participants: [{ name: 'Demo Host', host: true, joinAt: '2031-05-01T01:00:00Z', leaveAt: '2031-05-01T02:30:00Z' }] });
    expect(long.json).toMatchObject({ endedByTimeLimit: false });
    expect((deliveries.find((d) => d.event === 'meeting.ended')!.body.payload as { object: { end_time: string } }).object.end_time).toBe('2031-05-01T02:30:00Z');
  });
});
