import { randomBytes } from 'node:crypto';
import { jsonResponse } from './json';
import type { CallRecord, EmulatorState } from './state';
import type { ZoomEmulatorOptions } from './emulator';

/** What every part of the emulator gets: its state (replaced on reset), its clock, its options and the call log. */
export type ZoomContext = {
  state: EmulatorState;
  readonly options: ZoomEmulatorOptions;
  /** Path prefix the emulator is mounted under, without a trailing slash. */
  readonly basePath: string;
  readonly appName: string;
  now(): number;
  record(call: Omit<CallRecord, 'at'>): void;
};

/** Thrown by request handlers to answer with `response` (caught and recorded by the dispatcher). */
export class HttpError extends Error {
  constructor(public readonly response: Response) {
    super('http error');
  }
}

export const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export function trackingId(): string {
  return `v=2.0;clid=us05;rid=WEB_${randomBytes(16).toString('hex')}`;
}

export function oauthError(error: string, reason: string, status = 400): Response {
  return jsonResponse({ reason, error }, status, { 'x-zm-trackingid': trackingId() });
}

export function apiError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse({ code, message }, status, { 'x-zm-trackingid': trackingId(), ...headers });
}

export function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

export async function readParams(request: Request, url: URL): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const type = request.headers.get('content-type') ?? '';
    const text = await request.text();
    if (text && (type.includes('application/x-www-form-urlencoded') || type === '')) {
      for (const [key, value] of new URLSearchParams(text)) params[key] = value;
    } else if (text && type.includes('application/json')) {
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') params[key] = value;
      } catch {
        // ignored: Zoom answers with the missing-parameter error below
      }
    }
  }
  return params;
}

export function rateHeaders(category: 'Light' | 'Medium', extra: Record<string, string> = {}): Record<string, string> {
  const limit = category === 'Light' ? 30 : 20;
  return { 'X-RateLimit-Category': category, 'X-RateLimit-Type': 'QPS', 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(limit - 1), ...extra };
}

/** The base URL the emulator answered on (origin + mount path): join and start links point there. */
export function origin(emu: ZoomContext, request: Request): string {
  return new URL(request.url).origin + emu.basePath;
}
