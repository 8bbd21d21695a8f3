import { randomBytes, randomInt } from 'node:crypto';
import { pathMatches, type ZoomContext } from './http';
import { changeMeeting, simulateMeeting } from './simulate';
import { meetingSecurityOf } from './users';
import {
  type AccountRateLimit,
  type EmulatorAccount,
  type EmulatorConfig,
  type EmulatorUser,
  type Fault,
  initialState,
  type MeetingSecurity,
  S2S_ADMIN_SCOPES,
  type S2sApp,
} from './state';
import { deliverWebhook } from './webhooks';

/**
 * The control API for tests and the demo (docs/api.md, emulator control API) under `/__control/`:
 * state, reset, faults, clock, webhooks, users, meeting changes and simulated meetings, config; and fault injection.
 */

function publicState(emu: ZoomContext) {
  return {
    accounts: emu.state.accounts,
    accountWindows: emu.state.accountWindows,
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
    // `s2sClientId`: as that Server-to-Server app (its event subscription URL and secret token).
    const s2sApp = typeof body.s2sClientId === 'string' ? emu.state.accounts.flatMap((a) => a.s2sApps).find((a) => a.clientId === body.s2sClientId) : undefined;
    if (body.s2sClientId !== undefined && !s2sApp) return Response.json({ error: 'unknown s2sClientId' }, { status: 404 });
    try {
      const result = await deliverWebhook(emu, body.event, (body.payload as Record<string, unknown> | undefined) ?? {}, {
        target: typeof body.target === 'string' ? body.target : s2sApp?.webhookUrl,
        timestampSeconds: typeof body.timestamp === 'number' ? body.timestamp : undefined,
        ...(s2sApp ? { app: { clientId: s2sApp.clientId, secretToken: s2sApp.webhookSecretToken ?? '' } } : {}),
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
      status: body.status === 'pending' || body.status === 'inactive' || body.status === 'active' ? body.status : (existing?.status ?? 'active'),
      settings: existing?.settings,
      createdAt: existing?.createdAt ?? new Date(emu.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    if (existing) Object.assign(existing, user);
    else emu.state.users.push(user);
    return Response.json({ ...user, pmi: user.pmi.toString() });
  }
  const userSettings = /^\/__control\/users\/([^/]+)\/settings$/.exec(path);
  if (userSettings && method === 'POST') return changeUserSettings(emu, decodeURIComponent(userSettings[1]!), body);
  if (path === '/__control/accounts' && method === 'POST') return upsertAccount(emu, body);
  const appControl = /^\/__control\/accounts\/([^/]+)\/apps\/([^/]+)$/.exec(path);
  if (appControl && method === 'POST') return changeApp(emu, decodeURIComponent(appControl[1]!), decodeURIComponent(appControl[2]!), body);
  const rateControl = /^\/__control\/accounts\/([^/]+)\/rate-limit$/.exec(path);
  if (rateControl && method === 'POST') {
    const account = emu.state.accounts.find((a) => a.id === decodeURIComponent(rateControl[1]!));
    if (!account) return Response.json({ error: 'unknown account' }, { status: 404 });
    const limit = parseRateLimit(body);
    if (typeof limit === 'string') return Response.json({ error: limit }, { status: 400 });
    if (limit) account.rateLimit = limit;
    else delete account.rateLimit;
    delete emu.state.accountWindows[account.id];
    return Response.json(account);
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

const bad = (error: string) => Response.json({ error }, { status: 400 });

/** `{qps?, next429?, retryAfterSeconds?}` (null or {} clears it); a string is what is wrong. */
function parseRateLimit(value: unknown): AccountRateLimit | null | string {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return 'rateLimit must be an object or null';
  const out: AccountRateLimit = {};
  for (const key of ['qps', 'next429', 'retryAfterSeconds'] as const) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `${key} must be a whole number ≥ 0`;
    out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : null;
}

function parseApp(value: unknown, existing: S2sApp | undefined): S2sApp | string {
  if (typeof value !== 'object' || value === null) return 's2sApps[] must be objects';
  const v = value as Record<string, unknown>;
  if (typeof v.clientId !== 'string' || v.clientId === '') return 's2sApps[].clientId is required';
  const clientSecret = typeof v.clientSecret === 'string' ? v.clientSecret : existing?.clientSecret;
  if (!clientSecret) return 's2sApps[].clientSecret is required';
  if (v.scopes !== undefined && !Array.isArray(v.scopes)) return 's2sApps[].scopes must be an array';
  const webhook = parseWebhook(v, existing);
  if (typeof webhook === 'string') return webhook;
  return {
    clientId: v.clientId,
    clientSecret,
    activated: typeof v.activated === 'boolean' ? v.activated : (existing?.activated ?? true),
    scopes: Array.isArray(v.scopes) ? v.scopes.map(String) : (existing?.scopes ?? [...S2S_ADMIN_SCOPES]),
    ...webhook,
  };
}

/** `webhookUrl` (null removes the subscription) and `webhookSecretToken` of an app. */
function parseWebhook(v: Record<string, unknown>, existing: S2sApp | undefined): Pick<S2sApp, 'webhookUrl' | 'webhookSecretToken'> | string {
  const out: Pick<S2sApp, 'webhookUrl' | 'webhookSecretToken'> = {};
  const url = v.webhookUrl === undefined ? existing?.webhookUrl : v.webhookUrl;
  if (url !== null && url !== undefined) {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return 'webhookUrl must be an http(s) URL or null';
    out.webhookUrl = url;
  }
  const secret = v.webhookSecretToken === undefined ? existing?.webhookSecretToken : v.webhookSecretToken;
  if (secret !== undefined && secret !== null) {
    if (typeof secret !== 'string') return 'webhookSecretToken must be a string';
    out.webhookSecretToken = secret;
  }
  return out;
}

/**
 * `POST /__control/accounts` `{id, name?, licenses?, rateLimit?, s2sApps?:[{clientId, clientSecret, activated?, scopes?}]}`:
 * creates or updates an account; apps are merged by clientId (default: activated, every admin scope Aki needs).
 */
function upsertAccount(emu: ZoomContext, body: Record<string, unknown>): Response {
  if (typeof body.id !== 'string' || body.id === '') return bad('id is required');
  const existing = emu.state.accounts.find((a) => a.id === body.id);
  const account: EmulatorAccount = existing ?? { id: body.id, name: body.id, s2sApps: [] };
  if (body.name !== undefined) {
    if (typeof body.name !== 'string') return bad('name must be a string');
    account.name = body.name;
  }
  if (body.licenses !== undefined) {
    if (body.licenses === null) delete account.licenses;
    else if (typeof body.licenses !== 'number' || !Number.isInteger(body.licenses) || body.licenses < 0) return bad('licenses must be a whole number ≥ 0 or null');
    else account.licenses = body.licenses;
  }
  if ('rateLimit' in body) {
    const limit = parseRateLimit(body.rateLimit);
    if (typeof limit === 'string') return bad(limit);
    if (limit) account.rateLimit = limit;
    else delete account.rateLimit;
    delete emu.state.accountWindows[account.id];
  }
  if (body.s2sApps !== undefined) {
    if (!Array.isArray(body.s2sApps)) return bad('s2sApps must be an array');
    const apps: S2sApp[] = [...account.s2sApps];
    for (const raw of body.s2sApps) {
      const clientId = (raw as Record<string, unknown> | null)?.clientId;
      const taken = emu.state.accounts.some((a) => a.id !== account.id && a.s2sApps.some((app) => app.clientId === clientId));
      if (taken) return bad(`client id ${String(clientId)} belongs to another account`);
      const index = apps.findIndex((app) => app.clientId === clientId);
      const app = parseApp(raw, index >= 0 ? apps[index] : undefined);
      if (typeof app === 'string') return bad(app);
      if (index >= 0) apps[index] = app;
      else apps.push(app);
    }
    account.s2sApps = apps;
  }
  if (!existing) emu.state.accounts.push(account);
  return Response.json(account);
}

/**
 * `POST /__control/accounts/{id}/apps/{clientId}` `{activated?, clientSecret?, scopes?, webhookUrl?, webhookSecretToken?}`:
 * deactivating kills the app's tokens (401/124); webhookUrl is the app's event subscription.
 */
function changeApp(emu: ZoomContext, accountId: string, clientId: string, body: Record<string, unknown>): Response {
  const account = emu.state.accounts.find((a) => a.id === accountId);
  const app = account?.s2sApps.find((a) => a.clientId === clientId);
  if (!account || !app) return Response.json({ error: 'unknown account or app' }, { status: 404 });
  if (body.activated !== undefined) {
    if (typeof body.activated !== 'boolean') return bad('activated must be true or false');
    app.activated = body.activated;
  }
  if (body.clientSecret !== undefined) {
    if (typeof body.clientSecret !== 'string' || body.clientSecret === '') return bad('clientSecret must be a non-empty string');
    app.clientSecret = body.clientSecret;
  }
  if (body.scopes !== undefined) {
    if (!Array.isArray(body.scopes)) return bad('scopes must be an array');
    app.scopes = body.scopes.map(String);
  }
  const webhook = parseWebhook(body, app);
  if (typeof webhook === 'string') return bad(webhook);
  delete app.webhookUrl;
  delete app.webhookSecretToken;
  Object.assign(app, webhook);
  return Response.json(app);
}

const SECURITY_FLAGS = ['require_password_for_scheduled_meeting', 'waiting_room', 'embed_password_in_join_link', 'auto_security'] as const;
const REQUIREMENT_FLAGS = ['have_letter', 'have_number', 'have_special_character', 'only_allow_numeric', 'have_upper_and_lower_characters', 'weak_enhance_detection'] as const;

/**
 * `POST /__control/users/{id|email}/settings` `{meeting_security:{require_password_for_scheduled_meeting?, waiting_room?,
 * embed_password_in_join_link?, meeting_password_requirement:{length?, have_letter?, …, consecutive_characters_length?}}}`
 * (Zoom's field names; merged into the user's settings). `{reset: true}` restores the defaults.
 */
function changeUserSettings(emu: ZoomContext, idOrEmail: string, body: Record<string, unknown>): Response {
  const user = emu.state.users.find((u) => u.id === idOrEmail || u.email.toLowerCase() === idOrEmail.toLowerCase());
  if (!user) return Response.json({ error: 'unknown user' }, { status: 404 });
  if (body.reset === true) delete user.settings;
  const input = body.meeting_security;
  if (input !== undefined) {
    if (typeof input !== 'object' || input === null) return bad('meeting_security must be an object');
    const security = input as Record<string, unknown>;
    const next: Partial<MeetingSecurity> = { ...(user.settings?.meetingSecurity ?? {}) };
    for (const flag of SECURITY_FLAGS) {
      if (security[flag] === undefined) continue;
      if (typeof security[flag] !== 'boolean') return bad(`meeting_security.${flag} must be true or false`);
      next[flag] = security[flag];
    }
    const requirementIn = security.meeting_password_requirement;
    if (requirementIn !== undefined) {
      if (typeof requirementIn !== 'object' || requirementIn === null) return bad('meeting_password_requirement must be an object');
      const r = requirementIn as Record<string, unknown>;
      const requirement: Record<string, unknown> = { ...(next.meeting_password_requirement ?? {}) };
      for (const flag of REQUIREMENT_FLAGS) {
        if (r[flag] === undefined) continue;
        if (typeof r[flag] !== 'boolean') return bad(`meeting_password_requirement.${flag} must be true or false`);
        requirement[flag] = r[flag];
      }
      if (r.length !== undefined) {
        if (typeof r.length !== 'number' || !Number.isInteger(r.length) || r.length < 1 || r.length > 10) return bad('length must be 1 to 10');
        requirement.length = r.length;
      }
      if (r.consecutive_characters_length !== undefined) {
        const n = r.consecutive_characters_length;
        if (typeof n !== 'number' || !Number.isInteger(n) || (n !== 0 && (n < 4 || n > 8))) return bad('consecutive_characters_length must be 0 or 4 to 8');
        requirement.consecutive_characters_length = n;
      }
      next.meeting_password_requirement = requirement as MeetingSecurity['meeting_password_requirement'];
    }
    user.settings = { ...(user.settings ?? {}), meetingSecurity: next };
  }
  return Response.json({ id: user.id, meeting_security: meetingSecurityOf(user) });
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
