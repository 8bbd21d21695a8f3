import { control, faultResponse, takeFault } from './control';
import { apiError, HttpError, type ZoomContext } from './http';
import { meetingById, userMeetings } from './meetings';
import { authenticate, authorize, newTokenSet, revoke, type TokenResponse, token } from './oauth';
import { getPastMeeting, listPastParticipants } from './past-meetings';
import { listRecordings, recordingWeb } from './recordings';
import { addRegistrant } from './registrants';
import { errorPage, meetingPage } from './pages';
import {
  DEFAULT_APP_SCOPES,
  DEMO_ACCOUNT_ID,
  defaultAccounts,
  defaultConfig,
  demoAccountUsers,
  type EmulatorState,
  initialState,
  type WebhookDelivery,
} from './state';
import { createUser, getUser, getUserSettings, listUsers } from './users';
import { deliverWebhook, type WebhookDeliveryOptions } from './webhooks';

/**
 * A framework-free emulator of the parts of Zoom Aki uses, following Zoom's documented wire behaviour:
 * the zoom.us OAuth endpoints (consent page, token, revoke), the api.zoom.us/v2 meeting and user
 * endpoints, signed webhooks, and a control API for tests (docs/api.md, emulator control API). `handle` takes and
 * returns fetch Requests/Responses so it can be mounted in a Next route or served by node:http.
 */

export type ZoomEmulatorOptions = {
  /** Path prefix the emulator is mounted under ('' standalone, '/api/emulators/zoom' in the app). */
  basePath?: string;
  /** Where control-API webhooks are delivered (the app's /api/webhooks/zoom). */
  webhookTargetUrl?: string;
  webhookSecretToken: string;
  clientId: string;
  clientSecret: string;
  /** When given, authorize refuses other redirect URIs (Zoom's OAuth allow list). */
  redirectUris?: string[];
  appName?: string;
};

export type ZoomEmulator = {
  handle(request: Request): Promise<Response>;
  readonly state: EmulatorState;
  readonly options: ZoomEmulatorOptions;
  reset(): void;
  now(): number;
  deliverWebhook(event: string, payload?: Record<string, unknown>, options?: WebhookDeliveryOptions): Promise<WebhookResult>;
  /**
   * Authorises the app for a user without the browser round trip (what the token endpoint answers
   * to a fresh authorization_code exchange; older sets of that user are superseded). The demo seed
   * uses it to link the demo host.
   */
  issueTokenSet(userIdOrEmail: string): TokenResponse;
  /**
   * After a saved state was loaded (lib/emulators/persist.ts): the app's configured scopes gain the
   * scopes added to DEFAULT_APP_SCOPES since it was saved (tokens issued before keep theirs: reconnect);
   * a state saved before accounts existed gains the demo account and its users.
   */
  upgradeLoadedState(): void;
};

export type WebhookResult = WebhookDelivery & { body: string; signature: string; timestamp: number; validated?: boolean };

const MAX_CALLS = 2000;

export function createZoomEmulator(options: ZoomEmulatorOptions): ZoomEmulator {
  const emu: ZoomContext = {
    state: initialState(),
    options,
    basePath: (options.basePath ?? '').replace(/\/+$/, ''),
    appName: options.appName ?? 'Aki',
    now: () => Date.now() + emu.state.clockOffsetMs,
    record(call) {
      const { calls } = emu.state;
      calls.push({ at: new Date(emu.now()).toISOString(), ...call });
      if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
    },
  };

  return {
    handle: (request) => handle(emu, request),
    get state() {
      return emu.state;
    },
    options,
    reset() {
      emu.state = initialState();
    },
    now: emu.now,
    deliverWebhook: (event, payload, deliveryOptions) => deliverWebhook(emu, event, payload, deliveryOptions),
    issueTokenSet(userIdOrEmail) {
      const user = emu.state.users.find((u) => u.id === userIdOrEmail || u.email.toLowerCase() === userIdOrEmail.toLowerCase());
      if (!user) throw new Error(`No emulator user ${userIdOrEmail}`);
      return newTokenSet(emu, user);
    },
    upgradeLoadedState() {
      const config = { ...defaultConfig(), ...emu.state.config };
      for (const scope of DEFAULT_APP_SCOPES) if (!config.appScopes.includes(scope)) config.appScopes = [...config.appScopes, scope];
      emu.state.config = config;
      emu.state.accountWindows ??= {};
      if (!Array.isArray(emu.state.accounts)) emu.state.accounts = [];
      // A state saved before accounts existed: its `accounts` is the initial one but its users lack the demo account's.
      for (const account of defaultAccounts()) if (!emu.state.accounts.some((a) => a.id === account.id)) emu.state.accounts.push(account);
      if (!emu.state.users.some((u) => u.accountId === DEMO_ACCOUNT_ID)) {
        for (const user of demoAccountUsers()) if (!emu.state.users.some((u) => u.id === user.id)) emu.state.users.push(user);
      }
    },
  };
}

/** The REST API (api.zoom.us/v2): the bearer token (a user's or an account's), the account's rate limit, then the routes. */
async function api(emu: ZoomContext, request: Request, path: string): Promise<{ response: Response; userId?: string; accountId?: string; body?: unknown }> {
  const ctx = authenticate(emu, request);
  try {
    accountRateLimit(emu, ctx.accountId);
    return { accountId: ctx.accountId, ...(await route(emu, ctx, request, path)) };
  } catch (error) {
    // Refusals are logged with the account (account-level back-off is checked per account), without a user as before.
    if (error instanceof HttpError) return { accountId: ctx.accountId, response: error.response };
    throw error;
  }
}

async function route(emu: ZoomContext, ctx: ReturnType<typeof authenticate>, request: Request, path: string): Promise<{ response: Response; userId?: string; body?: unknown }> {
  const method = request.method;
  const userId = ctx.user?.id;
  const userMatch = /^\/v2\/users\/([^/]+)$/.exec(path);
  const settingsMatch = /^\/v2\/users\/([^/]+)\/settings$/.exec(path);
  const userMeetingsMatch = /^\/v2\/users\/([^/]+)\/meetings$/.exec(path);
  const meetingMatch = /^\/v2\/meetings\/([^/]+)$/.exec(path);
  const pastMatch = /^\/v2\/past_meetings\/([^/]+)(\/participants)?$/.exec(path);
  const recordingsMatch = /^\/v2\/meetings\/([^/]+)\/recordings$/.exec(path);
  const registrantsMatch = /^\/v2\/meetings\/([^/]+)\/registrants$/.exec(path);

  if (path === '/v2/users' && method === 'GET') return { userId, response: listUsers(emu, ctx, request) };
  if (path === '/v2/users' && method === 'POST') return { userId, ...(await createUser(emu, ctx, request)) };
  if (userMatch && method === 'GET') return { userId, response: getUser(emu, ctx, request, userMatch[1]!) };
  if (settingsMatch && method === 'GET') return { userId, response: getUserSettings(emu, ctx, request, settingsMatch[1]!) };
  if (pastMatch && method === 'GET') {
    return { userId, response: pastMatch[2] ? listPastParticipants(emu, ctx, request, pastMatch[1]!) : getPastMeeting(emu, ctx, pastMatch[1]!) };
  }
  if (recordingsMatch && method === 'GET') return { userId, response: listRecordings(emu, ctx, request, recordingsMatch[1]!) };
  if (registrantsMatch && method === 'POST') return { userId, ...(await addRegistrant(emu, ctx, request, registrantsMatch[1]!)) };
  const answer =
    (userMeetingsMatch && (await userMeetings(emu, ctx, request, userMeetingsMatch[1]!))) ||
    (meetingMatch && (await meetingById(emu, ctx, request, meetingMatch[1]!)));
  if (answer) return { userId, ...answer };
  return { userId, response: apiError(404, 404, 'Not Found') };
}

/**
 * Account-level rate limits (`state.accounts[].rateLimit`), shared by every user and app of the account:
 * `next429` answers the next N calls 429 outright; `qps` allows that many calls per second. Zoom's answer:
 * 429 code 429 with `X-RateLimit-Type: QPS` and `Retry-After` (seconds).
 */
function accountRateLimit(emu: ZoomContext, accountId: string) {
  const limit = emu.state.accounts.find((a) => a.id === accountId)?.rateLimit;
  if (!limit) return;
  const refuse = () =>
    new HttpError(
      apiError(429, 429, 'You have reached the maximum per-second rate limit for this API. Try again later.', {
        'X-RateLimit-Category': 'Medium',
        'X-RateLimit-Type': 'QPS',
        'X-RateLimit-Limit': String(limit.qps ?? 0),
        'X-RateLimit-Remaining': '0',
        'Retry-After': String(limit.retryAfterSeconds ?? 1),
      }),
    );
  if (limit.next429 !== undefined && limit.next429 > 0) {
    limit.next429--;
    throw refuse();
  }
  if (limit.qps === undefined) return;
  const second = Math.floor(emu.now() / 1000);
  const window = emu.state.accountWindows[accountId];
  const current = window && window.second === second ? window : { second, count: 0 };
  if (current.count >= limit.qps) throw refuse();
  current.count++;
  emu.state.accountWindows[accountId] = current;
}

async function handle(emu: ZoomContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  let path = url.pathname;
  if (emu.basePath) {
    if (path !== emu.basePath && !path.startsWith(`${emu.basePath}/`)) return new Response('Not found', { status: 404 });
    path = path.slice(emu.basePath.length) || '/';
  }
  const method = request.method.toUpperCase();
  if (path.startsWith('/__control/')) return control(emu, request, path);

  const fault = takeFault(emu, method, path);
  if (fault) {
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.status !== undefined) {
      emu.record({ method, path, status: fault.status, fault: true });
      return faultResponse(fault);
    }
  }

  if (path === '/oauth/authorize' && (method === 'GET' || method === 'POST')) return authorize(emu, request, url);
  if (path === '/oauth/token' && method === 'POST') return token(emu, request, url);
  if (path === '/oauth/revoke' && method === 'POST') return revoke(emu, request, url);

  const recordingAnswer = path.startsWith('/rec/') ? recordingWeb(emu, request, path) : null;
  if (recordingAnswer) {
    emu.record({ method, path, status: recordingAnswer.status });
    return recordingAnswer;
  }

  const pageMatch = /^\/([js])\/(\d+)$/.exec(path);
  if (pageMatch && method === 'GET') {
    const meeting = emu.state.meetings.find((m) => m.id.toString() === pageMatch[2] && m.deletedAt === null);
    if (!meeting) return errorPage('Meeting not found', 'This meeting ID is not valid.', 404);
    return meetingPage(meeting, pageMatch[1] === 's' ? 'start' : 'join');
  }

  if (path.startsWith('/v2/')) {
    try {
      const { response, userId, accountId, body } = await api(emu, request, path);
      emu.record({ method, path, status: response.status, userId, accountId, ...(body !== undefined ? { body } : {}) });
      return response;
    } catch (error) {
      if (error instanceof HttpError) {
        emu.record({ method, path, status: error.response.status });
        return error.response;
      }
      throw error;
    }
  }
  return new Response('Not found', { status: 404 });
}
