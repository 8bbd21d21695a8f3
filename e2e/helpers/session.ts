import { createHmac } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

/** The e2e server's AUTH_SECRET (playwright.config.ts starts it with this; set the same when you start it yourself). */
export const E2E_AUTH_SECRET = process.env.E2E_AUTH_SECRET ?? 'e2e-auth-secret-0123456789abcdefghijklmnop';

/**
 * Signs `email` in by a database session cookie, without the mailbox: the demo-only, secret-signed
 * test route (app/api/testing/session) creates the session and answers with Auth.js's cookie, which
 * lands in the page's browser context. For specs that are not about signing in.
 */
export async function signInBySession(page: Page, email: string): Promise<void> {
  await postSignedTestRequest(page, '/api/testing/session', { email });
}

/** POSTs `fields` with `issuedAt` to a demo-only test route, signed with AUTH_SECRET as it checks (lib/testing/e2e-session.ts); expects 200. */
export async function postSignedTestRequest(page: Page, path: string, fields: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({ ...fields, issuedAt: Date.now() });
  const signature = createHmac('sha256', E2E_AUTH_SECRET).update(body).digest('hex');
  const response = await page.request.post(path, {
    data: body,
    headers: { 'content-type': 'application/json', 'x-aki-test-signature': signature },
  });
  expect(response.status(), await response.text()).toBe(200);
}
