import { TZDate } from '@date-fns/tz';
import type { EmuCalendar, EmulatorState, EventDateTime } from './state';

/** What every part of the emulator gets: its state, its clock and its configuration. */
export type EmulatorContext = {
  state: EmulatorState;
  basePath: string;
  clientId: string;
  clientSecret: string;
  redirectUris?: string[];
  /** `iss` of id_tokens; by default the base URL a request reached (origin + basePath). */
  issuer?: string;
  now: () => Date;
};

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  410: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_REASON: Record<number, string> = {
  400: 'badRequest',
  401: 'authError',
  403: 'forbidden',
  404: 'notFound',
  409: 'duplicate',
  410: 'deleted',
  429: 'rateLimitExceeded',
  500: 'backendError',
  502: 'backendError',
  503: 'backendError',
  504: 'backendError',
};

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=UTF-8', ...headers } });

/** Google API error body: {"error":{"code","message","errors":[{domain,reason,message,…}],"status"}}. */
export function apiError(
  code: number,
  message: string,
  reason: string = DEFAULT_REASON[code] ?? 'unknown',
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
): Response {
  return json(
    { error: { code, message, errors: [{ message, domain: 'global', reason, ...extra }], status: STATUS_TEXT[code] ?? 'UNKNOWN' } },
    code,
    headers,
  );
}

/** Google OAuth error body: {"error":"invalid_grant","error_description":"…"}. */
export const oauthError = (status: number, error: string, description: string) =>
  json({ error, error_description: description }, status);

export function defaultFaultBody(path: string, status: number): unknown {
  if (path === '/token' || path === '/revoke') {
    return { error: status >= 500 ? 'internal_failure' : 'invalid_request', error_description: `Emulated fault (${status})` };
  }
  const message = status >= 500 ? 'Backend Error' : `Emulated fault (${status})`;
  return {
    error: {
      code: status,
      message,
      errors: [{ message, domain: 'global', reason: DEFAULT_REASON[status] ?? 'unknown' }],
      status: STATUS_TEXT[status] ?? 'UNKNOWN',
    },
  };
}

export async function readBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  const text = await request.text();
  if (type.includes('application/json')) {
    const params = new URLSearchParams();
    try {
      for (const [key, value] of Object.entries(JSON.parse(text) as Record<string, unknown>)) {
        if (typeof value === 'string') params.set(key, value);
      }
    } catch {
      // an unparsable body has no parameters
    }
    return params;
  }
  return new URLSearchParams(text);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An RFC 3339 timestamp with an offset (what Google requires for timeMin/timeMax), else null. */
export function parseRfc3339(value: string | null | undefined): Date | null {
  if (!value || !RFC3339.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

export const isDate = (value: string) => DATE.test(value);

/** Midnight of a calendar date in a zone (all-day events are dates in the calendar's zone). */
function zonedMidnight(date: string, timeZone: string): Date | null {
  const match = DATE.exec(date);
  if (!match) return null;
  return new Date(new TZDate(Number(match[1]), Number(match[2]) - 1, Number(match[3]), timeZone).getTime());
}

/** The absolute instant of an event boundary, like Google computes it for free/busy. */
export function instantOf(value: EventDateTime, calendar: EmuCalendar): Date | null {
  if (value.date) return zonedMidnight(value.date, value.timeZone ?? calendar.timeZone);
  if (!value.dateTime) return null;
  const absolute = parseRfc3339(value.dateTime);
  if (absolute) return absolute;
  const local = LOCAL_DATE_TIME.exec(value.dateTime);
  if (!local) return null;
  const zone = value.timeZone ?? calendar.timeZone;
  return new Date(
    new TZDate(Number(local[1]), Number(local[2]) - 1, Number(local[3]), Number(local[4]), Number(local[5]), Number(local[6] ?? 0), zone).getTime(),
  );
}

export const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
