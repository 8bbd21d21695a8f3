import { z } from 'zod';
import type { MeetingDefaults } from '@/lib/db/schema/organisations';

/**
 * Zoom meeting settings of an organisation's meetings (issue 12): the organisation's defaults
 * (`organisations.meetingDefaults`), overridden per booking page (`booking_pages.meetingSettings`,
 * null = the defaults). Pure: no I/O, usable on both sides.
 */

export type { MeetingDefaults };

export const MEETING_SETTING_KEYS = ['waitingRoom', 'joinBeforeHost', 'muteUponEntry', 'hostVideo', 'participantVideo', 'autoRecording', 'passcode'] as const;
export const BOOLEAN_MEETING_SETTINGS = ['waitingRoom', 'joinBeforeHost', 'muteUponEntry', 'hostVideo', 'participantVideo'] as const;
export type BooleanMeetingSetting = (typeof BOOLEAN_MEETING_SETTINGS)[number];
export const AUTO_RECORDING_VALUES = ['none', 'cloud', 'local'] as const;
export const PASSCODE_VALUES = ['generate', 'none'] as const;

/** What Aki uses where neither the organisation nor the page says anything (the form's initial values). */
export const BASELINE_MEETING_SETTINGS: Required<MeetingDefaults> = {
  waitingRoom: false,
  joinBeforeHost: false,
  muteUponEntry: false,
  hostVideo: true,
  participantVideo: true,
  autoRecording: 'none',
  passcode: 'generate',
};

/** Keeps only known keys with valid values (a jsonb column may hold anything an older version wrote). */
export function cleanMeetingSettings(value: unknown): MeetingDefaults {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const input = value as Record<string, unknown>;
  const out: MeetingDefaults = {};
  for (const key of BOOLEAN_MEETING_SETTINGS) {
    if (typeof input[key] === 'boolean') out[key] = input[key];
  }
  if (AUTO_RECORDING_VALUES.includes(input.autoRecording as never)) out.autoRecording = input.autoRecording as MeetingDefaults['autoRecording'];
  if (PASSCODE_VALUES.includes(input.passcode as never)) out.passcode = input.passcode as MeetingDefaults['passcode'];
  return out;
}

/**
 * The settings a meeting of this page gets: the page's override, key by key, over the
 * organisation's defaults. A key neither sets stays absent (Zoom's account setting applies).
 */
export function effectiveMeetingSettings(orgDefaults: MeetingDefaults | null | undefined, pageSettings: MeetingDefaults | null | undefined): MeetingDefaults {
  const base = cleanMeetingSettings(orgDefaults);
  const page = cleanMeetingSettings(pageSettings);
  return { ...base, ...page };
}

/** Every setting given (the forms send them all): an organisation's defaults, or a page's override. */
export const meetingSettingsSchema = z
  .object({
    waitingRoom: z.boolean(),
    joinBeforeHost: z.boolean(),
    muteUponEntry: z.boolean(),
    hostVideo: z.boolean(),
    participantVideo: z.boolean(),
    autoRecording: z.enum(AUTO_RECORDING_VALUES),
    passcode: z.enum(PASSCODE_VALUES),
  })
  .strict();
