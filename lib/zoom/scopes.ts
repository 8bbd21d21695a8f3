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
