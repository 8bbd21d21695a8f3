import { createHmac, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST } from '@/app/api/webhooks/zoom/organisations/[organisationId]/route';
import { createBooking } from '@/lib/bookings/service';
import { makeHost, makePage, slotStart } from '@/lib/bookings/testing';
import { encryptSecret } from '@/lib/crypto';
import { getDb } from '@/lib/db/client';
import { bookings } from '@/lib/db/schema/bookings';
import { webhookEvents } from '@/lib/db/schema/integrations';
import { organisations } from '@/lib/db/schema/organisations';
import { zoomEmulatorForThisFile } from '@/lib/testing/zoom-emulator';

/**
 * Per-organisation Zoom webhooks (issue 12): an organisation's S2S app posts to
 * /api/webhooks/zoom/organisations/{id}, signed with that organisation's secret token; the delivery
 * then goes through the same intake as /api/webhooks/zoom (the meeting found by its id).
 */

const zoom = zoomEmulatorForThisFile();
let eventTs = Date.now();

async function organisation(secret: string | null) {
  const db = await getDb();
  const [row] = await db
    .insert(organisations)
    .values({ name: `Webhook org ${randomUUID().slice(0, 6)}`, zoomWebhookSecretEnc: secret ? encryptSecret(secret) : null })
    .returning({ id: organisations.id });
  return row!.id;
}

async function deliver(organisationId: string, secret: string, event: string, object: Record<string, unknown>) {
  eventTs += 1;
  const raw = JSON.stringify({ event, event_ts: eventTs, payload: { account_id: 'org-account', object } });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${raw}`).digest('hex')}`;
  const request = new Request(`http://localhost/api/webhooks/zoom/organisations/${organisationId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': String(timestamp), 'x-zm-signature': signature },
    body: raw,
  });
  const response = await POST(request, { params: Promise.resolve({ organisationId }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('organisation webhooks', () => {
  it("verifies with the organisation's secret and ties meeting events to the booking by meeting id", async () => {
    const host = await makeHost();
    await zoom.linkNewZoomUser(host.id);
    const page = await makePage(host.id);
    const booking = await createBooking({ handle: host.handle!, slug: page.slug, start: slotStart(20).toISOString(), name: 'Guest', email: 'org-hook@example.com', timeZone: 'Asia/Tokyo' });
    const db = await getDb();
    const [row] = await db.select().from(bookings).where(eq(bookings.uid, booking.uid));
    expect(row!.zoomMeetingId).toBeTruthy();
    const organisationId = await organisation('org-webhook-secret');

    const started = await deliver(organisationId, 'org-webhook-secret', 'meeting.started', { id: row!.zoomMeetingId, uuid: 'u1', start_time: new Date().toISOString() });
    expect(started).toEqual({ status: 200, body: { ok: true } });
    const [stored] = await db.select().from(webhookEvents).where(eq(webhookEvents.bookingId, row!.id));
    expect(stored?.event).toBe('meeting.started');

    // Signed with another secret (the user-level app's): refused.
    expect((await deliver(organisationId, 'test-webhook-secret', 'meeting.ended', { id: row!.zoomMeetingId, uuid: 'u1' })).status).toBe(401);
    // A validation request without its plainToken is refused as bad input, not a 500.
    expect((await deliver(organisationId, 'org-webhook-secret', 'endpoint.url_validation', {})).status).toBe(400);
  });

  it('answers the URL validation challenge with the organisation’s secret', async () => {
    const organisationId = await organisation('org-validation-secret');
    eventTs += 1;
    const raw = JSON.stringify({ event: 'endpoint.url_validation', event_ts: eventTs, payload: { plainToken: 'abc' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', 'org-validation-secret').update(`v0:${timestamp}:${raw}`).digest('hex')}`;
    const response = await POST(
      new Request('http://localhost/x', { method: 'POST', headers: { 'x-zm-request-timestamp': String(timestamp), 'x-zm-signature': signature }, body: raw }),
      { params: Promise.resolve({ organisationId }) },
    );
    expect(await response.json()).toEqual({ plainToken: 'abc', encryptedToken: createHmac('sha256', 'org-validation-secret').update('abc').digest('hex') });
  });

  it('an unknown organisation is 404; one without a webhook secret 503', async () => {
    expect((await deliver(randomUUID(), 'x', 'meeting.started', { id: 1 })).status).toBe(404);
    expect((await deliver('not-an-id', 'x', 'meeting.started', { id: 1 })).status).toBe(404);
    const withoutSecret = await organisation(null);
    expect((await deliver(withoutSecret, 'x', 'meeting.started', { id: 1 })).status).toBe(503);
  });
});
