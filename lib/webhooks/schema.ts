import { z } from 'zod';
import { oneLineText } from '@/lib/text-input';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType, isWebhookEventType } from './events';
import { webhookUrlProblem } from './ssrf';

/** How many subscriptions one host may have (each event fans out to every one of them). */
export const MAX_WEBHOOKS_PER_HOST = 20;
export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_DESCRIPTION_MAX = 200;

/** The secret's form (Standard Webhooks): `whsec_` + base64 of the random key bytes. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const WEBHOOK_SECRET_BYTES = 32;

/** Why a URL may not receive webhooks (a reason code for the form and the API), or null: lib/webhooks/ssrf.ts's rule. */
export const forbiddenWebhookUrl = (url: string, allowPrivate: boolean): string | null => webhookUrlProblem(url, allowPrivate)?.code ?? null;

const urlField = z
  .string({ error: 'required' })
  .trim()
  .min(1, 'required')
  .max(WEBHOOK_URL_MAX, 'too_long');

const eventsField = z
  .array(z.string({ error: 'unknown_event' }), { error: 'required' })
  .min(1, 'required')
  .superRefine((events, ctx) => {
    events.forEach((event, index) => {
      if (!isWebhookEventType(event)) ctx.addIssue({ code: 'custom', path: [index], message: 'unknown_event' });
    });
  })
  // Stored once each, in the order the UI lists them.
  .transform((events) => WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type)) as WebhookEventType[]);

const descriptionField = oneLineText(WEBHOOK_DESCRIPTION_MAX, 'too_long');

/** The URL's own rule on top of its length (scheme, credentials, private targets). */
const urlRule = (allowPrivate: boolean) => (value: { url?: string }, ctx: z.RefinementCtx) => {
  if (value.url === undefined || value.url === '') return;
  const problem = forbiddenWebhookUrl(value.url, allowPrivate);
  if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
};

/** POST /api/v1/webhooks and the "Add webhook" form. */
export const createWebhookSchema = (allowPrivate: boolean) =>
  z
    .object({ url: urlField, events: eventsField, description: descriptionField.optional().default('') })
    .superRefine(urlRule(allowPrivate));

/** PATCH /api/v1/webhooks/{id} and the subscription page: every field optional. */
export const updateWebhookSchema = (allowPrivate: boolean) =>
  z
    .object({
      url: urlField.optional(),
      events: eventsField.optional(),
      description: descriptionField.optional(),
      status: z.enum(['active', 'disabled'], { error: 'invalid_status' }).optional(),
    })
    .superRefine(urlRule(allowPrivate));

export type CreateWebhookInput = z.output<ReturnType<typeof createWebhookSchema>>;
export type UpdateWebhookInput = z.output<ReturnType<typeof updateWebhookSchema>>;

/** Paging of the delivery log: newest first, `before` a delivery id (keyset). */
export const DELIVERY_PAGE_SIZE = 20;
export const DELIVERY_PAGE_MAX = 100;
