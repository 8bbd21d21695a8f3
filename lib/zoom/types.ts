/**
 * What the rest of Aki relies on from lib/zoom (the booking pipeline calls these through
 * lib/zoom/client.ts). Meeting ids are strings: Zoom's are int64 and overflow JS numbers.
 */

export type ZoomMeetingInput = {
  topic: string;
  /** Absolute start; sent to Zoom as UTC with a trailing Z, together with the host's zone. */
  start: Date;
  durationMinutes: number;
  /** The host's IANA zone (shown in Zoom's UI). */
  timeZone: string;
  /** Contains the booking uid (`aki:<uid>`) so an ambiguous create can be reconciled. */
  agenda: string;
};

export type ZoomMeeting = {
  id: string;
  /** Not in Zoom's documented create response: present on reads, never required. */
  uuid?: string;
  joinUrl: string;
  startUrl?: string;
  password?: string;
  topic: string;
  startTime: string;
  durationMinutes: number;
  agenda?: string;
  /** The zone Zoom shows the meeting in (one of Zoom's own list). */
  timeZone?: string;
  /** "waiting" | "started" (GET); unknown values are kept as they come. */
  status?: string;
};

/** Base of every typed failure of a Zoom call. `retryable` tells the pipeline whether to try again. */
export class ZoomError extends Error {
  constructor(
    message: string,
    public readonly retryable: boolean,
    public readonly status?: number,
    public readonly zoomCode?: number | string,
  ) {
    super(message);
    this.name = 'ZoomError';
  }
}
/** The host has no Zoom link. */
export class ZoomNotConnectedError extends ZoomError {
  constructor() {
    super('Zoom is not connected', false);
    this.name = 'ZoomNotConnectedError';
  }
}
/** The link was revoked (invalid_grant on refresh, app_deauthorized): the host must reconnect. */
export class ZoomRevokedError extends ZoomError {
  constructor(reason: string) {
    super(`Zoom link revoked: ${reason}`, false);
    this.name = 'ZoomRevokedError';
  }
}
/**
 * 429 (or the older 300 "maximum … meetings can be created/updated … in one day"): `retryAfterMs`
 * from Retry-After (seconds or HTTP date), the time to the next 00:00 UTC for the per-host daily
 * create/update limit (`daily`; Zoom sends no Retry-After then), or a default backoff.
 */
export class ZoomRateLimitedError extends ZoomError {
  constructor(
    public readonly retryAfterMs: number,
    public readonly daily = false,
  ) {
    super(
      daily
        ? `Zoom daily meeting create/update limit reached; retry after 00:00 UTC (${Math.round(retryAfterMs / 60_000)} min)`
        : `Zoom rate limit; retry after ${Math.round(retryAfterMs / 1000)} s`,
      true,
      429,
    );
    this.name = 'ZoomRateLimitedError';
  }
}
/** 400/3000 "cannot update or delete meetings that have started" or 400/3002 "in progress". */
export class ZoomMeetingStartedError extends ZoomError {
  constructor(message: string, zoomCode: number) {
    super(message, false, 400, zoomCode);
    this.name = 'ZoomMeetingStartedError';
  }
}
/** 400/3007 "cannot delete this meeting since it has ended". */
export class ZoomMeetingEndedError extends ZoomError {
  constructor(message: string) {
    super(message, false, 400, 3007);
    this.name = 'ZoomMeetingEndedError';
  }
}
/**
 * Reconciliation could not prove that no meeting carries the booking's marker (the list was cut
 * short): creating now might make a second meeting, so the host must look.
 */
export class ZoomLookupIncompleteError extends ZoomError {
  constructor(message: string) {
    super(message, false);
    this.name = 'ZoomLookupIncompleteError';
  }
}
/** 400/4711: the token lacks a scope; the host must re-authorise with it. */
export class ZoomMissingScopeError extends ZoomError {
  constructor(public readonly scope: string) {
    super(`Zoom token lacks the scope ${scope}`, false, 400, 4711);
    this.name = 'ZoomMissingScopeError';
  }
}
/** Network failure, timeout or 5xx: Zoom may or may not have acted (reconcile before re-creating). */
export class ZoomUnavailableError extends ZoomError {
  constructor(
    message: string,
    public readonly ambiguous: boolean,
    status?: number,
  ) {
    super(message, true, status);
    this.name = 'ZoomUnavailableError';
  }
}
/** 404/3001: the meeting does not exist (deleted, expired). deleteMeeting treats it as success. */
export class ZoomMeetingNotFoundError extends ZoomError {
  constructor(message: string) {
    super(message, false, 404, 3001);
    this.name = 'ZoomMeetingNotFoundError';
  }
}
/** 401 from the REST API (code 124: invalid or expired access token). The client refreshes once and retries. */
export class ZoomUnauthorizedError extends ZoomError {
  constructor(message: string, zoomCode?: number) {
    super(message, true, 401, zoomCode);
    this.name = 'ZoomUnauthorizedError';
  }
}
/**
 * The OAuth token/revoke endpoints answered `{reason, error}` (e.g. invalid_grant "Invalid Token!").
 * `error` is the OAuth error string; `reason` Zoom's text (may carry a 47xx code).
 */
export class ZoomOAuthError extends ZoomError {
  constructor(
    public readonly oauthError: string,
    public readonly reason: string,
    status?: number,
  ) {
    super(`Zoom OAuth error ${oauthError}: ${reason}`, false, status, oauthError);
    this.name = 'ZoomOAuthError';
  }
}
