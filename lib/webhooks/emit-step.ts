import 'server-only';
import type { StepHandler } from '@/lib/bookings/effects/context';

/** The `webhook.emit` step: builds the event's payload and inserts one delivery per matching subscription. (Stub: helper A.) */
export const webhookEmit: StepHandler = {
  async run() {
    return { type: 'skipped', reason: 'not implemented' };
  },
};
