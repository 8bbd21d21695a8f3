import { resetEnvCache } from '@/lib/env';
import { finishZoomLink, startZoomLink, type ZoomLinkOutcome, ZOOM_OAUTH_COOKIE } from './service';

/**
 * Test helpers: point env() at a standalone emulator and walk the real authorize round trip over
 * HTTP (consent page → form post → redirect with code → finishZoomLink).
 */

export const TEST_ZOOM = { clientId: 'test-client-id', clientSecret: 'test-client-secret', webhookSecret: 'test-webhook-secret' };

export function useZoomEmulatorEnv(emulatorUrl: string, appUrl = 'http://localhost:3999'): void {
  // lib/env.ts is the only reader of process.env; tests set the variables and drop its cache.
  process.env.ZOOM_CLIENT_ID = TEST_ZOOM.clientId;
  process.env.ZOOM_CLIENT_SECRET = TEST_ZOOM.clientSecret;
  process.env.ZOOM_WEBHOOK_SECRET_TOKEN = TEST_ZOOM.webhookSecret;
  process.env.ZOOM_OAUTH_URL = emulatorUrl;
  process.env.ZOOM_API_URL = `${emulatorUrl}/v2`;
  process.env.APP_URL = appUrl;
  process.env.AKI_DEMO = '0';
  resetEnvCache();
}

export type ConsentResult = { location: URL; cookie: string; authorizeUrl: URL };

/** Opens the consent page and submits a decision as the given emulator user; returns the redirect. */
export async function consent(hostId: string, decision: 'allow' | 'deny' | 'back', zoomUserId?: string): Promise<ConsentResult> {
  const start = startZoomLink(hostId);
  if (!start.ok) throw new Error(`startZoomLink: ${start.outcome}`);
  const authorizeUrl = new URL(start.authorizeUrl);
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}: ${await page.text()}`);
  const html = await page.text();
  const userId = zoomUserId ?? /name="user_id" value="([^"]+)"/.exec(html)?.[1];
  if (!userId) throw new Error('no user on the consent page');
  const form = new URLSearchParams(Object.fromEntries(authorizeUrl.searchParams));
  form.set('user_id', userId);
  form.set('decision', decision);
  const answer = await fetch(authorizeUrl.origin + authorizeUrl.pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`consent answered ${answer.status}`);
  return { location: new URL(location), cookie: start.cookie.value, authorizeUrl };
}

/** Links `hostId` to the emulator user (default: the first demo user) through the whole flow. */
export async function linkZoom(hostId: string, zoomUserId?: string): Promise<ZoomLinkOutcome> {
  const { location, cookie } = await consent(hostId, 'allow', zoomUserId);
  return finishZoomLink({ hostId, params: location.searchParams, cookie });
}

export { ZOOM_OAUTH_COOKIE };
