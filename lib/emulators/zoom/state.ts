/**
 * In-memory state of the Zoom emulator. Everything a test may want to look at is plain data here
 * and is returned by `GET <base>/__control/state`.
 */

export type EmulatorUser = {
  id: string;
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  /** 1 Basic (free), 2 Licensed. */
  type: 1 | 2;
  timezone: string;
  language: string;
  pmi: bigint;
  /** Scopes this user grants; defaults to the app's scopes (config.appScopes). */
  scopes?: string[];
  /** The account requires the admin to pre-approve the app: the consent page never issues a code. */
  requiresPreApproval?: boolean;
};

export type TokenSet = {
  id: string;
  userId: string;
  clientId: string;
  scopes: string[];
  createdAt: number;
  revokedAt: number | null;
  /** superseded (re-authorised), revoked (/oauth/revoke), deauthorized (app removed) */
  revokedReason: string | null;
};

export type AccessToken = { token: string; setId: string; issuedAt: number; expiresAt: number };
export type RefreshToken = { token: string; setId: string; issuedAt: number; expiresAt: number; usedAt: number | null };

export type AuthCode = {
  code: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  expiresAt: number;
  usedAt: number | null;
};

export type EmulatorMeeting = {
  id: bigint;
  uuid: string;
  hostId: string;
  topic: string;
  type: number;
  /** UTC, ISO without milliseconds, trailing Z. */
  startTime: string;
  duration: number;
  timezone: string;
  agenda: string;
  password: string;
  createdAt: string;
  settings: Record<string, unknown>;
  deletedAt: number | null;
  /** waiting (not started), started (in progress: PATCH → 3000, DELETE → 3002), ended (DELETE → 3007). Set through /__control/meetings/{id}. */
  status: 'waiting' | 'started' | 'ended';
  /** People registered through POST /v2/meetings/{id}/registrants (absent in states saved before registrants existed). */
  registrants?: EmulatorRegistrant[];
  /** Held instances, oldest first (POST /__control/meetings/{id}/simulate); absent until one was simulated. */
  instances?: MeetingInstance[];
};

export type EmulatorRegistrant = {
  /** Zoom's registrant id (22 characters, base64url-like). */
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  status: 'approved' | 'pending';
  /** The `tk` of the personal join link. */
  joinToken: string;
  createdAt: string;
};

/** One join segment of one person (a rejoin is a second segment with the same participantUuid). */
export type PastParticipant = {
  /** Per join, numeric string (Zoom's meeting-scoped participant id). */
  userId: string;
  /** Stable per person within the instance. */
  participantUuid: string;
  /** The Zoom user id for the host (and signed-in users of the host's account), '' for guests. */
  id: string;
  name: string;
  email: string;
  registrantId: string | null;
  host: boolean;
  joinTime: string;
  /** null while the person is still in a meeting that has not ended. */
  leaveTime: string | null;
  leaveReason: string | null;
};

export type RecordingFileRecord = {
  id: string;
  fileType: 'MP4' | 'M4A' | 'TRANSCRIPT';
  fileExtension: 'MP4' | 'M4A' | 'VTT';
  recordingType: string;
  /** The size Zoom reports (the emulator serves filler bytes for MP4/M4A; the transcript's size is exact). */
  fileSize: number;
  recordingStart: string;
  recordingEnd: string;
  /** The transcript's WEBVTT text (MP4/M4A bytes are generated on download). */
  content?: string;
};

export type MeetingRecording = {
  shareId: string;
  password: string;
  playPasscode: string;
  files: RecordingFileRecord[];
};

export type MeetingInstance = {
  uuid: string;
  startTime: string;
  /** null while in progress. */
  endTime: string | null;
  participants: PastParticipant[];
  recording: MeetingRecording | null;
};

export type Fault = {
  id: number;
  method: string;
  /** Path below the emulator base (e.g. /oauth/token, /v2/users/me/meetings); a trailing * matches a prefix. */
  path: string;
  status?: number;
  /** How many matching requests it applies to; remaining counts down. */
  times: number;
  remaining: number;
  headers?: Record<string, string>;
  /** A string is sent as is (text/html unless headers say otherwise); anything else as JSON. */
  body?: unknown;
  delayMs?: number;
};

export type CallRecord = {
  at: string;
  method: string;
  path: string;
  status: number;
  userId?: string;
  grantType?: string;
  fault?: boolean;
  /** The JSON body of a REST POST/PATCH, as received (tests check what was sent). */
  body?: unknown;
};

export type WebhookDelivery = {
  at: string;
  event: string;
  url: string;
  status: number | null;
  responseBody: string;
  error?: string;
};

export type EmulatorConfig = {
  /** Scopes configured on the (emulated) Marketplace app. */
  appScopes: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  codeTtlSeconds: number;
  /** Create + update meeting requests per host per UTC day. */
  dailyMeetingLimit: number;
  /** Count deletes towards the daily limit too (Zoom's 2021 wording). */
  dailyLimitCountsDeletes: boolean;
  /** Whether GET /users/{id}/meetings includes `agenda` in each item. */
  listIncludesAgenda: boolean;
  dailyLimitMessage: string;
};

export type EmulatorState = {
  users: EmulatorUser[];
  tokenSets: TokenSet[];
  accessTokens: AccessToken[];
  refreshTokens: RefreshToken[];
  codes: AuthCode[];
  meetings: EmulatorMeeting[];
  faults: Fault[];
  calls: CallRecord[];
  events: WebhookDelivery[];
  preApprovalRequests: { userId: string; at: string }[];
  /** `${userId}:${YYYY-MM-DD}` → create/update requests counted that UTC day. */
  dailyCounts: Record<string, number>;
  stats: { tokenExchanges: number; refreshes: number; refreshFailures: number; revocations: number };
  clockOffsetMs: number;
  config: EmulatorConfig;
  nextFaultId: number;
};

export const DEFAULT_APP_SCOPES = [
  'user:read:user',
  'meeting:write:meeting',
  'meeting:update:meeting',
  'meeting:delete:meeting',
  'meeting:read:meeting',
  'meeting:read:list_meetings',
  'meeting:read:past_meeting',
  'meeting:read:list_past_participants',
  'cloud_recording:read:list_recording_files',
  'meeting:write:registrant',
];

export function defaultConfig(): EmulatorConfig {
  return {
    appScopes: [...DEFAULT_APP_SCOPES],
    accessTokenTtlSeconds: 3599,
    refreshTokenTtlSeconds: 90 * 24 * 3600,
    codeTtlSeconds: 300,
    dailyMeetingLimit: 100,
    dailyLimitCountsDeletes: false,
    listIncludesAgenda: true,
    dailyLimitMessage:
      'You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.',
  };
}

/** The demo accounts offered on the emulated consent page. */
export function defaultUsers(): EmulatorUser[] {
  return [
    {
      id: 'KdYKjnimT4KPd8FFgQt9FQ',
      accountId: 'Q4Rw3mNcSx2uYbVvLp8aHg',
      email: 'demo.host@zoom-demo.example',
      firstName: 'Demo',
      lastName: 'Host',
      type: 2,
      timezone: 'Asia/Tokyo',
      language: 'en-US',
      pmi: 4155552671n,
    },
    {
      id: 'p3Vb8hL0QZ-9xKcN2rTj4w',
      accountId: 'Q4Rw3mNcSx2uYbVvLp8aHg',
      email: 'aiko.tanaka@zoom-demo.example',
      firstName: 'Aiko',
      lastName: 'Tanaka',
      type: 1,
      timezone: 'Asia/Tokyo',
      language: 'ja-JP',
      pmi: 6285559012n,
    },
    {
      id: 'Zm1Xc0VhNHRrS2dQaW5nQQ',
      accountId: 'M9bPz7QwKx1yTnRcVs3dEf',
      email: 'ken.sato@managed-corp.example',
      firstName: 'Ken',
      lastName: 'Sato',
      type: 2,
      timezone: 'Asia/Tokyo',
      language: 'ja-JP',
      pmi: 8015553344n,
      requiresPreApproval: true,
    },
  ];
}

export function initialState(): EmulatorState {
  return {
    users: defaultUsers(),
    tokenSets: [],
    accessTokens: [],
    refreshTokens: [],
    codes: [],
    meetings: [],
    faults: [],
    calls: [],
    events: [],
    preApprovalRequests: [],
    dailyCounts: {},
    stats: { tokenExchanges: 0, refreshes: 0, refreshFailures: 0, revocations: 0 },
    clockOffsetMs: 0,
    config: defaultConfig(),
    nextFaultId: 1,
  };
}
