import { afterAll, beforeAll, expect } from 'vitest';
import { getDb } from '@/lib/db/client';
import { serveFetchHandler } from '@/lib/emulators/serve';
import { createZoomEmulator, type ZoomEmulator } from '@/lib/emulators/zoom/emulator';
import { linkZoom, useZoomEmulatorEnv } from '@/lib/zoom/testing';
import { trackInFlight } from './wait';

/**
 * One standalone Zoom emulator per integration-test file, with env() pointed at it and the database
 * opened (and migrated) in the hook rather than inside the first test. Fields are filled in beforeAll.
 */
export type ZoomEmulatorFixture = {
  emulator: ZoomEmulator;
  url: string;
  /** POST to the emulator's control API; fails the test unless it answers 200. */
  control(path: string, body: unknown): Promise<Record<string, unknown>>;
  /** A fresh emulator user (so tests never collide on "one Zoom account per host"), linked to `hostId` through the real OAuth round trip. */
  /** A new Zoom user (its own account unless `accountId`; Licensed unless `type: 1`) linked to the host. */
  linkNewZoomUser(hostId: string, user?: { scopes?: string[]; timezone?: string; accountId?: string; type?: 1 | 2 }): Promise<string>;
  /** The meetings of a Zoom user that exist at Zoom (not deleted). */
  liveMeetings(zoomUserId: string): ZoomEmulator['state']['meetings'];
  /** Resolves once Zoom has answered every request it received (e.g. a slow create the client gave up on). */
  settle(): Promise<void>;
};

export function zoomEmulatorForThisFile(options: { beforeStart?: () => void } = {}): ZoomEmulatorFixture {
  let close: (() => Promise<void>) | undefined;
  let users = 0;
  const fixture: ZoomEmulatorFixture = {
    emulator: undefined as unknown as ZoomEmulator,
    url: '',
    async control(path, body) {
      const response = await fetch(`${fixture.url}/__control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    },
    async linkNewZoomUser(hostId, user = {}) {
      users++;
      const zoomUser = await fixture.control('users', {
        email: `zoom-${users}-${Date.now().toString(36)}@zoom-demo.example`,
        timezone: user.timezone ?? 'Asia/Tokyo',
        ...(user.scopes ? { scopes: user.scopes } : {}),
        ...(user.accountId ? { accountId: user.accountId } : {}),
        ...(user.type ? { type: user.type } : {}),
      });
      expect(await linkZoom(hostId, String(zoomUser.id))).toBe('connected');
      return String(zoomUser.id);
    },
    liveMeetings: (zoomUserId) => fixture.emulator.state.meetings.filter((m) => m.hostId === zoomUserId && m.deletedAt === null),
    settle: async () => {
      await tracked?.settle();
    },
  };
  let tracked: ReturnType<typeof trackInFlight> | undefined;
  beforeAll(async () => {
    options.beforeStart?.();
    // Like startZoomEmulator, with the handler counted so settle() knows when Zoom is done.
    const emulator = createZoomEmulator({ webhookSecretToken: 'test-webhook-secret', clientId: 'test-client-id', clientSecret: 'test-client-secret' });
    tracked = trackInFlight(emulator.handle);
    const server = await serveFetchHandler(tracked.handle, 0);
    const address = server.address();
    fixture.emulator = emulator;
    fixture.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    useZoomEmulatorEnv(fixture.url);
    await getDb();
  });
  afterAll(async () => {
    await close?.();
  });
  return fixture;
}
