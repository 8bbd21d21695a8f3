import { env } from '@/lib/env';
import { persistEmulatorState } from '../persist';
import { createZoomEmulator, type ZoomEmulator } from './emulator';

/** Where the app mounts the emulator in demo mode (app/api/emulators/zoom/[...path]). */
export const ZOOM_EMULATOR_MOUNT = '/api/emulators/zoom';

const globalStore = globalThis as unknown as { __akiZoomEmulator?: ZoomEmulator };

/** The one in-app emulator of this process (kept on globalThis so dev reloads keep its state). */
export function getAppZoomEmulator(): ZoomEmulator {
  if (!globalStore.__akiZoomEmulator) {
    const config = env();
    globalStore.__akiZoomEmulator = persistEmulatorState('zoom', createZoomEmulator({
      basePath: ZOOM_EMULATOR_MOUNT,
      webhookTargetUrl: `${config.appUrl}/api/webhooks/zoom`,
      webhookSecretToken: config.zoom.webhookSecretToken,
      clientId: config.zoom.clientId,
      clientSecret: config.zoom.clientSecret,
      redirectUris: [`${config.appUrl}/api/integrations/zoom/callback`],
    }));
  }
  return globalStore.__akiZoomEmulator;
}
