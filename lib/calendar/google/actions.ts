'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireHost } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { parseGoogleSettingsForm } from './schema';
import { disconnectGoogle, GOOGLE_SETTINGS_PATH, updateGoogleCalendarSettings } from './service';

/** Settings → Integrations → Google Calendar → Save: busy calendars, target calendar, all-day choice. */
export async function saveGoogleCalendarSettingsAction(form: FormData): Promise<void> {
  const host = await requireHost();
  const parsed = parseGoogleSettingsForm(form);
  let outcome = 'saved';
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
  revalidatePath(GOOGLE_SETTINGS_PATH);
  redirect(`${GOOGLE_SETTINGS_PATH}?google=${outcome}`);
}

/** Settings → Integrations → Google Calendar → Disconnect: revoke at Google, delete the tokens. */
export async function disconnectGoogleAction(): Promise<void> {
  const host = await requireHost();
  await disconnectGoogle(host.id);
  revalidatePath(GOOGLE_SETTINGS_PATH);
  redirect(`${GOOGLE_SETTINGS_PATH}?google=disconnected`);
}
