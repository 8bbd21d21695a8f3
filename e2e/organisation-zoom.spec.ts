import { type APIRequestContext, expect, test } from '@playwright/test';
import { newHost } from './fixtures';
import { createApiToken, dateInZone, everyDayZoomPage, linkZoom } from './helpers/guest';

/**
 * Issue 12: an organisation's Zoom account (Server-to-Server app of the emulator's `demo-account`).
 * A host with no Zoom account of their own sets it up, publishes a Zoom page, and a guest's booking gets
 * a meeting under the organisation's Zoom user; switching the host to their own Zoom keeps the earlier
 * booking on the organisation's account.
 */

test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });

const HANA = 'dEm0UsErHanaSuzuki0002'; // hana.suzuki@example.com in demo-account

type Meeting = { id: string; hostId: string; deletedAt: number | null };
const meetings = async (request: APIRequestContext) =>
  ((await (await request.get('/api/emulators/zoom/__control/state')).json()) as { meetings: Meeting[]; users: { id: string; email: string }[] });

async function book(request: APIRequestContext, handle: string, slug: string, dayOffset: number, email: string) {
  const slots = await request.get(`/api/public/pages/${handle}/${slug}/slots?from=${dateInZone('Asia/Tokyo', dayOffset)}&to=${dateInZone('Asia/Tokyo', dayOffset + 6)}&timeZone=Asia/Tokyo`);
  const start = ((await slots.json()) as { days: { slots: string[] }[] }).days.flatMap((d) => d.slots)[0]!;
  const response = await request.post(`/api/public/pages/${handle}/${slug}/bookings`, { data: { start, name: 'Org Guest', email, timeZone: 'Asia/Tokyo' } });
  expect(response.status(), await response.text()).toBe(201);
  const { booking } = (await response.json()) as { booking: { uid: string; meeting: { status: string; joinUrl: string | null } } };
  expect(booking.meeting.status).toBe('created');
  return { uid: booking.uid, meetingId: /\/j\/(\d+)/.exec(booking.meeting.joinUrl ?? '')![1]! };
}

test("a host with no Zoom of their own books meetings on the organisation's account, then switches to their own", async ({ page, request }, testInfo) => {
  test.setTimeout(180_000);
  const { email, handle } = await newHost(page, { prefix: 'orgzoom', name: 'Org Owner' });

  // An organisation, and its Zoom account (the emulator's demo S2S app).
  await page.goto('/organisation');
  const create = page.getByTestId('create-organisation');
  await create.locator('input[name="name"]').fill(`Studio ${handle}`);
  await create.locator('button[type="submit"]').click();
  await expect(page.getByTestId('member-list')).toBeVisible();
  await page.goto('/organisation/zoom');
  await page.getByTestId('zoom-account-id').fill('demo-account');
  await page.getByTestId('zoom-client-id').fill('demo-s2s');
  await page.getByTestId('zoom-client-secret').fill('demo-s2s-secret');
  await page.getByTestId('zoom-credentials-save').click();
  await expect(page.getByTestId('zoom-credentials-form').getByTestId('zoom-check-ok')).toBeVisible({ timeout: 30_000 });
  await page.reload();
  await page.getByTestId('zoom-default-user-select').selectOption(HANA);
  await page.getByTestId('zoom-default-user-save').click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('zoom-default-user-select')).toHaveValue(HANA, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await page.screenshot({ path: testInfo.outputPath('organisation-zoom.png'), fullPage: true });

  // Without a Zoom link of their own, the host's meetings come from the organisation.
  await page.goto('/settings/integrations');
  await expect(page.getByTestId('zoom-source-choice')).toHaveAttribute('data-effective', 'organisation');
  const apiToken = await createApiToken(page);
  const created = await request.post('/api/v1/booking-pages', { headers: { authorization: `Bearer ${apiToken}` }, data: everyDayZoomPage({ slug: 'studio', title: 'Studio call' }) });
  expect(created.status(), await created.text()).toBe(201);
  const first = await book(request, handle, 'studio', 1, 'org-guest-1@example.com');
  expect((await meetings(request)).meetings.find((m) => m.id === first.meetingId)?.hostId).toBe(HANA);

  // The host links their own Zoom and switches to it: new meetings are theirs …
  await linkZoom(page, request, email);
  await page.goto('/settings/integrations');
  await page.getByTestId('zoom-source-own').check();
  await page.getByTestId('zoom-source-save').click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('zoom-source-choice')).toHaveAttribute('data-effective', 'own', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const second = await book(request, handle, 'studio', 8, 'org-guest-2@example.com');
  const state = await meetings(request);
  const own = state.users.find((u) => u.email === `zoom-${email}`)!;
  expect(state.meetings.find((m) => m.id === second.meetingId)?.hostId).toBe(own.id);

  // … and the earlier booking stays on the organisation's account: cancelling it deletes Hana's meeting.
  const cancelled = await request.post(`/api/v1/bookings/${first.uid}/cancel`, { headers: { authorization: `Bearer ${apiToken}` }, data: {} });
  expect(cancelled.status(), await cancelled.text()).toBe(200);
  await expect(async () => {
    const meeting = (await meetings(request)).meetings.find((m) => m.id === first.meetingId);
    expect(meeting?.deletedAt).not.toBeNull();
  }).toPass({ timeout: 60_000 });
});
