import { afterAll, beforeAll, expect } from 'vitest';
import { getDb } from '@/lib/db/client';
import type { ZoomEmulator } from '@/lib/emulators/zoom/emulator';
import { startZoomEmulator } from '@/lib/emulators/zoom/testing';
import { linkZoom, useZoomEmulatorEnv } from '@/lib/zoom/testing';

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
  linkNewZoomUser(hostId: string, user?: { scopes?: string[]; timezone?: string }): Promise<string>;
  /** The meetings of a Zoom user that exist at Zoom (not deleted). */
  liveMeetings(zoomUserId: string): ZoomEmulator['state']['meetings'];
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
      });
      expect(await linkZoom(hostId, String(zoomUser.id))).toBe('connected');
      return String(zoomUser.id);
    },
    liveMeetings: (zoomUserId) => fixture.emulator.state.meetings.filter((m) => m.hostId === zoomUserId && m.deletedAt === null),
  };
  beforeAll(async () => {
    options.beforeStart?.();
    const started = await startZoomEmulator();
    fixture.emulator = started.emulator;
    fixture.url = started.url;
    close = started.close;
    useZoomEmulatorEnv(started.url);
    await getDb();
  });
  afterAll(async () => {
    await close?.();
  });
  return fixture;
}
