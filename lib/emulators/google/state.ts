import { randomBytes } from 'node:crypto';

/**
 * In-memory state of the Google emulator: accounts, calendars, events, OAuth grants and tokens,
 * plus a log of API calls. Everything is plain data so `GET /__control/state` can return it as is.
 */

export const SCOPE_CALENDAR = 'https://www.googleapis.com/auth/calendar';
export const SCOPE_CALENDAR_READONLY = 'https://www.googleapis.com/auth/calendar.readonly';
export const SCOPE_CALENDAR_EVENTS = 'https://www.googleapis.com/auth/calendar.events';
export const SCOPE_CALENDAR_EVENTS_READONLY = 'https://www.googleapis.com/auth/calendar.events.readonly';
export const SCOPE_FREEBUSY = 'https://www.googleapis.com/auth/calendar.freebusy';

/** Scopes the emulator knows; others are rejected at the consent screen like Google does. */
export const KNOWN_SCOPES = [
  SCOPE_CALENDAR,
  SCOPE_CALENDAR_READONLY,
  SCOPE_CALENDAR_EVENTS,
  SCOPE_CALENDAR_EVENTS_READONLY,
  SCOPE_FREEBUSY,
  'openid',
  'email',
  'profile',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
];

export const ACCESS_TOKEN_TTL_SECONDS = 3599;
export const AUTH_CODE_TTL_MS = 10 * 60 * 1000;

export type EmuUser = { id: string; email: string; name: string };

export type EmuCalendar = {
  id: string;
  userId: string;
  summary: string;
  timeZone: string;
  primary: boolean;
  accessRole: 'owner' | 'writer' | 'reader';
  backgroundColor: string;
};

export type EventDateTime = { dateTime?: string; date?: string; timeZone?: string };

export type EmuAttendee = { email: string; displayName?: string; responseStatus: string; self?: boolean; organizer?: boolean };

export type EmuEvent = {
  id: string;
  calendarId: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  summary?: string;
  description?: string;
  location?: string;
  start: EventDateTime;
  end: EventDateTime;
  transparency: 'opaque' | 'transparent';
  attendees: EmuAttendee[];
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  organizer: { email: string; self: boolean };
  creator: { email: string };
  iCalUID: string;
  sequence: number;
  created: string;
  updated: string;
  etag: string;
  /** The sendUpdates parameter of the last write (what Google would have mailed attendees). */
  lastSendUpdates: string;
};

export type EmuGrant = {
  id: string;
  userId: string;
  clientId: string;
  scopes: string[];
  refreshToken: string | null;
  revoked: boolean;
  createdAt: string;
};

export type EmuAccessToken = { token: string; grantId: string; expiresAt: string };

export type EmuAuthCode = {
  code: string;
  userId: string;
  clientId: string;
  scopes: string[];
  redirectUri: string;
  offline: boolean;
  promptConsent: boolean;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  /** OpenID nonce of the authorization request, echoed in the id_token. */
  nonce?: string | null;
  expiresAt: string;
  used: boolean;
};

export type EmuCall = {
  at: string;
  method: string;
  path: string;
  status: number;
  /** Only for event writes: the sendUpdates query parameter. */
  sendUpdates?: string;
  fault?: boolean;
};

export type EmuFault = {
  method: string;
  path: string;
  status: number;
  times: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
};

export type EmulatorState = {
  users: EmuUser[];
  calendars: EmuCalendar[];
  events: EmuEvent[];
  grants: EmuGrant[];
  accessTokens: EmuAccessToken[];
  codes: EmuAuthCode[];
  calls: EmuCall[];
  faults: EmuFault[];
  /** Emulator clock: milliseconds added to the real clock. */
  clockOffsetMs: number;
};

export const DEMO_EMAIL = 'aki.demo@gmail.com';

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/** A Google-style event id: base32hex characters. */
export function newEventId(): string {
  const bytes = randomBytes(20);
  let out = '';
  for (const byte of bytes) out += BASE32HEX[byte % 32];
  return out;
}

export const randomId = (bytes = 12) => randomBytes(bytes).toString('base64url');

function slug(email: string): string {
  return (email.split('@')[0] ?? 'user').replace(/[^a-z0-9]/gi, '').toLowerCase() || 'user';
}

/** Adds an account with its primary calendar and a second calendar called "Work". */
export function addUser(state: EmulatorState, email: string, name?: string): EmuUser {
  const user: EmuUser = { id: `1${randomBytes(9).readUIntBE(0, 6)}`, email, name: name ?? email.split('@')[0] ?? email };
  state.users.push(user);
  state.calendars.push(
    { id: email, userId: user.id, summary: email, timeZone: 'Asia/Tokyo', primary: true, accessRole: 'owner', backgroundColor: '#9fe1e7' },
    {
      id: `${slug(email)}.work@group.calendar.google.com`,
      userId: user.id,
      summary: 'Work',
      timeZone: 'Asia/Tokyo',
      primary: false,
      accessRole: 'owner',
      backgroundColor: '#f691b2',
    },
  );
  return user;
}

export function initialState(): EmulatorState {
  const state: EmulatorState = {
    users: [],
    calendars: [],
    events: [],
    grants: [],
    accessTokens: [],
    codes: [],
    calls: [],
    faults: [],
    clockOffsetMs: 0,
  };
  addUser(state, DEMO_EMAIL, 'Aki Demo');
  return state;
}
