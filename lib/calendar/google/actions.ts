'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { runAction } from '@/lib/actions';
import { requireHost } from '@/lib/auth/session';
import { INTEGRATIONS_PATH, type IntegrationOutcome, integrationsPath } from '@/lib/oauth/outcome';
import { parseGoogleSettingsForm } from './schema';
import { disconnectGoogle, updateGoogleCalendarSettings } from './service';

/**
 * Settings → Integrations → Google Calendar → Save: busy calendars, target calendar, all-day choice.
 * A plain form post (works without JavaScript): the ActionResult becomes the notice in the redirect.
 */
export async function saveGoogleCalendarSettingsAction(form: FormData): Promise<void> {
  const result = await runAction('saveGoogleCalendarSettingsAction', async () => {
    const host = await requireHost();
    const parsed = parseGoogleSettingsForm(form);
    if (!parsed.success) throw parsed.error;
    await updateGoogleCalendarSettings(host.id, parsed.data);
    return null;
  });
  const outcome: IntegrationOutcome = result.ok ? 'saved' : result.code === 'invalid_input' ? 'invalid' : result.code === 'integration_revoked' ? 'revoked' : 'error';
  revalidatePath(INTEGRATIONS_PATH);
  redirect(integrationsPath('google', outcome));
}

/** Settings → Integrations → Google Calendar → Disconnect: revoke at Google, delete the tokens. */
export async function disconnectGoogleAction(): Promise<void> {
  const host = await requireHost();
  await disconnectGoogle(host.id);
  revalidatePath(INTEGRATIONS_PATH);
  redirect(integrationsPath('google', 'disconnected'));
}
