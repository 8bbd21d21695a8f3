'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireHost } from '@/lib/auth/session';
import { INTEGRATIONS_PATH, integrationsPath } from '@/lib/oauth/outcome';
import { disconnectZoom } from './service';

/** Settings → Integrations → Zoom → Disconnect. Revokes at Zoom, deletes the link, reports back. */
export async function disconnectZoomAction(): Promise<void> {
  const host = await requireHost();
  const { revokedAtZoom } = await disconnectZoom(host.id);
  revalidatePath(INTEGRATIONS_PATH);
  redirect(integrationsPath('zoom', revokedAtZoom ? 'disconnected' : 'disconnected_local'));
}
