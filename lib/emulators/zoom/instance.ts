import { env } from '@/lib/env';
import { processSingleton } from '@/lib/process-singletons';
import { persistEmulatorState } from '../persist';
import { createZoomEmulator, type ZoomEmulator, type ZoomEmulatorOptions } from './emulator';

/** Where the app mounts the emulator in demo mode (app/api/emulators/zoom/[...path]). */
export const ZOOM_EMULATOR_MOUNT = '/api/emulators/zoom';

/** The in-app emulator's options, from the app's environment (also used by the demo seed). */
export function appZoomEmulatorOptions(): ZoomEmulatorOptions {
  const config = env();
  return {
    basePath: ZOOM_EMULATOR_MOUNT,
    webhookTargetUrl: `${config.appUrl}/api/webhooks/zoom`,
    webhookSecretToken: config.zoom.webhookSecretToken,
    clientId: config.zoom.clientId,
    clientSecret: config.zoom.clientSecret,
    redirectUris: [`${config.appUrl}/api/integrations/zoom/callback`],
  };
}

/** The one in-app emulator of this process (a process singleton, so dev reloads keep its state). */
export function getAppZoomEmulator(): ZoomEmulator {
  return processSingleton('emulators:zoom', () => persistEmulatorState('zoom', createZoomEmulator(appZoomEmulatorOptions())));
}
