import { type ConsentResult, setTestEnv, submitConsent } from '@/lib/oauth/testing';
import { finishZoomLink, startZoomLink, type ZoomLinkOutcome } from './service';

/** Test helpers: point env() at a standalone Zoom emulator and link hosts through the real round trip. */

export const TEST_ZOOM = { clientId: 'test-client-id', clientSecret: 'test-client-secret', webhookSecret: 'test-webhook-secret' };

export function useZoomEmulatorEnv(emulatorUrl: string, appUrl = 'http://localhost:3999'): void {
  setTestEnv({
    ZOOM_CLIENT_ID: TEST_ZOOM.clientId,
    ZOOM_CLIENT_SECRET: TEST_ZOOM.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: TEST_ZOOM.webhookSecret,
    ZOOM_OAUTH_URL: emulatorUrl,
    ZOOM_API_URL: `${emulatorUrl}/v2`,
    APP_URL: appUrl,
    AKI_DEMO: '0',
  });
}

/** Opens the consent page and submits a decision as the given emulator user; returns the redirect. */
export async function consent(hostId: string, decision: 'allow' | 'deny' | 'back', zoomUserId?: string): Promise<ConsentResult> {
  return submitConsent(await startZoomLink(hostId), ({ html, authorizeUrl }) => {
    const userId = zoomUserId ?? /name="user_id" value="([^"]+)"/.exec(html)?.[1];
    if (!userId) throw new Error('no user on the consent page');
    const form = new URLSearchParams(Object.fromEntries(authorizeUrl.searchParams));
    form.set('user_id', userId);
    form.set('decision', decision);
    return form;
  });
}

/** Links `hostId` to the emulator user (default: the first demo user) through the whole flow. */
export async function linkZoom(hostId: string, zoomUserId?: string): Promise<ZoomLinkOutcome> {
  const { location, cookie } = await consent(hostId, 'allow', zoomUserId);
  return finishZoomLink({ hostId, params: location.searchParams, cookie });
}
