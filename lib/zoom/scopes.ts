/**
 * The scopes Aki needs, each satisfied by its granular (current apps) or classic (older apps)
 * name. Zoom may return a larger set ("scope upgrade"), so only a subset check makes sense.
 */
export const REQUIRED_ZOOM_SCOPES: readonly (readonly string[])[] = [
  ['user:read:user', 'user:read', 'user_info:read'],
  ['meeting:write:meeting', 'meeting:write'],
  ['meeting:update:meeting', 'meeting:write'],
  ['meeting:delete:meeting', 'meeting:write'],
  ['meeting:read:meeting', 'meeting:read'],
  // GET /users/me/meetings: reconciling an ambiguous create (a timed-out POST may have created it).
  ['meeting:read:list_meetings', 'meeting:read'],
  // After the meeting (lib/meetings): who attended, and the cloud recordings; guest registration.
  ['meeting:read:past_meeting', 'meeting:read'],
  ['meeting:read:list_past_participants', 'meeting:read'],
  ['cloud_recording:read:list_recording_files', 'recording:read'],
  ['meeting:write:registrant', 'meeting:write'],
];

/** The granular names of required scopes that `granted` lacks ([] when Zoom reported none at all). */
export function missingZoomScopes(granted: readonly string[]): string[] {
  if (granted.length === 0) return [];
  return REQUIRED_ZOOM_SCOPES.filter((options) => !options.some((scope) => granted.includes(scope))).map((options) => options[0]!);
}

/**
 * The scopes an organisation's Server-to-Server app needs (issue 12): admin scopes, because the app
 * acts for every user of the account. Each entry: the granular `:admin` name (current apps) first,
 * then the classic admin name and the classic "master" name that cover it (older apps).
 */
export const REQUIRED_S2S_SCOPES: readonly (readonly string[])[] = [
  ['meeting:write:meeting:admin', 'meeting:write:admin', 'meeting:master'],
  ['meeting:update:meeting:admin', 'meeting:write:admin', 'meeting:master'],
  ['meeting:delete:meeting:admin', 'meeting:write:admin', 'meeting:master'],
  ['meeting:read:meeting:admin', 'meeting:read:admin', 'meeting:master'],
  // Reconciling an ambiguous create lists the Zoom user's meetings.
  ['meeting:read:list_meetings:admin', 'meeting:read:admin', 'meeting:master'],
  // Mapping members to Zoom users, and the passcode policy of a user's meetings.
  ['user:read:user:admin', 'user:read:admin', 'user:master'],
  ['user:read:list_users:admin', 'user:read:admin', 'user:master'],
  ['user:read:settings:admin', 'user:read:admin', 'user:master'],
  // After the meeting: attendance, recordings, guest registration.
  ['meeting:read:past_meeting:admin', 'meeting:read:admin', 'meeting:master'],
  ['meeting:read:list_past_participants:admin', 'meeting:read:admin', 'meeting:master'],
  ['cloud_recording:read:list_recording_files:admin', 'recording:read:admin', 'recording:master'],
  ['meeting:write:registrant:admin', 'meeting:write:admin', 'meeting:master'],
];

/** Only needed to create Zoom users for members ("Create Zoom user"): its absence is reported, not a failure. */
export const OPTIONAL_S2S_CREATE_USER_SCOPE: readonly string[] = ['user:write:user:admin', 'user:write:admin', 'user:master'];

/** The granular names of the required S2S scopes that `granted` lacks (an empty `granted` lacks them all). */
export function missingS2sScopes(granted: readonly string[]): string[] {
  return REQUIRED_S2S_SCOPES.filter((options) => !options.some((scope) => granted.includes(scope))).map((options) => options[0]!);
}

/** Whether `granted` lets the app create Zoom users (POST /users). */
export function s2sCanCreateUsers(granted: readonly string[]): boolean {
  return OPTIONAL_S2S_CREATE_USER_SCOPE.some((scope) => granted.includes(scope));
}
