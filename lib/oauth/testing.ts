import { resetEnvCache } from '@/lib/env';
import type { AuthorizationStart } from './flow';

/**
 * Test helpers shared by the Zoom and Google emulators: set env() for an emulator and walk the
 * real consent round trip over HTTP (consent page → form post → redirect with code or error).
 */

/** lib/env.ts is the only reader of process.env: tests set the variables and drop its cache. */
export function setTestEnv(vars: Record<string, string>): void {
  Object.assign(process.env, vars);
  resetEnvCache();
}

export type ConsentResult = { location: URL; cookie: string; authorizeUrl: URL };

/**
 * Opens the consent page of a started round trip and submits the form `fill` builds from the page;
 * returns the provider's redirect and the sealed cookie the callback needs.
 */
export async function submitConsent(
  start: AuthorizationStart,
  fill: (page: { html: string; authorizeUrl: URL }) => URLSearchParams,
): Promise<ConsentResult> {
  if (!start.ok) throw new Error(`cannot start the round trip: ${start.outcome}`);
  const authorizeUrl = new URL(start.authorizeUrl);
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const form = fill({ html: await page.text(), authorizeUrl });
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
