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
  /** Zoom's user status (`GET /v2/users?status=`); absent means active (states saved before accounts existed). */
  status?: 'active' | 'pending' | 'inactive';
  /** Per-user settings (`GET /v2/users/{id}/settings`); absent parts read as DEFAULT_MEETING_SECURITY. */
  settings?: { meetingSecurity?: Partial<MeetingSecurity> };
  createdAt?: string;
};

/** `GET /v2/users/{id}/settings?option=meeting_security` → `meeting_security` (Zoom's field names). */
export type MeetingSecurity = {
  require_password_for_scheduled_meeting: boolean;
  meeting_password_requirement: {
    length: number;
    have_letter: boolean;
    have_number: boolean;
    have_special_character: boolean;
    only_allow_numeric: boolean;
    have_upper_and_lower_characters: boolean;
    consecutive_characters_length: number;
    weak_enhance_detection: boolean;
  };
  waiting_room: boolean;
  embed_password_in_join_link: boolean;
  auto_security: boolean;
  encryption_type: 'enhanced_encryption' | 'e2ee';
};

export function defaultMeetingSecurity(): MeetingSecurity {
  return {
    require_password_for_scheduled_meeting: true,
    meeting_password_requirement: {
      length: 6,
      have_letter: false,
      have_number: false,
      have_special_character: false,
      only_allow_numeric: false,
      have_upper_and_lower_characters: false,
      consecutive_characters_length: 0,
      weak_enhance_detection: false,
    },
    waiting_room: true,
    embed_password_in_join_link: true,
    auto_security: true,
    encryption_type: 'enhanced_encryption',
  };
}

/** A Server-to-Server OAuth app built on an account (Marketplace → Develop → Server-to-Server OAuth). */
export type S2sApp = {
  clientId: string;
  clientSecret: string;
  /** An app must be activated before its credentials get tokens; deactivating it kills its tokens (401/124). */
  activated: boolean;
  scopes: string[];
  /**
   * The app's event subscription: meeting events of the account's users (simulate, meeting changes) go here,
   * signed with `webhookSecretToken`, instead of the emulator's own OAuth app target.
   */
  webhookUrl?: string;
  webhookSecretToken?: string;
};

/**
 * Account-level rate limit, shared by every user and app of the account: `qps` requests per second
 * (counted over all API calls made with the account's tokens), and/or the next `next429` API calls
 * answered 429 outright. `retryAfterSeconds` is sent as Retry-After (default 1).
 */
export type AccountRateLimit = { qps?: number; next429?: number; retryAfterSeconds?: number };

export type EmulatorAccount = {
  id: string;
  name: string;
  s2sApps: S2sApp[];
  /** Licensed (type 2) seats; absent: unlimited. POST /v2/users with type 2 fails once every seat is used. */
  licenses?: number;
  rateLimit?: AccountRateLimit;
};

export type TokenSet = {
  id: string;
  /** The user of a user-level (authorization_code) set; '' for an account (Server-to-Server) set. */
  userId: string;
  /** Present for account_credentials tokens: the account the token acts for (every user of it). */
  accountId?: string;
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
  /** The account of the token (REST calls): account-level rate limits count these. */
  accountId?: string;
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
  /** Zoom accounts with Server-to-Server apps (users name theirs in `accountId`). */
  accounts: EmulatorAccount[];
  /** `${accountId}` → the current one-second window of API calls (account-level QPS). */
  accountWindows: Record<string, { second: number; count: number }>;
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
      // The second demo host's Zoom (npm run db:seed links demo2 to it, for the demo-team pages).
      id: 'Dm2HstQv7Lx0Rk3Pz9Wt5A',
      accountId: 'Q4Rw3mNcSx2uYbVvLp8aHg',
      email: 'demo2.host@zoom-demo.example',
      firstName: 'Demo',
      lastName: 'Host Two',
      type: 2,
      timezone: 'Asia/Tokyo',
      language: 'en-US',
      pmi: 4155552672n,
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

/** Every admin scope an S2S app of Aki's needs (issue 12), granular names. */
export const S2S_ADMIN_SCOPES = [
  'meeting:write:meeting:admin',
  'meeting:update:meeting:admin',
  'meeting:delete:meeting:admin',
  'meeting:read:meeting:admin',
  'meeting:read:list_meetings:admin',
  'user:read:user:admin',
  'user:read:list_users:admin',
  'user:read:settings:admin',
  'user:write:user:admin',
  'meeting:read:past_meeting:admin',
  'meeting:read:list_past_participants:admin',
  'cloud_recording:read:list_recording_files:admin',
  'meeting:write:registrant:admin',
];

export const DEMO_ACCOUNT_ID = 'demo-account';
export const DEMO_S2S_CLIENT_ID = 'demo-s2s';
export const DEMO_S2S_CLIENT_SECRET = 'demo-s2s-secret';

/** The demo organisation's Zoom account (issue 12): an activated S2S app and three users to map members to. */
export function defaultAccounts(): EmulatorAccount[] {
  return [
    {
      id: DEMO_ACCOUNT_ID,
      name: 'Demo',
      s2sApps: [{ clientId: DEMO_S2S_CLIENT_ID, clientSecret: DEMO_S2S_CLIENT_SECRET, activated: true, scopes: [...S2S_ADMIN_SCOPES] }],
      licenses: 5,
    },
  ];
}

export function demoAccountUsers(): EmulatorUser[] {
  const base = { accountId: DEMO_ACCOUNT_ID, timezone: 'Asia/Tokyo', status: 'active' as const, createdAt: '2025-04-01T09:00:00Z' };
  return [
    { ...base, id: 'dEm0UsErAkiDemoHst0001', email: 'demo@example.com', firstName: 'Demo', lastName: 'Host', type: 2, language: 'en-US', pmi: 3105550101n },
    { ...base, id: 'dEm0UsErHanaSuzuki0002', email: 'hana.suzuki@example.com', firstName: 'Hana', lastName: 'Suzuki', type: 2, language: 'ja-JP', pmi: 3105550102n },
    { ...base, id: 'dEm0UsErTaroYamada0003', email: 'taro.yamada@example.com', firstName: 'Taro', lastName: 'Yamada', type: 1, language: 'ja-JP', pmi: 3105550103n },
  ];
}

export function initialState(): EmulatorState {
  return {
    accounts: defaultAccounts(),
    accountWindows: {},
    users: [...defaultUsers(), ...demoAccountUsers()],
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
