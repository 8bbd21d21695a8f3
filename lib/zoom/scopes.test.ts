import { describe, expect, it } from 'vitest';
import { missingZoomScopes } from './scopes';

describe('missingZoomScopes', () => {
  it('accepts the granular set, a larger set and the classic set', () => {
    const granular = ['user:read:user', 'meeting:write:meeting', 'meeting:update:meeting', 'meeting:delete:meeting', 'meeting:read:meeting', 'meeting:read:list_meetings'];
    expect(missingZoomScopes(granular)).toEqual([]);
    expect(missingZoomScopes([...granular, 'cloud_recording:read:list_recording_files'])).toEqual([]);
    expect(missingZoomScopes(['user:read', 'meeting:write', 'meeting:read'])).toEqual([]);
  });
  it('names what is missing, and says nothing when Zoom reported no scopes', () => {
    expect(missingZoomScopes(['user:read:user', 'meeting:write:meeting', 'meeting:read:meeting'])).toEqual([
      'meeting:update:meeting',
      'meeting:delete:meeting',
      'meeting:read:list_meetings',
    ]);
    // Reconciliation lists the host's meetings: without the list scope the app cannot avoid duplicates.
    expect(missingZoomScopes(['user:read:user', 'meeting:write:meeting', 'meeting:update:meeting', 'meeting:delete:meeting', 'meeting:read:meeting'])).toEqual([
      'meeting:read:list_meetings',
    ]);
    expect(missingZoomScopes([])).toEqual([]);
  });
});
