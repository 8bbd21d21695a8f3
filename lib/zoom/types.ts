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
  /** Registration on with automatic approval (settings.approval_type 0): registrants get personal join links. */
  registration?: boolean;
  /** Meeting settings (an organisation's defaults or a page's override): sent at create, not on every reschedule. */
  settings?: ZoomMeetingSettings;
  /** The meeting passcode (lib/zoom/passcode.ts passcodeFor: one the Zoom user's policy accepts); absent: Zoom decides. */
  password?: string;
  /** Zoom users (emails) who may start the meeting in the host's place (settings.alternative_hosts); sent at create only. */
  alternativeHosts?: string[];
};

/** Zoom's meeting `settings` Aki sets (camelCase here, snake_case on the wire); absent fields: the Zoom user's own defaults. */
export type ZoomMeetingSettings = {
  waitingRoom?: boolean;
  joinBeforeHost?: boolean;
  muteUponEntry?: boolean;
  hostVideo?: boolean;
  participantVideo?: boolean;
  autoRecording?: 'none' | 'cloud' | 'local';
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
  /** The settings Aki knows, as Zoom reports them (GET/create). */
  settings?: ZoomMeetingSettings;
  /** The alternative hosts as Zoom reports them (settings.alternative_hosts, split); empty when none. */
  alternativeHosts: string[];
};

/**
 * Where a Zoom meeting operation gets its access token. The meeting code (lib/zoom/client.ts) knows
 * nothing else about credentials: today's source is the host's user-level OAuth link
 * (lib/zoom/tokens.ts userOAuthSource); an organisation's Server-to-Server app would be a second kind.
 * Failures are IntegrationError (lib/errors.ts): not_connected, revoked, oauth_refused, unavailable.
 */
export interface ZoomCredentialSource {
  /** user_oauth: a host's own link (lib/zoom/tokens.ts); server_to_server: an organisation's account app (lib/zoom/s2s.ts). */
  readonly kind: 'user_oauth' | 'server_to_server';
  /**
   * The Zoom account whose rate limits this source shares (server_to_server: every host of the
   * organisation shares one account's limits, so a 429 backs off the whole account). Absent for user_oauth.
   */
  readonly accountKey?: string;
  /** Whose token this is: the key of the single-flight refresh (and of anything cached per credential). */
  readonly hostKey: string;
  /** The Zoom user the meeting paths name (`/users/{zoomUser}/meetings`): `me` for a user's own token. */
  readonly zoomUser: string;
  /** A usable access token (refreshed first when about to expire). */
  accessToken(): Promise<string>;
  /** Zoom answered 401 to `rejected`: a fresh token (refreshed once across callers), or the error that prevents it. */
  onUnauthorized(rejected: string): Promise<string>;
}
