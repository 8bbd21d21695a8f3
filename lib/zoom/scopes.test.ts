import { describe, expect, it } from 'vitest';
import { missingS2sScopes, missingZoomScopes, REQUIRED_S2S_SCOPES, s2sCanCreateUsers } from './scopes';

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

describe('missingS2sScopes (an organisation\'s Server-to-Server app)', () => {
  const granular = REQUIRED_S2S_SCOPES.map((options) => options[0]!);
  it('accepts the granular admin set, the classic admin set and the master scopes', () => {
    expect(granular.every((scope) => scope.endsWith(':admin'))).toBe(true);
    expect(missingS2sScopes(granular)).toEqual([]);
    expect(missingS2sScopes(['meeting:write:admin', 'meeting:read:admin', 'user:read:admin', 'recording:read:admin'])).toEqual([]);
    expect(missingS2sScopes(['meeting:master', 'user:master', 'recording:master'])).toEqual([]);
  });
  it('names what is missing; user-level scopes do not count; no scopes at all lacks everything', () => {
    expect(missingS2sScopes(granular.filter((s) => s !== 'user:read:list_users:admin'))).toEqual(['user:read:list_users:admin']);
    expect(missingS2sScopes(['meeting:write:admin', 'meeting:read:admin', 'user:read:admin'])).toEqual(['cloud_recording:read:list_recording_files:admin']);
    expect(missingS2sScopes(['user:read:user', 'meeting:write:meeting', 'meeting:read', 'user:read', 'recording:read'])).toEqual(granular);
    expect(missingS2sScopes([])).toEqual(granular);
  });
  it('creating users is optional: granular, classic or master', () => {
    expect(s2sCanCreateUsers(granular)).toBe(false);
    expect(s2sCanCreateUsers(['user:write:user:admin'])).toBe(true);
    expect(s2sCanCreateUsers(['user:write:admin'])).toBe(true);
    expect(s2sCanCreateUsers(['user:write:user'])).toBe(false);
  });
});
