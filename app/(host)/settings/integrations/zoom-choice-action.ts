'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireHost } from '@/lib/auth/session';
import { wakeZoomSteps } from '@/lib/bookings/service';
import { isAppError } from '@/lib/errors';
import { setZoomSource } from '@/lib/meetings/zoom-choice';
import { INTEGRATIONS_PATH } from '@/lib/oauth/outcome';

/** Settings → Integrations → "Meetings are created with": the host's own Zoom or the organisation's. */
export async function chooseZoomSourceAction(formData: FormData): Promise<void> {
  const host = await requireHost();
  let outcome = 'saved';
  try {
    await setZoomSource(host.id, formData.get('zoomSource'));
    // Bookings waiting for a Zoom account try again at once with the new choice.
    await wakeZoomSteps(host.id);
  } catch (error) {
    if (!isAppError(error)) throw error;
    outcome = 'invalid';
  }
  revalidatePath(INTEGRATIONS_PATH);
  revalidatePath('/dashboard');
  redirect(`${INTEGRATIONS_PATH}?zoomSource=${outcome}#zoom`);
}
