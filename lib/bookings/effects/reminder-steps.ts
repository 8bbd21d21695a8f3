import 'server-only';
import type { StepHandler } from './context';

/** Reminder mails before the meeting and the guest's follow-up after it. (Stub: helper C.) */
export const reminderMail: StepHandler = {
  async run() {
    return { type: 'skipped', reason: 'not implemented' };
  },
};

export const followUpMail: StepHandler = {
  async run() {
    return { type: 'skipped', reason: 'not implemented' };
  },
};
