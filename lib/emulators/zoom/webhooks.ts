import { createHmac, randomBytes } from 'node:crypto';
import type { WebhookResult } from './emulator';
import { trackingId, type ZoomContext } from './http';
import { stringifyWithInt64 } from './json';
import { revokeSet } from './oauth';

/**
 * Zoom's signed webhook deliveries (x-zm-signature v0 HMAC), sent on demand through the control
 * API: `endpoint.url_validation` checks the app's answer; `app_deauthorized` kills the user's tokens.
 */

export type WebhookDeliveryOptions = {
  target?: string;
  timestampSeconds?: number;
  /** event_ts (epoch ms) when the event happened; default now. The signature timestamp stays the delivery time. */
  eventTs?: number;
  /** Top-level fields next to event/event_ts (recording.completed's download_token). */
  extra?: Record<string, unknown>;
  /** Sign with this secret and send this client id (a Server-to-Server app's event subscription); default the emulator's OAuth app. */
  app?: { clientId: string; secretToken: string };
};

/**
 * Where Zoom sends the meeting events of a host of `accountId`: the event subscriptions (webhookUrl) of the
 * account's activated Server-to-Server apps, each signed with that app's secret token. Empty when the account
 * has none (the events then go to the emulator's own OAuth app target).
 */
export function accountAppTargets(emu: ZoomContext, accountId: string | undefined): { target: string; app: { clientId: string; secretToken: string } }[] {
  const account = emu.state.accounts.find((a) => a.id === accountId);
  return (account?.s2sApps ?? [])
    .filter((app) => app.activated && app.webhookUrl)
    .map((app) => ({ target: app.webhookUrl!, app: { clientId: app.clientId, secretToken: app.webhookSecretToken ?? '' } }));
}

export async function deliverWebhook(
  emu: ZoomContext,
  event: string,
  payloadIn: Record<string, unknown> = {},
  deliveryOptions: WebhookDeliveryOptions = {},
): Promise<WebhookResult> {
  const target = deliveryOptions.target ?? emu.options.webhookTargetUrl;
  if (!target) throw new Error('No webhook target URL configured');
  const payload: Record<string, unknown> = { ...payloadIn };
  if (event === 'endpoint.url_validation') {
    payload.plainToken ??= randomBytes(16).toString('base64url');
  }
  if (event === 'app_deauthorized') {
    const user = emu.state.users.find((u) => u.id === payload.user_id) ?? emu.state.users.find((u) => u.email === payload.user_email);
    if (user) {
      payload.user_id = user.id;
      payload.account_id ??= user.accountId;
      // Removing the app kills every token of that user for this app.
      for (const set of emu.state.tokenSets) if (set.userId === user.id && set.clientId === emu.options.clientId) revokeSet(emu, set, 'deauthorized');
    }
    payload.signature ??= randomBytes(32).toString('hex');
    payload.deauthorization_time ??= new Date(emu.now()).toISOString();
    payload.client_id ??= emu.options.clientId;
    delete payload.user_email;
  }
  const eventTs = deliveryOptions.eventTs ?? emu.now();
  const body = stringifyWithInt64({ event, payload, event_ts: eventTs, ...(deliveryOptions.extra ?? {}) });
  const timestamp = deliveryOptions.timestampSeconds ?? Math.floor(emu.now() / 1000);
  const secretToken = deliveryOptions.app?.secretToken ?? emu.options.webhookSecretToken;
  const signature = `v0=${createHmac('sha256', secretToken).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const delivery: WebhookResult = {
    at: new Date(emu.now()).toISOString(),
    event,
    url: target,
    status: null,
    responseBody: '',
    body,
    signature,
    timestamp,
  };
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Zoom Marketplace/1.0a',
        'x-zm-request-timestamp': String(timestamp),
        'x-zm-signature': signature,
        'x-zm-trackingid': trackingId(),
        clientid: deliveryOptions.app?.clientId ?? emu.options.clientId,
      },
      body,
      signal: AbortSignal.timeout(3000),
    });
    delivery.status = response.status;
    delivery.responseBody = await response.text();
    if (event === 'endpoint.url_validation') {
      const expected = createHmac('sha256', secretToken).update(String(payload.plainToken)).digest('hex');
      try {
        const answer = JSON.parse(delivery.responseBody) as { plainToken?: string; encryptedToken?: string };
        delivery.validated = response.status === 200 && answer.plainToken === payload.plainToken && answer.encryptedToken === expected;
      } catch {
        delivery.validated = false;
      }
    }
  } catch (error) {
    delivery.error = error instanceof Error ? error.message : String(error);
  }
  emu.state.events.push({
    at: delivery.at,
    event,
    url: target,
    status: delivery.status,
    responseBody: delivery.responseBody,
    ...(delivery.error ? { error: delivery.error } : {}),
  });
  return delivery;
}
