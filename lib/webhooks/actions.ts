'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAction } from '@/lib/actions';
import { requireHost } from '@/lib/auth/session';
import { createWebhookSubscription, deleteWebhookSubscription, rollWebhookSecret, updateWebhookSubscription } from './mutations';
import { apiRedeliver, apiSendTestEvent, parseCreateWebhook, parseUpdateWebhook } from './service';

/**
 * Settings → Webhooks. Every action acts on the signed-in host's own subscriptions (`not_found`
 * for any other id) and answers field errors (`fields.url`, `fields.events`, …) on bad input.
 */

export type WebhookFormInput = { url: string; events: string[]; description: string };

/** "Add webhook": the signing secret comes back this once. */
export async function createWebhookAction(input: WebhookFormInput): Promise<ActionResult<{ id: string; secret: string }>> {
  return runAction('createWebhookAction', async () => {
    const host = await requireHost();
    const created = await createWebhookSubscription(host.id, parseCreateWebhook(input));
    revalidatePath('/settings/webhooks');
    return { id: created.subscription.id, secret: created.secret };
  });
}

export async function updateWebhookAction(id: string, input: WebhookFormInput): Promise<ActionResult> {
  return runAction('updateWebhookAction', async () => {
    const host = await requireHost();
    await updateWebhookSubscription(host.id, String(id), parseUpdateWebhook(input));
    revalidatePath('/settings/webhooks');
    return null;
  });
}

/** Enable (clears why it was disabled and its failure streak) or disable. */
export async function setWebhookStatusAction(id: string, status: 'active' | 'disabled'): Promise<ActionResult> {
  return runAction('setWebhookStatusAction', async () => {
    const host = await requireHost();
    await updateWebhookSubscription(host.id, String(id), parseUpdateWebhook({ status }));
    revalidatePath('/settings/webhooks');
    return null;
  });
}

export async function rollWebhookSecretAction(id: string): Promise<ActionResult<{ secret: string }>> {
  return runAction('rollWebhookSecretAction', async () => {
    const host = await requireHost();
    return rollWebhookSecret(host.id, String(id));
  });
}

export async function deleteWebhookAction(id: string): Promise<ActionResult> {
  return runAction('deleteWebhookAction', async () => {
    const host = await requireHost();
    await deleteWebhookSubscription(host.id, String(id));
    revalidatePath('/settings/webhooks');
    return null;
  });
}

export async function sendTestEventAction(id: string): Promise<ActionResult<{ deliveryId: number }>> {
  return runAction('sendTestEventAction', async () => {
    const host = await requireHost();
    return apiSendTestEvent(host.id, String(id));
  });
}

export async function redeliverAction(subscriptionId: string, deliveryId: number): Promise<ActionResult<{ deliveryId: number }>> {
  return runAction('redeliverAction', async () => {
    const host = await requireHost();
    return apiRedeliver(host.id, String(subscriptionId), Number(deliveryId));
  });
}
