/** The events a host may subscribe a webhook to (README "Webhooks"), in the order the UI lists them. */
export const WEBHOOK_EVENT_TYPES = [
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'meeting.created',
  'meeting.started',
  'meeting.ended',
  'attendance.updated',
  'recording.ready',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const isWebhookEventType = (value: string): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/** The type of "Send test event" deliveries (sent to the subscription whatever events it chose). */
export const TEST_EVENT_TYPE = 'webhook.test';
