import { describe, expect, it } from 'vitest';
import { cleanMeetingSettings, effectiveMeetingSettings } from './meeting-settings';

describe('effectiveMeetingSettings', () => {
  it('is the organisation defaults when the page has no override', () => {
    const org = { waitingRoom: true, autoRecording: 'cloud' as const, passcode: 'generate' as const };
    expect(effectiveMeetingSettings(org, null)).toEqual(org);
    expect(effectiveMeetingSettings(org, undefined)).toEqual(org);
    expect(effectiveMeetingSettings(org, {})).toEqual(org);
  });

  it('lets the page override key by key, false and none included', () => {
    const org = { waitingRoom: true, muteUponEntry: true, autoRecording: 'cloud' as const, passcode: 'generate' as const };
    expect(effectiveMeetingSettings(org, { waitingRoom: false, autoRecording: 'none', passcode: 'none' })).toEqual({
      waitingRoom: false,
      muteUponEntry: true,
      autoRecording: 'none',
      passcode: 'none',
    });
  });

  it('leaves keys neither sets absent (the Zoom account decides)', () => {
    const result = effectiveMeetingSettings({}, { hostVideo: false });
    expect(result).toEqual({ hostVideo: false });
    expect('joinBeforeHost' in result).toBe(false);
  });

  it('is empty with nothing from either side', () => {
    expect(effectiveMeetingSettings(null, null)).toEqual({});
  });

  it('drops unknown keys and invalid values from either side', () => {
    const org = { waitingRoom: 'yes', autoRecording: 'tape', passcode: 'generate', extra: 1 } as never;
    const page = { joinBeforeHost: 1, participantVideo: false, autoRecording: 'local' } as never;
    expect(effectiveMeetingSettings(org, page)).toEqual({ passcode: 'generate', participantVideo: false, autoRecording: 'local' });
  });

  it('does not mutate its inputs', () => {
    const org = Object.freeze({ waitingRoom: true });
    const page = Object.freeze({ waitingRoom: false });
    expect(effectiveMeetingSettings(org, page)).toEqual({ waitingRoom: false });
    expect(org).toEqual({ waitingRoom: true });
  });
});

describe('cleanMeetingSettings', () => {
  it('accepts nothing that is not an object', () => {
    expect(cleanMeetingSettings(null)).toEqual({});
    expect(cleanMeetingSettings([true])).toEqual({});
    expect(cleanMeetingSettings('waitingRoom')).toEqual({});
  });
});
