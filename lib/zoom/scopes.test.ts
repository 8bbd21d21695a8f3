import { describe, expect, it } from 'vitest';
import { missingZoomScopes } from './scopes';

describe('missingZoomScopes', () => {
  it('accepts the granular set, a larger set and the classic set', () => {
    const granular = [
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
    expect(missingZoomScopes(granular)).toEqual([]);
    expect(missingZoomScopes([...granular, 'meeting:read:summary'])).toEqual([]);
    expect(missingZoomScopes(['user:read', 'meeting:write', 'meeting:read', 'recording:read'])).toEqual([]);
  });
  it('names what is missing, and says nothing when Zoom reported no scopes', () => {
    const after = ['meeting:read:past_meeting', 'meeting:read:list_past_participants', 'cloud_recording:read:list_recording_files', 'meeting:write:registrant'];
    expect(missingZoomScopes(['user:read:user', 'meeting:write:meeting', 'meeting:read:meeting', ...after])).toEqual([
      'meeting:update:meeting',
      'meeting:delete:meeting',
      'meeting:read:list_meetings',
    ]);
    // Reconciliation lists the host's meetings: without the list scope the app cannot avoid duplicates.
    expect(
      missingZoomScopes(['user:read:user', 'meeting:write:meeting', 'meeting:update:meeting', 'meeting:delete:meeting', 'meeting:read:meeting', ...after]),
    ).toEqual(['meeting:read:list_meetings']);
    // A link made before attendance and recordings existed: reconnect to allow them.
    expect(
      missingZoomScopes(['user:read:user', 'meeting:write:meeting', 'meeting:update:meeting', 'meeting:delete:meeting', 'meeting:read:meeting', 'meeting:read:list_meetings']),
    ).toEqual(after);
    // Classic apps: recording:read is its own scope.
    expect(missingZoomScopes(['user:read', 'meeting:write', 'meeting:read'])).toEqual(['cloud_recording:read:list_recording_files']);
    expect(missingZoomScopes([])).toEqual([]);
  });
});
