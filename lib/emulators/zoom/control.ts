import { randomBytes, randomInt } from 'node:crypto';
import { pathMatches, type ZoomContext } from './http';
import { changeMeeting, simulateMeeting } from './simulate';
import { type EmulatorConfig, type EmulatorUser, type Fault, initialState } from './state';
import { deliverWebhook } from './webhooks';

/**
 * The control API for tests and the demo (docs/api.md, emulator control API) under `/__control/`:
 * state, reset, faults, clock, webhooks, users, meeting changes and simulated meetings, config; and fault injection.
 */

function publicState(emu: ZoomContext) {
  return {
    users: emu.state.users.map((u) => ({ ...u, pmi: u.pmi.toString() })),
    tokenSets: emu.state.tokenSets,
    accessTokens: emu.state.accessTokens,
    refreshTokens: emu.state.refreshTokens,
    codes: emu.state.codes,
    meetings: emu.state.meetings.map((m) => ({ ...m, id: m.id.toString() })),
    faults: emu.state.faults,
    calls: emu.state.calls,
    events: emu.state.events,
    preApprovalRequests: emu.state.preApprovalRequests,
    dailyCounts: emu.state.dailyCounts,
    stats: emu.state.stats,
    clock: { now: new Date(emu.now()).toISOString(), offsetMs: emu.state.clockOffsetMs },
    config: emu.state.config,
  };
}

async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text) return {};
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export async function control(emu: ZoomContext, request: Request, path: string): Promise<Response> {
  const method = request.method;
  let body: Record<string, unknown> = {};
  try {
    if (method !== 'GET') body = await readJsonBody(request);
  } catch (error) {
    return Response.json({ error: error instanceof Error ? error.message : 'bad body' }, { status: 400 });
  }
  if (path === '/__control/state' && method === 'GET') return Response.json(publicState(emu));
  if (path === '/__control/reset' && method === 'POST') {
    emu.state = initialState();
    return Response.json({ ok: true });
  }
  if (path === '/__control/faults' && method === 'POST') {
    if (typeof body.path !== 'string') return Response.json({ error: 'path is required' }, { status: 400 });
    const times = typeof body.times === 'number' && body.times > 0 ? Math.floor(body.times) : 1;
    const fault: Fault = {
      id: emu.state.nextFaultId++,
      method: typeof body.method === 'string' ? body.method.toUpperCase() : '*',
      path: body.path,
      status: typeof body.status === 'number' ? body.status : undefined,
      times,
      remaining: times,
      headers: typeof body.headers === 'object' && body.headers !== null ? (body.headers as Record<string, string>) : undefined,
      body: body.body,
      delayMs: typeof body.delayMs === 'number' ? body.delayMs : undefined,
    };
    emu.state.faults.push(fault);
    return Response.json({ ok: true, fault });
  }
  if (path === '/__control/faults' && method === 'DELETE') {
    emu.state.faults = [];
    return Response.json({ ok: true });
  }
  if (path === '/__control/clock' && method === 'POST') {
    if (body.now === null || body.reset === true) emu.state.clockOffsetMs = 0;
    else if (body.now !== undefined) {
      const target = typeof body.now === 'number' ? body.now : Date.parse(String(body.now));
      if (Number.isNaN(target)) return Response.json({ error: 'now must be an ISO date or epoch ms' }, { status: 400 });
      emu.state.clockOffsetMs = target - Date.now();
    }
    if (typeof body.advanceMs === 'number') emu.state.clockOffsetMs += body.advanceMs;
    if (typeof body.advanceSeconds === 'number') emu.state.clockOffsetMs += body.advanceSeconds * 1000;
    return Response.json({ now: new Date(emu.now()).toISOString() });
  }
  if (path === '/__control/webhooks' && method === 'POST') {
    if (typeof body.event !== 'string') return Response.json({ error: 'event is required' }, { status: 400 });
    try {
      const result = await deliverWebhook(emu, body.event, (body.payload as Record<string, unknown> | undefined) ?? {}, {
        target: typeof body.target === 'string' ? body.target : undefined,
        timestampSeconds: typeof body.timestamp === 'number' ? body.timestamp : undefined,
      });
      return Response.json(result);
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : 'delivery failed' }, { status: 400 });
    }
  }
  if (path === '/__control/users' && method === 'POST') {
    if (typeof body.email !== 'string') return Response.json({ error: 'email is required' }, { status: 400 });
    const existing = emu.state.users.find((u) => u.id === body.id || u.email === body.email);
    const user: EmulatorUser = {
      id: typeof body.id === 'string' ? body.id : (existing?.id ?? randomBytes(16).toString('base64url').slice(0, 22)),
      accountId: typeof body.accountId === 'string' ? body.accountId : (existing?.accountId ?? randomBytes(16).toString('base64url').slice(0, 22)),
      email: body.email,
      firstName: typeof body.firstName === 'string' ? body.firstName : (existing?.firstName ?? 'Test'),
      lastName: typeof body.lastName === 'string' ? body.lastName : (existing?.lastName ?? 'User'),
      type: body.type === 1 ? 1 : 2,
      timezone: typeof body.timezone === 'string' ? body.timezone : (existing?.timezone ?? 'UTC'),
      language: typeof body.language === 'string' ? body.language : (existing?.language ?? 'en-US'),
      pmi: existing?.pmi ?? BigInt(randomInt(1_000_000_000, 9_999_999_999)),
      scopes: Array.isArray(body.scopes) ? body.scopes.map(String) : existing?.scopes,
      requiresPreApproval: body.requiresPreApproval === true,
    };
    if (existing) Object.assign(existing, user);
    else emu.state.users.push(user);
    return Response.json({ ...user, pmi: user.pmi.toString() });
  }
  const simulate = /^\/__control\/meetings\/(\d+)\/simulate$/.exec(path);
  if (simulate && method === 'POST') return simulateMeeting(emu, request, simulate[1]!, body);
  const meetingControl = /^\/__control\/meetings\/(\d+)$/.exec(path);
  if (meetingControl && method === 'POST') return changeMeeting(emu, meetingControl[1]!, body);
  if (path === '/__control/config' && method === 'POST') {
    const config = emu.state.config as Record<keyof EmulatorConfig, unknown>;
    for (const [key, value] of Object.entries(body)) {
      if (key in config && typeof value === typeof config[key as keyof EmulatorConfig]) {
        config[key as keyof EmulatorConfig] = value;
      }
    }
    return Response.json(emu.state.config);
  }
  return Response.json({ error: 'unknown control route' }, { status: 404 });
}

export function takeFault(emu: ZoomContext, method: string, path: string): Fault | undefined {
  const fault = emu.state.faults.find((f) => (f.method === '*' || f.method === method) && pathMatches(f.path, path));
  if (!fault) return undefined;
  fault.remaining--;
  if (fault.remaining <= 0) emu.state.faults = emu.state.faults.filter((f) => f !== fault);
  return fault;
}

export function faultResponse(fault: Fault): Response {
  const headers = new Headers(fault.headers ?? {});
  let text = '';
  if (typeof fault.body === 'string') {
    text = fault.body;
    if (!headers.has('content-type')) headers.set('content-type', 'text/html; charset=utf-8');
  } else if (fault.body !== undefined) {
    text = JSON.stringify(fault.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json;charset=UTF-8');
  }
  return new Response(fault.status === 204 || fault.status === 304 ? null : text, { status: fault.status, headers });
}
