'use server';

import { requireHost } from '@/lib/auth/session';
import { getIcsFeedUrl, regenerateIcsFeedUrl } from './ics-feed';

/** Host settings: the private ICS feed URL (created on first use) and regenerating it (the old URL stops working). */
export async function getIcsFeedUrlAction(): Promise<{ url: string }> {
  const host = await requireHost();
  return { url: await getIcsFeedUrl(host.id) };
}

export async function regenerateIcsFeedUrlAction(): Promise<{ url: string }> {
  const host = await requireHost();
  return { url: await regenerateIcsFeedUrl(host.id) };
}
