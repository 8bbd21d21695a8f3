import { z } from 'zod';
import { isKnownTimeZone } from '@/lib/availability/time-zone';
import { busyOf, createEvent, eventResource, handleCalendarApi } from './calendar-api';
import { calendarPageHtml, eventFromForm } from './calendar-page';
import { defaultFaultBody, type EmulatorContext, isDate, json, parseRfc3339, readBody } from './http';
import { handleAuthorize, handleRevoke, handleToken, revokeGrant } from './oauth';
import { handleCerts, handleDiscovery, handleUserinfo } from './openid';
import { addUser, type EmulatorState, type EmuFault, initialState } from './state';

/**
 * A Google emulator as a framework-free fetch handler: OAuth (consent page, token, revoke), the
 * Calendar v3 subset Aki uses, and the control API of docs/api.md, emulator control API under `${basePath}/__control`.
 * Paths mirror Google's hosts collapsed onto one base URL:
 *   accounts.google.com/o/oauth2/v2/auth → `${base}/o/oauth2/v2/auth`
 *   oauth2.googleapis.com/token|revoke   → `${base}/token`, `${base}/revoke`
 *   www.googleapis.com/calendar/v3/...   → `${base}/calendar/v3/...`
 */

export type GoogleEmulatorOptions = {
  /** Path prefix the handler is mounted under ('' standalone, '/api/emulators/google' in the app). */
  basePath?: string;
  clientId: string;
  clientSecret: string;
  /** When given, the consent page refuses other redirect URIs (Google's "Authorized redirect URIs"). */
  redirectUris?: string[];
  /** `iss` of id_tokens; by default the base URL a request reached. */
  issuer?: string;
};

export type GoogleEmulator = {
  handle(request: Request): Promise<Response>;
  /** Direct access for in-process tests and the dev mount. */
  readonly state: EmulatorState;
  now(): Date;
};

const MAX_CALLS = 2000;

const faultSchema = z.object({
  method: z.string().default('*'),
  path: z.string().min(1),
  status: z.number().int().min(0).max(599).default(0),
  times: z.number().int().min(1).default(1),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
});

const clockSchema = z.union([
  z.object({ now: z.string() }),
  z.object({ advanceSeconds: z.number() }),
  z.object({ reset: z.literal(true) }),
]);

const controlEventSchema = z.object({
  calendarId: z.string().optional(),
  /** The account whose primary calendar gets the event when calendarId is not given. */
  email: z.string().optional(),
  id: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  start: z.string(),
  end: z.string().optional(),
  allDay: z.boolean().optional(),
  timeZone: z.string().optional(),
  transparency: z.enum(['opaque', 'transparent']).optional(),
  status: z.enum(['confirmed', 'tentative', 'cancelled']).optional(),
});

function pathMatches(pattern: string, path: string): boolean {
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function createGoogleEmulator(options: GoogleEmulatorOptions): GoogleEmulator {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const ctx: EmulatorContext = {
    state: initialState(),
    basePath,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUris: options.redirectUris,
    issuer: options.issuer?.replace(/\/+$/, ''),
    now: () => new Date(Date.now() + ctx.state.clockOffsetMs),
  };

  async function control(request: Request, action: string): Promise<Response> {
    const { state } = ctx;
    if (action === 'state' && request.method === 'GET') {
      return json({
        now: ctx.now().toISOString(),
        users: state.users,
        calendars: state.calendars,
        events: state.events.map((e) => ({ ...eventResource(e), calendarId: e.calendarId, sendUpdates: e.lastSendUpdates })),
        grants: state.grants,
        tokens: state.accessTokens,
        calls: state.calls,
        faults: state.faults,
      });
    }
    if (action === 'calendar') {
      const pageUrl = `${ctx.basePath}/__control/calendar`;
      if (request.method === 'GET') {
        const added = new URL(request.url).searchParams.get('added');
        return calendarPageHtml(state, pageUrl, ctx.now(), added ? `Added “${added}”.` : null);
      }
      if (request.method !== 'POST') return json({ error: 'method_not_allowed' }, 405);
      const parsed = eventFromForm(new URLSearchParams(await request.text()));
      if ('error' in parsed) return calendarPageHtml(state, pageUrl, ctx.now(), parsed.error);
      const created = await control(new Request(request.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(parsed.body) }), 'events');
      if (created.status !== 201) return calendarPageHtml(state, pageUrl, ctx.now(), `Not added: ${await created.text()}`);
      return new Response(null, { status: 303, headers: { location: `${pageUrl}?added=${encodeURIComponent(String(parsed.body.summary))}` } });
    }
    if (request.method !== 'POST' && request.method !== 'DELETE') return json({ error: 'method_not_allowed' }, 405);
    const body = await readBody(request);
    switch (action) {
      case 'reset':
        ctx.state = initialState();
        return json({ ok: true });
      case 'faults': {
        if (request.method === 'DELETE') {
          state.faults = [];
          return json({ ok: true });
        }
        const parsed = faultSchema.safeParse(body);
        if (!parsed.success) return json({ error: 'invalid_fault', issues: parsed.error.issues }, 400);
        const fault: EmuFault = { ...parsed.data, method: parsed.data.method.toUpperCase() };
        state.faults.push(fault);
        return json({ ok: true, fault });
      }
      case 'clock': {
        const parsed = clockSchema.safeParse(body);
        if (!parsed.success) return json({ error: 'invalid_clock' }, 400);
        if ('now' in parsed.data) {
          const target = Date.parse(parsed.data.now);
          if (Number.isNaN(target)) return json({ error: 'invalid_clock' }, 400);
          state.clockOffsetMs = target - Date.now();
        } else if ('advanceSeconds' in parsed.data) {
          state.clockOffsetMs += parsed.data.advanceSeconds * 1000;
        } else {
          state.clockOffsetMs = 0;
        }
        return json({ now: ctx.now().toISOString() });
      }
      case 'users': {
        const parsed = z.object({ email: z.string().email(), name: z.string().optional() }).safeParse(body);
        if (!parsed.success) return json({ error: 'invalid_user' }, 400);
        const existing = state.users.find((u) => u.email === parsed.data.email);
        return json({ user: existing ?? addUser(state, parsed.data.email, parsed.data.name) });
      }
      case 'revoke': {
        // The account owner removes Aki's access in their Google account: every grant stops working.
        const parsed = z.object({ email: z.string().optional() }).safeParse(body ?? {});
        const email = parsed.success ? parsed.data.email : undefined;
        const users = state.users.filter((u) => !email || u.email === email);
        let revoked = 0;
        for (const grant of state.grants) {
          if (!grant.revoked && users.some((u) => u.id === grant.userId)) {
            revokeGrant(ctx, grant);
            revoked += 1;
          }
        }
        return json({ ok: true, revoked });
      }
      case 'events': {
        const parsed = controlEventSchema.safeParse(body);
        if (!parsed.success) return json({ error: 'invalid_event', issues: parsed.error.issues }, 400);
        const input = parsed.data;
        const owner = input.email ? state.users.find((u) => u.email === input.email) : state.users[0];
        const calendar = input.calendarId
          ? state.calendars.find((c) => c.id === input.calendarId || (input.calendarId === 'primary' && c.primary && c.userId === owner?.id))
          : state.calendars.find((c) => c.primary && c.userId === owner?.id);
        if (!calendar) return json({ error: 'calendar_not_found' }, 404);
        if (input.timeZone && !isKnownTimeZone(input.timeZone)) return json({ error: 'invalid_time_zone' }, 400);
        let start: { date?: string; dateTime?: string; timeZone?: string };
        let end: { date?: string; dateTime?: string; timeZone?: string };
        if (input.allDay) {
          if (!isDate(input.start) || (input.end && !isDate(input.end))) return json({ error: 'all_day_needs_dates' }, 400);
          start = { date: input.start };
          end = { date: input.end ?? nextDate(input.start) };
        } else {
          if (!parseRfc3339(input.start) || !input.end || !parseRfc3339(input.end)) return json({ error: 'needs_rfc3339_start_end' }, 400);
          start = { dateTime: input.start, ...(input.timeZone ? { timeZone: input.timeZone } : {}) };
          end = { dateTime: input.end, ...(input.timeZone ? { timeZone: input.timeZone } : {}) };
        }
        const ownerEmail = state.users.find((u) => u.id === calendar.userId)?.email ?? calendar.id;
        const event = createEvent(
          ctx,
          calendar,
          { id: input.id, summary: input.summary, description: input.description, start, end, transparency: input.transparency, status: input.status },
          'none',
          ownerEmail,
        );
        return json({ event: { ...eventResource(event), calendarId: calendar.id } }, 201);
      }
      case 'busy': {
        // Convenience for tests: what freeBusy would answer for a calendar.
        const parsed = z.object({ calendarId: z.string(), timeMin: z.string(), timeMax: z.string() }).safeParse(body);
        const calendar = parsed.success ? state.calendars.find((c) => c.id === parsed.data.calendarId) : undefined;
        const from = parsed.success ? parseRfc3339(parsed.data.timeMin) : null;
        const to = parsed.success ? parseRfc3339(parsed.data.timeMax) : null;
        if (!calendar || !from || !to) return json({ error: 'invalid_request' }, 400);
        return json({ busy: busyOf(ctx, calendar, from, to) });
      }
      default:
        return json({ error: 'not_found' }, 404);
    }
  }

  async function route(request: Request, path: string): Promise<Response> {
    if (path === '/o/oauth2/v2/auth' || path === '/o/oauth2/auth') return handleAuthorize(ctx, request, path);
    if (path === '/token' || path === '/o/oauth2/token') return handleToken(ctx, request);
    if (path === '/revoke' || path === '/o/oauth2/revoke') return handleRevoke(ctx, request);
    if (path === '/oauth2/v3/userinfo' || path === '/v1/userinfo' || path === '/oauth2/v2/userinfo') return handleUserinfo(ctx, request);
    if (path === '/oauth2/v3/certs') return handleCerts(ctx);
    if (path === '/.well-known/openid-configuration') return handleDiscovery(ctx, request);
    if (path.startsWith('/calendar/v3/')) return handleCalendarApi(ctx, request, path.slice('/calendar/v3'.length));
    if (path === '/' || path === '') {
      return json({ emulator: 'google', endpoints: ['/o/oauth2/v2/auth', '/token', '/revoke', '/oauth2/v3/userinfo', '/oauth2/v3/certs', '/.well-known/openid-configuration', '/calendar/v3/...', '/__control/state'] });
    }
    return json({ error: { code: 404, message: 'Not Found', errors: [{ message: 'Not Found', domain: 'global', reason: 'notFound' }], status: 'NOT_FOUND' } }, 404);
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname;
    if (basePath && path.startsWith(basePath)) path = path.slice(basePath.length);
    if (!path.startsWith('/')) path = `/${path}`;

    if (path.startsWith('/__control/')) return control(request, path.slice('/__control/'.length));

    const method = request.method.toUpperCase();
    const fault = ctx.state.faults.find((f) => f.times > 0 && (f.method === '*' || f.method === method) && pathMatches(f.path, path));
    if (fault) {
      fault.times -= 1;
      ctx.state.faults = ctx.state.faults.filter((f) => f.times > 0);
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status > 0) {
        record(method, path, fault.status, url, true);
        return json(fault.body ?? defaultFaultBody(path, fault.status), fault.status, fault.headers ?? {});
      }
    }
    const response = await route(request, path);
    record(method, path, response.status, url, false);
    return response;
  }

  function record(method: string, path: string, status: number, url: URL, fault: boolean): void {
    const isEventWrite = path.includes('/events') && method !== 'GET';
    ctx.state.calls.push({
      at: ctx.now().toISOString(),
      method,
      path,
      status,
      ...(isEventWrite ? { sendUpdates: url.searchParams.get('sendUpdates') ?? 'none' } : {}),
      ...(fault ? { fault: true } : {}),
    });
    if (ctx.state.calls.length > MAX_CALLS) ctx.state.calls.splice(0, ctx.state.calls.length - MAX_CALLS);
  }

  return {
    handle,
    get state() {
      return ctx.state;
    },
    now: () => ctx.now(),
  };
}
