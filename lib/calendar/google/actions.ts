'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireHost } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { INTEGRATIONS_PATH, type IntegrationOutcome, integrationsPath } from '@/lib/oauth/outcome';
import { parseGoogleSettingsForm } from './schema';
import { disconnectGoogle, updateGoogleCalendarSettings } from './service';

/** Settings → Integrations → Google Calendar → Save: busy calendars, target calendar, all-day choice. */
export async function saveGoogleCalendarSettingsAction(form: FormData): Promise<void> {
  const host = await requireHost();
  const parsed = parseGoogleSettingsForm(form);
  let outcome: IntegrationOutcome = 'saved';
  if (!parsed.success) {
    outcome = 'invalid';
  } else {
    try {
      await updateGoogleCalendarSettings(host.id, parsed.data);
    } catch (error) {
      if (!isAppError(error)) throw error;
      outcome = error.code === 'invalid_input' ? 'invalid' : error.code === 'integration_revoked' ? 'revoked' : 'error';
    }
  }
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
